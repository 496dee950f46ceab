export { auditPlugin } from './auditPlugin.ts';
