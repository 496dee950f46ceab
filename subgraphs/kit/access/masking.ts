/**
 * Masking rules a grant may put on an item. A masked item still answers, with
 * only the part of the value the grant allows; the rest becomes `*`.
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
 * Applies `mask` to a value; null stays null, non-strings are masked as their
 * text. Characters are counted as code points, not UTF-16 units, so a name
 * outside the Basic Multilingual Plane (a rare CJK character) keeps as many
 * characters as any other.
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
      if (mask.first + mask.last >= length) return '*'.repeat(length);
      return (
        characters(chars, 0, mask.first) +
        '*'.repeat(length - mask.first - mask.last) +
        characters(chars, length - mask.last, length)
      );
    }
    case 'SURNAME_ONLY': {
      const chars: string | string[] = SURROGATE.test(text) ? Array.from(text) : text;
      return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
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
