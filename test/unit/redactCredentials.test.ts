import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logging/createLogger.ts';
import { REDACTED, redactCredentials } from '../../server/logging/redactCredentials.ts';

/** A JSON logger at debug whose lines land in an array, parsed. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(
    { logLevel: 'debug' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  return { logger, lines };
}

describe('redactCredentials', () => {
  it('returns a line without credentials as it came: the same object', () => {
    const line = { requestId: 'r-1', outcome: 'ALLOWED', latencyMs: 3, nested: { a: [1, 2] } };
    expect(redactCredentials(line)).toBe(line);
  });

  it('redacts credential keys at the top, one, two and three levels down', () => {
    const line = {
      token: 't-0',
      headers: { authorization: 'Bearer t-1', 'x-api-key': 'k-1', accept: 'json' },
      req: { headers: { cookie: 's=1', 'x-govdata-context': 'ctx' } },
      err: { config: { headers: { 'set-cookie': 'c=2' } } },
      variables: { idNumber: '110101199003070011' },
      list: [{ password: 'p-1' }, { fine: 1 }],
    };
    const clean = redactCredentials(line);
    expect(clean).toEqual({
      token: REDACTED,
      headers: { authorization: REDACTED, 'x-api-key': REDACTED, accept: 'json' },
      req: { headers: { cookie: REDACTED, 'x-govdata-context': REDACTED } },
      err: { config: { headers: { 'set-cookie': REDACTED } } },
      variables: REDACTED,
      list: [{ password: REDACTED }, { fine: 1 }],
    });
    expect(clean.list[1]).toBe(line.list[1]);
  });

  it("never changes the caller's objects", () => {
    const headers = Object.freeze({ authorization: 'Bearer t-1' });
    const line = { headers };
    const clean = redactCredentials(line);
    expect(clean.headers.authorization).toBe(REDACTED);
    expect(line.headers).toBe(headers);
    expect(headers.authorization).toBe('Bearer t-1');
  });

  it('stops four levels down, and leaves buffers and scalars alone', () => {
    const deep = { a: { b: { c: { d: { token: 'five levels' } } } } };
    expect(redactCredentials(deep)).toBe(deep);
    const bytes = { body: Buffer.from('token') };
    expect(redactCredentials(bytes)).toBe(bytes);
  });

  it('keeps an error an error: its type, message and stack are logged beside the redaction', () => {
    const { logger, lines } = capture();
    const error = Object.assign(new TypeError('upstream refused'), {
      config: { headers: { authorization: 'Bearer leaked-1' } },
    });
    logger.error({ err: error }, 'fetch failed');
    const logged = lines[0]!.err as Record<string, unknown>;
    expect(logged.type).toBe('TypeError');
    expect(logged.message).toBe('upstream refused');
    expect(String(logged.stack)).toMatch(/^TypeError: upstream refused\n\s+at /);
    expect(JSON.stringify(lines)).not.toContain('leaked-1');
    expect(error.config.headers.authorization).toBe('Bearer leaked-1');
  });

  it('refuses a child logger bound to a credential, which pino would write unredacted', () => {
    const { logger, lines } = capture();
    expect(() => logger.child({ headers: { cookie: 'session=bound-1' } })).toThrow(
      /bound to a credential/,
    );
    logger.child({ subgraph: 'civil_affairs' }).info({ ok: true }, 'child line');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.subgraph).toBe('civil_affairs');
    expect(JSON.stringify(lines)).not.toContain('bound-1');
  });
});
