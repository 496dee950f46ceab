export { createLogger } from './createLogger.ts';
export type { Logger } from './createLogger.ts';
export { readableLines } from './readableLines.ts';
export { hideInternalErrors } from './hideInternalErrors.ts';
export type { ErrorHiding } from './hideInternalErrors.ts';
export { lifecycleLog } from './lifecycleLog.ts';
