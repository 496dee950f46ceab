/** What a credential is written as. */
export const REDACTED = '[redacted]';

/**
 * Keys whose values are credentials or a request's data, wherever they sit in
 * a logged object: headers (as objects or as `req.headers`), tokens, keys,
 * passwords and GraphQL variables.
 */
const CREDENTIAL_KEYS: ReadonlySet<string> = new Set([
  'authorization',
  'cookie',
  'set-cookie',
  'token',
  'metricsToken',
  'password',
  'secret',
  'apiKey',
  'x-api-key',
  'x-govdata-context',
  'variables',
]);

/**
 * How deep into a logged object credentials are looked for: 4 reaches
 * `err.config.headers.authorization` and `req.headers.cookie`.
 */
const DEPTH = 4;

/**
 * `fields` (a log line's, or a child logger's bindings) with the value of each
 * credential key in it, down to four levels, replaced by `[redacted]`. The
 * caller's objects are never changed: what holds a credential is copied (with
 * its prototype, so an error keeps its type and stack), the rest shared.
 * A line without credentials is returned as it came, after one set lookup per
 * key: pino's `redact` with wildcard paths (`*.token`) cost about 25 µs a line,
 * ten times the writing of the line itself, on every request.
 */
export function redactCredentials<T extends object>(fields: T): T {
  return redacted(fields, DEPTH) as T;
}

function redacted(value: unknown, depth: number): unknown {
  if (depth === 0 || typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) {
    return value;
  }
  if (Array.isArray(value)) {
    const items = value as readonly unknown[];
    let copy: unknown[] | undefined;
    items.forEach((item, index) => {
      const clean = redacted(item, depth - 1);
      if (clean !== item) (copy ??= [...items])[index] = clean;
    });
    return copy ?? value;
  }
  const source = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(source)) {
    const item = source[key];
    const clean = CREDENTIAL_KEYS.has(key) ? REDACTED : redacted(item, depth - 1);
    if (clean === item) continue;
    copy ??= copyOf(source);
    Object.defineProperty(copy, key, {
      value: clean,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy ?? value;
}

/**
 * A shallow copy with the same prototype and properties, so an error still
 * serializes as one (type, message, stack); every property of the copy can be
 * redefined, even where the original was frozen.
 */
function copyOf(source: Record<string, unknown>): Record<string, unknown> {
  const properties = Object.getOwnPropertyDescriptors(source);
  for (const property of Object.values(properties)) property.configurable = true;
  return Object.create(Object.getPrototypeOf(source) as object | null, properties) as Record<
    string,
    unknown
  >;
}
