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

/** Applies `mask` to a value; null stays null, non-strings are masked as their text. */
export function applyMask(mask: MaskRule, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : JSON.stringify(value);
  const chars = Array.from(text);
  switch (mask.rule) {
    case 'KEEP_ENDS': {
      if (mask.first + mask.last >= chars.length) return '*'.repeat(chars.length);
      const hidden = chars.length - mask.first - mask.last;
      return (
        chars.slice(0, mask.first).join('') +
        '*'.repeat(hidden) +
        chars.slice(chars.length - mask.last).join('')
      );
    }
    case 'SURNAME_ONLY':
      return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
    case 'YEAR_ONLY':
      return /^\d{4}/.test(text) ? text.slice(0, 4) : '****';
    case 'REDACT':
      return '***';
  }
}
