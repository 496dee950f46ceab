import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { LOG_REDACTION } from '../../server/logging/createLogger.ts';
import { readableLines } from '../../server/logging/readableLines.ts';

/** A logger writing readable lines into an array, as a terminal would show them. */
function capture() {
  const lines: string[] = [];
  const logger = pino(
    { level: 'debug', ...LOG_REDACTION },
    readableLines({ write: (text: string) => lines.push(text) }, false),
  );
  return { logger, lines };
}

describe('readableLines', () => {
  it('writes one line per entry: time, level, message, then the fields', () => {
    const { logger, lines } = capture();
    logger.info({ requestId: 'r-1', outcome: 'ok', latencyMs: 12 }, 'request done');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}request done {2}requestId=r-1 {2}outcome=ok {2}latencyMs=12\n$/,
    );
  });

  it('prints an error with its stack under the line', () => {
    const { logger, lines } = capture();
    logger.error({ err: new Error('subgraph refused') }, 'fetch failed');
    expect(lines[0]).toMatch(/ERROR fetch failed\nError: subgraph refused\n {4}at /);
  });

  it('shows credentials redacted, as the JSON log does', () => {
    const { logger, lines } = capture();
    logger.debug({ headers: { authorization: 'Bearer secret-token' }, token: 't0k' }, 'headers');
    expect(lines[0]).not.toContain('secret-token');
    expect(lines[0]).not.toContain('t0k');
    expect(lines[0]).toContain('[redacted]');
  });

  it('quotes strings with spaces and passes through lines that are not JSON', () => {
    const { logger, lines } = capture();
    logger.warn({ reason: 'quota used up' }, 'refused');
    expect(lines[0]).toContain('reason="quota used up"');
    const out: string[] = [];
    readableLines({ write: (text: string) => out.push(text) }, false).write('plain text\n');
    expect(out).toEqual(['plain text\n']);
  });
});
