import type { DenialReason } from '../../../schema/index.ts';
import type { Grant, GrantMask } from '../../../server/index.ts';

/**
 * What a caller gets of one item (of one record, where grants' row filters
 * differ): the value, the value masked, or a denial. `grant` is the grant the
 * item is served under (null when no grant is needed: the provider, an
 * UNCONDITIONAL item), named in the audit trail.
 */
export type ItemAccess =
  | { kind: 'READ'; grant: Grant | null }
  | { kind: 'MASK'; mask: GrantMask; grant: Grant | null }
  | { kind: 'DENY'; reason: DenialReason; message: string };

export type ItemDenial = ItemAccess & { kind: 'DENY' };

export const READ_FREELY: ItemAccess = { kind: 'READ', grant: null };

const STRENGTH = { DENY: 0, MASK: 1, READ: 2 } as const;

/**
 * The better of two ways to get an item from different grants: unmasked over
 * masked over denied; on a tie the first (the older grant) stands, so the
 * choice is deterministic and a newer grant never displaces an older one.
 */
export function better(a: ItemAccess, b: ItemAccess): ItemAccess {
  return STRENGTH[b.kind] > STRENGTH[a.kind] ? b : a;
}

/**
 * The stricter of two rules that must both hold (the dataset's own and its
 * source's, or an embedded fact's): a denial wins, two masks hide what either
 * hides, a mask wins over a read. The first argument's grant is kept.
 */
export function stricter(a: ItemAccess, b: ItemAccess): ItemAccess {
  if (a.kind === 'DENY') return a;
  if (b.kind === 'DENY') return b;
  if (b.kind === 'READ') return a;
  if (a.kind === 'READ') return { kind: 'MASK', mask: b.mask, grant: a.grant };
  return { kind: 'MASK', mask: combineMasks(a.mask, b.mask), grant: a.grant };
}

/**
 * A mask that hides everything either mask hides. Two KEEP_ENDS keep the fewer
 * characters at each end (SURNAME_ONLY is KEEP_ENDS 1/0); masks of different
 * shapes have no common refinement short of REDACT, so they give REDACT.
 */
export function combineMasks(a: GrantMask, b: GrantMask): GrantMask {
  if (sameMask(a, b)) return a;
  const ka = asKeepEnds(a);
  const kb = asKeepEnds(b);
  if (ka && kb) {
    return {
      rule: 'KEEP_ENDS',
      first: Math.min(ka.first, kb.first),
      last: Math.min(ka.last, kb.last),
    };
  }
  return { rule: 'REDACT' };
}

function asKeepEnds(mask: GrantMask): { first: number; last: number } | null {
  if (mask.rule === 'KEEP_ENDS') return mask;
  if (mask.rule === 'SURNAME_ONLY') return { first: 1, last: 0 };
  return null;
}

function sameMask(a: GrantMask, b: GrantMask): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
