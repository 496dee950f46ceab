/**
 * Masking rules a grant may put on an item. A masked item still answers, with
 * only the part of the value the grant allows; the rest becomes a fixed run of `*`.
 */
import type { GrantMask } from '../../../server/index.ts';

/** A masking rule: KEEP_ENDS (first/last characters), SURNAME_ONLY, YEAR_ONLY, REDACT. */
export type MaskRule = GrantMask;

export const MASK_RULE_NAMES = ['KEEP_ENDS', 'SURNAME_ONLY', 'YEAR_ONLY', 'REDACT'] as const;

/** Whether `value` is a mask rule this platform knows, with sane parameters. */
export function isMaskRule(value: unknown): value is MaskRule {
  if (typeof value !== 'object' || value === null) return false;
  const rule = (value as { rule?: unknown }).rule;
  if (rule === 'KEEP_ENDS') {
    const { first, last } = value as { first?: unknown; last?: unknown };
    return (
      Number.isInteger(first) &&
      Number.isInteger(last) &&
      (first as number) >= 0 &&
      (last as number) >= 0
    );
  }
  return rule === 'SURNAME_ONLY' || rule === 'YEAR_ONLY' || rule === 'REDACT';
}

/** Half of a UTF-16 pair: text with none is one code unit per character. */
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * What stands for the hidden part of a value: always the same, whatever it
 * hides. A run of `*` as long as the hidden part told a consumer the length of
 * what the grant hides — a given name's (张** against 张*), an address's — and
 * with it, among a few candidates, often which one it was.
 */
const HIDDEN = '****';

/**
 * Applies `mask` to a value; null stays null, non-strings are masked as their
 * text. The hidden part is a fixed run of `*` (`HIDDEN`), so a masked value
 * tells nothing of the hidden part's length; a value no longer than the ends
 * kept is hidden whole. Characters are counted as code points, not UTF-16
 * units, so a name outside the Basic Multilingual Plane (a rare CJK character)
 * keeps as many characters as any other.
 */
export function applyMask(mask: MaskRule, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : JSON.stringify(value);
  switch (mask.rule) {
    case 'KEEP_ENDS': {
      // Most masked values (ID numbers, phone numbers, names) are one unit per character.
      const chars: string | string[] = SURROGATE.test(text) ? Array.from(text) : text;
      const length = chars.length;
      if (mask.first + mask.last >= length) return HIDDEN;
      return (
        characters(chars, 0, mask.first) + HIDDEN + characters(chars, length - mask.last, length)
      );
    }
    case 'SURNAME_ONLY': {
      const chars: string | string[] = SURROGATE.test(text) ? Array.from(text) : text;
      // KEEP_ENDS 1/0, as ItemAccess combines it with other masks.
      return chars.length <= 1 ? HIDDEN : chars[0] + HIDDEN;
    }
    case 'YEAR_ONLY':
      return /^\d{4}/.test(text) ? text.slice(0, 4) : '****';
    case 'REDACT':
      return '***';
  }
}

/** The characters from `start` to `end` of a text, or of its code points. */
function characters(chars: string | string[], start: number, end: number): string {
  return typeof chars === 'string' ? chars.slice(start, end) : chars.slice(start, end).join('');
}
