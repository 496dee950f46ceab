/**
 * `lifecycleLog`: plain `[component] message` lines for a person, one JSON
 * record a line where the process's log is JSON (LOG_FORMAT=json, or the
 * default `auto` under NODE_ENV=production).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lifecycleLog } from '../../server/logging/lifecycleLog.ts';

afterEach(() => vi.restoreAllMocks());

function printed(env: NodeJS.ProcessEnv): string {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(console, 'log').mockImplementation((line: string) => {
    out += `${line}\n`;
  });
  lifecycleLog('gateway', env)('2 worker(s) serving http://127.0.0.1:4000/graphql');
  vi.restoreAllMocks();
  return out;
}

describe('lifecycleLog', () => {
  it.each([
    [{}, 'development'],
    [{ NODE_ENV: 'production', LOG_FORMAT: 'pretty' }, 'pretty asked for'],
    [{ LOG_FORMAT: 'auto' }, 'auto outside production'],
  ])(
    'prints a plain line where the log is for a person (%o: %s)',
    (env: NodeJS.ProcessEnv, _label: string) => {
      expect(printed(env)).toBe('[gateway] 2 worker(s) serving http://127.0.0.1:4000/graphql\n');
    },
  );

  it.each([
    [{ NODE_ENV: 'production' }, 'production, auto'],
    [{ LOG_FORMAT: 'json' }, 'json asked for'],
  ])(
    'prints one JSON record where the log is JSON lines (%o: %s)',
    (env: NodeJS.ProcessEnv, _label: string) => {
      const out = printed(env);
      expect(out.endsWith('\n')).toBe(true);
      expect(out.trim().split('\n')).toHaveLength(1);
      expect(JSON.parse(out)).toEqual({
        level: 30,
        time: expect.any(Number),
        pid: process.pid,
        component: 'gateway',
        msg: '2 worker(s) serving http://127.0.0.1:4000/graphql',
      });
    },
  );
});
