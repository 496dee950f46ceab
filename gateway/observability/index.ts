export { requestTelemetryPlugin } from './requestTelemetryPlugin.ts';
