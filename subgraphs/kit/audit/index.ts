export { AccessLog, accessEntry } from './AccessLog.ts';
export type { Verification } from './AccessLog.ts';
