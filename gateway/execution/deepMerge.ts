/**
 * Merges a subgraph's answer for one object into the object already in the
 * response: Apollo Gateway's merge, exactly (lists of equal length merge
 * element by element, anything else replaces). It walks only `source`, the
 * fetch's own answer, never the rest of the response.
 */
export function deepMerge(target: Record<string, unknown>, source: unknown): void {
  if (source === undefined || source === null) return;
  const from = source as Record<string, unknown>;
  for (const key of Object.keys(from)) {
    const value = from[key];
    if (value === undefined) continue;
    if (!Object.prototype.hasOwnProperty.call(target, key) && key in target) {
      // An inherited name (`__proto__`, `constructor`): made the object's own before it is set.
      Object.defineProperty(target, key, {
        configurable: true,
        enumerable: true,
        value: undefined,
        writable: true,
      });
    }
    const existing = target[key];
    if (existing && isObject(value)) {
      deepMerge(existing as Record<string, unknown>, value);
    } else if (
      Array.isArray(value) &&
      Array.isArray(existing) &&
      value.length === existing.length
    ) {
      const into = existing as unknown[];
      const from = value as unknown[];
      for (let i = 0; i < from.length; i++) {
        const element = into[i];
        if (isObject(element) && isObject(from[i])) {
          deepMerge(element, from[i]);
        } else {
          into[i] = from[i];
        }
      }
    } else {
      target[key] = value;
    }
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
