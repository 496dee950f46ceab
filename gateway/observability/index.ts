export { queryPlanned, requestTelemetryPlugin } from './requestTelemetryPlugin.ts';
