import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { PlatformConfig } from '../config/index.ts';
import { DEFAULT_OBSERVABILITY } from '../config/observabilityConfig.ts';
import { readableLines } from './readableLines.ts';
import { redactCredentials } from './redactCredentials.ts';

export type { Logger } from 'pino';

/**
 * Every line's fields pass through `redactCredentials`: nothing logs variables
 * or response data in the first place; this is the second line. pino writes a
 * child logger's bindings once, past any formatter, so a child bound to a
 * credential is refused when it is made (`refuseBoundCredentials`).
 */
export const LOG_REDACTION: Pick<LoggerOptions, 'formatters' | 'onChild'> = {
  formatters: { log: redactCredentials },
  onChild: refuseBoundCredentials,
};

function refuseBoundCredentials(child: Logger): void {
  const bindings = child.bindings();
  if (redactCredentials(bindings) !== bindings) {
    throw new Error(
      'A child logger was bound to a credential or to variables (authorization, cookie, token, password, secret, apiKey, variables…); log them nowhere, or pass them on the line, where they are redacted.',
    );
  }
}

/** Lines gathered before a write to stdout (a few request lines)... */
const LOG_WRITE_BYTES = 4096;
/** ...or written after this long, whichever comes first. */
const LOG_FLUSH_MS = 1000;

/**
 * The process's one logger, made once from the typed configuration and passed
 * in like the database: JSON lines on stdout at `LOG_LEVEL`, or readable
 * coloured lines (`readableLines`) when LOG_FORMAT asks for them, or is `auto` and
 * stdout is a terminal outside production. Credentials are redacted (see
 * `redactCredentials`); errors logged as `err` keep their stack. Library code logs
 * through the logger it is given, never `console`. `destination` is for tests
 * that read what was logged (always JSON).
 */
export function createLogger(
  config: Pick<PlatformConfig, 'logLevel'> & Partial<Pick<PlatformConfig, 'observability'>>,
  destination?: DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level: config.logLevel,
    base: { pid: process.pid },
    ...LOG_REDACTION,
  };
  if (destination) return pino(options, destination);
  const observability = config.observability ?? DEFAULT_OBSERVABILITY;
  const pretty =
    observability.logFormat === 'pretty' ||
    (observability.logFormat === 'auto' && !observability.production && process.stdout.isTTY);
  if (pretty) return pino(options, readableLines());
  // Lines are written without blocking the request that logged them, gathered
  // into writes of at least LOG_WRITE_BYTES or every LOG_FLUSH_MS, whichever
  // comes first: a write per line was a system call per request. pino flushes
  // on exit; a process killed outright loses at most LOG_FLUSH_MS of lines.
  return pino(
    options,
    pino.destination({
      dest: 1,
      sync: false,
      minLength: LOG_WRITE_BYTES,
      periodicFlush: LOG_FLUSH_MS,
    }),
  );
}
