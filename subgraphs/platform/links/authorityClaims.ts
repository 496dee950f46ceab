import { DATA_ELEMENTS, isOneSourceElement } from '../../../schema/index.ts';

/** An item that claims to be the authoritative source of a one-source element. */
export interface AuthorityClaim {
  /** The element, canonical: a dictionary code, or `type.item` in lower case for an own element. */
  element: string;
  entry: string;
  item: string;
  department: string;
}

/** Own element (`Type.item`, lower case) → the dictionary element an item there carries. */
export type ElementAliases = ReadonlyMap<string, string>;

/** Spaces, zero-width characters and the byte-order mark, which never tell elements apart. */
const INVISIBLE = /[\s\u200b-\u200d\u2060\ufeff]/gu;
/** The dictionary by every way of writing a code (any case) and by its standard's name. */
const DICTIONARY = new Map<string, string>(
  DATA_ELEMENTS.flatMap((e) => [
    [e.code.toLowerCase(), e.code],
    [e.title.normalize('NFKC').replace(INVISIBLE, '').toLowerCase(), e.code],
  ]),
);

/**
 * The element an item carries, written one way whoever wrote it: another
 * platform's entry is not validated here, so `' ResidentIdNumber'`,
 * `residentidnumber`, full-width letters and the standard's name 公民身份号码
 * all are `residentIdNumber`. An item without an element carries its own
 * (`Type.item`), compared without case; where an item of that type and name
 * carries a dictionary element (`aliases`), the own element is that one — a
 * `Person.idNumber` that names no element is still the ID number. Null for a
 * name that is neither (an element this platform's dictionary does not have,
 * which nothing here can hold).
 */
export function canonicalElement(
  element: unknown,
  type: string,
  item: string,
  aliases: ElementAliases = new Map(),
): string | null {
  const written =
    typeof element === 'string' ? element.normalize('NFKC').replace(INVISIBLE, '') : '';
  const own = (written === '' ? `${type}.${item}` : written).toLowerCase();
  const known = DICTIONARY.get(written.toLowerCase());
  if (known) return known;
  if (!own.includes('.')) return null;
  return aliases.get(own) ?? own;
}

interface LooseItem {
  name?: unknown;
  element?: unknown;
  authoritative?: unknown;
  source?: unknown;
  references?: unknown;
}

/** The entry's items, from a document that may be malformed (another platform's). */
function looseItems(entry: unknown): {
  type: string;
  items: (LooseItem | null | undefined)[];
  department: string;
} {
  const e = (entry ?? {}) as {
    binding?: { type?: unknown };
    items?: unknown;
    department?: unknown;
  };
  return {
    type: typeof e.binding?.type === 'string' ? e.binding.type : '',
    items: Array.isArray(e.items) ? (e.items as LooseItem[]) : [],
    department: typeof e.department === 'string' ? e.department : '',
  };
}

/**
 * Own elements that are really dictionary elements: `type.item` (lower case)
 * of every item in `entries` that carries one.
 */
export function elementAliases(entries: readonly unknown[]): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const entry of entries) {
    const { type, items } = looseItems(entry);
    for (const item of items) {
      if (typeof item?.name !== 'string') continue;
      const element = canonicalElement(item.element, type, item.name);
      if (element && !element.includes('.')) {
        const own = `${type}.${item.name}`.toLowerCase();
        if (!aliases.has(own)) aliases.set(own, element);
      }
    }
  }
  return aliases;
}

/**
 * What `entry` claims to be the authoritative source of: each item that is
 * not a copy (an item is authoritative unless it says `authoritative: false`
 * or names a source or a referenced entity, as the catalogue's default is)
 * and carries a one-source element. Works on a harvested document as on a
 * validated entry: whatever is malformed claims, never escapes a claim.
 */
export function authorityClaims(
  code: string,
  entry: unknown,
  aliases: ElementAliases,
): AuthorityClaim[] {
  const { type, items, department } = looseItems(entry);
  const claims: AuthorityClaim[] = [];
  for (const item of items) {
    if (typeof item?.name !== 'string') continue;
    const copy =
      item.authoritative === false ||
      (typeof item.source === 'string' && item.source !== '') ||
      (typeof item.references === 'object' && item.references !== null);
    if (copy) continue;
    const element = canonicalElement(item.element, type, item.name, aliases);
    if (!element || !isOneSourceElement(element)) continue;
    claims.push({ element, entry: code, item: item.name, department });
  }
  return claims;
}
