export { AccessLog } from './AccessLog.ts';
export { auditPlugin } from './auditPlugin.ts';
