import { pino, type DestinationStream, type Logger } from 'pino';
import type { PlatformConfig } from '../config/index.ts';

export type { Logger } from 'pino';

/**
 * The process's one logger, made once from the typed configuration and passed
 * in like the database: JSON lines on stdout at `LOG_LEVEL`. Library code logs
 * through the logger it is given, never `console`. `destination` is for tests
 * that read what was logged.
 */
export function createLogger(
  config: Pick<PlatformConfig, 'logLevel'>,
  destination?: DestinationStream,
): Logger {
  const options = { level: config.logLevel, base: { pid: process.pid } };
  return destination ? pino(options, destination) : pino(options);
}
