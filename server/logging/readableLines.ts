import type { DestinationStream } from 'pino';

/** pino's numeric levels, as a person reads them. */
const LEVELS: Record<number, { name: string; colour: number }> = {
  10: { name: 'TRACE', colour: 90 },
  20: { name: 'DEBUG', colour: 36 },
  30: { name: 'INFO', colour: 32 },
  40: { name: 'WARN', colour: 33 },
  50: { name: 'ERROR', colour: 31 },
  60: { name: 'FATAL', colour: 35 },
};

/** Fields every line has, shown in the line's head or not at all. */
const HEAD_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'err']);

/**
 * A destination that writes pino's JSON lines as one readable line each, for a
 * person watching a terminal during development:
 *
 *     15:50:30.123 INFO  request done  requestId=… outcome=ok latencyMs=12
 *
 * followed by an error's stack when the line carries one. Redaction has
 * already happened (pino applies it before writing), so this sees only what
 * the JSON log would hold. A line that is not pino's JSON is passed through.
 */
export function readableLines(
  out: { write(text: string): unknown } = process.stdout,
  colours = process.stdout.isTTY === true,
): DestinationStream {
  const paint = (code: number, text: string) =>
    colours ? `\u001b[${code}m${text}\u001b[0m` : text;
  return {
    write(line: string) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      const level = LEVELS[entry.level as number] ?? { name: String(entry.level), colour: 0 };
      const fields = Object.entries(entry)
        .filter(([key]) => !HEAD_FIELDS.has(key))
        .map(([key, value]) => `${paint(90, `${key}=`)}${formatValue(value)}`);
      const head = [
        paint(90, clockTime(entry.time)),
        paint(level.colour, level.name.padEnd(5)),
        typeof entry.msg === 'string' ? entry.msg : '',
      ].join(' ');
      const stack = errorStack(entry.err);
      out.write(`${[head, ...fields].join('  ')}\n${stack ? `${paint(31, stack)}\n` : ''}`);
    },
  };
}

/** `HH:MM:ss.mmm` in the machine's time zone, which is what a person at it expects. */
function clockTime(time: unknown): string {
  const date = new Date(typeof time === 'number' ? time : Date.now());
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(
    date.getMilliseconds(),
  ).padStart(3, '0')}`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string')
    return /\s/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

function errorStack(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const { stack, message } = err as { stack?: unknown; message?: unknown };
  if (typeof stack === 'string') return stack;
  return typeof message === 'string' ? message : undefined;
}
