import { expect } from 'vitest';
import type { GraphQLResponse } from './testPlatform.ts';

/**
 * Assertions for attack tests on the access model: where a denial sits, what a
 * masked value may still show, and whether a secret reached the client in any
 * form. Each fails the test when the attack got data.
 */

export type Path = readonly (string | number)[];

const samePath = (a: Path | undefined, b: Path) => JSON.stringify(a ?? []) === JSON.stringify(b);

/** Every error of the response at exactly `path`. */
export function errorsAt(response: GraphQLResponse<unknown>, path: Path) {
  return (response.errors ?? []).filter((e) => samePath(e.path, path));
}

/** Exactly one error at `path`, FORBIDDEN with `denial` among its extensions; returns it. */
export function expectDenied(
  response: GraphQLResponse<unknown>,
  path: Path,
  denial: Record<string, unknown> = {},
) {
  const found = errorsAt(response, path);
  expect(
    found,
    `one error at ${path.join('.')} in ${JSON.stringify(response.errors)}`,
  ).toHaveLength(1);
  expect(found[0]!.extensions).toMatchObject({ code: 'FORBIDDEN', ...denial });
  return found[0]!;
}

/** The reasons a refused item in a filter or a match may carry: not granted, or masked. */
export const REFUSED_ITEM_REASONS = ['NO_GRANT', 'MASKED'];

/** Exactly one FORBIDDEN error at `path` naming `item`, for NO_GRANT or MASKED. */
export function expectItemRefused(
  response: GraphQLResponse<unknown>,
  path: Path,
  item: string,
  dataset?: string,
) {
  const error = expectDenied(response, path, { item, ...(dataset ? { dataset } : {}) });
  expect(REFUSED_ITEM_REASONS).toContain(error.extensions?.reason);
  return error;
}

/** Errors anywhere with this `reason` in their extensions. */
export function errorsWithReason(response: GraphQLResponse<unknown>, reason: string) {
  return (response.errors ?? []).filter((e) => e.extensions?.reason === reason);
}

export function expectNoErrors(response: GraphQLResponse<unknown>): void {
  expect(response.status).toBe(200);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
}

/** Fails if any of `secrets` appears anywhere in the response, errors included. */
export function expectNotLeaked(response: GraphQLResponse<unknown>, ...secrets: string[]): void {
  const text = JSON.stringify(response);
  const leaked = secrets.filter((s) => s.length > 0 && text.includes(s));
  expect(leaked, `leaked ${leaked.length} secret(s), e.g. ${leaked[0]}`).toEqual([]);
}

/** KEEP_ENDS by characters, as the platform's masks apply it. */
export function keepEnds(value: string, first: number, last: number): string {
  const chars = Array.from(value);
  if (first + last >= chars.length) return '****';
  return chars.slice(0, first).join('') + '****' + chars.slice(chars.length - last).join('');
}

/**
 * Whether `shown` reveals of `real` at most the positions `visible` allows:
 * `shown` is `real` itself, or one run of `*` with at most a beginning of
 * `real` before it and an end of `real` after it, every character kept at a
 * visible position of `real`. The run's length is not compared: a mask's says
 * nothing of what it hides.
 */
export function revealsAtMost(
  shown: string,
  real: string,
  visible: (position: number) => boolean,
): boolean {
  const a = Array.from(shown);
  const b = Array.from(real);
  const start = a.indexOf('*');
  if (start < 0) return shown === real && b.every((_, i) => visible(i));
  const end = a.lastIndexOf('*') + 1;
  const before = a.slice(0, start);
  const after = a.slice(end);
  if (a.slice(start, end).some((c) => c !== '*')) return false;
  if (before.length + after.length > b.length) return false;
  const from = b.length - after.length;
  return (
    before.every((c, i) => c === b[i] && visible(i)) &&
    after.every((c, i) => c === b[from + i] && visible(from + i))
  );
}

/** Positions 0-5 of a resident ID number: the region code, the most an embedding concealment shows. */
export const REGION_ONLY = (position: number) => position < 6;

/**
 * A resident ID number as a consumer without unmasked birth date and sex may
 * receive it: null (denied) or at most the region code, `330106****`.
 */
export function expectIdConcealed(shown: unknown, real: string, where = ''): void {
  if (shown === null) return;
  expect(typeof shown, `${where}: ${JSON.stringify(shown)}`).toBe('string');
  expect(
    revealsAtMost(shown as string, real, REGION_ONLY),
    `${where}: ${shown as string} reveals more of ${real} than its region code`,
  ).toBe(true);
}

/** Every string anywhere inside `value` (keys excluded). */
export function stringsIn(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return out;
}

/** A value shaped like a resident ID number, whole or masked (18 characters of digits, X and *). */
export const isIdLike = (s: string) => /^[0-9X*]{18}$/.test(s) && /[0-9]/.test(s);

/**
 * Fails if any ID-number-shaped value in the response's data shows a character
 * beyond the region code (the birth date, sequence, sex and check digit), or if
 * any real ID number appears anywhere in the response.
 */
export function expectNoIdBeyondRegion(
  response: GraphQLResponse<unknown>,
  realIds: Iterable<string>,
): void {
  const ids = [...realIds];
  const fits = (shown: string, id: string) =>
    Array.from(shown).every((c, i) => c === '*' || c === id[i]);
  const shown = stringsIn(response.data).filter(isIdLike);
  // Values shaped like an ID number but fitting none (an all-digit credit code) are not one.
  const revealing = shown.filter(
    (s) => !Array.from(s).every((c, i) => i < 6 || c === '*') && ids.some((id) => fits(s, id)),
  );
  expect(
    revealing,
    `ID numbers shown beyond the region code: ${revealing.slice(0, 3).join(', ')}`,
  ).toEqual([]);
  const text = JSON.stringify(response);
  const leaked = ids.filter((id) => text.includes(id));
  expect(leaked, `whole ID numbers leaked: ${leaked.slice(0, 3).join(', ')}`).toEqual([]);
}

/**
 * The texts an attacker gets by decoding an opaque value (a cursor, a join
 * handle) as base64 or base64url: the value itself and both decodings.
 */
export function decodings(value: string): string[] {
  return [
    value,
    Buffer.from(value, 'base64url').toString('latin1'),
    Buffer.from(value, 'base64').toString('latin1'),
    Buffer.from(value, 'base64url').toString('utf8'),
  ];
}

/** Every run of six characters of `key`. */
const sixRuns = (key: string) =>
  Array.from({ length: Math.max(0, key.length - 5) }, (_, i) => key.slice(i, i + 6));

/**
 * Fails if an opaque value (a cursor, a join handle), as sent or decoded as
 * base64/base64url, holds any of `keys` or any run of 6 of their characters;
 * decoded, it may hold no run of 6 or more digits at all.
 */
export function expectOpaque(value: string, ...keys: string[]): void {
  const runs = keys.flatMap(sixRuns);
  decodings(value).forEach((text, i) => {
    const found = runs.filter((run) => text.includes(run));
    expect(found, `${value} holds part of a key`).toEqual([]);
    if (i > 0) expect(text, `${value} decodes to a run of 6+ digits`).not.toMatch(/[0-9]{6,}/);
  });
}
