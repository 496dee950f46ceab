import {
  itemSharingType,
  MASKABLE_ITEM_TYPES,
  type Catalogue,
  type CatalogueEntry,
  type CatalogueItem,
  type SharingMode,
} from '../../../schema/index.ts';
import type { Grant } from '../../../server/index.ts';
import type { AccessDecision } from './decideAccess.ts';
import { better, READ_FREELY, stricter, type ItemAccess, type ItemDenial } from './ItemAccess.ts';

type Allowed = AccessDecision & { allowed: true };

/** How deep a chain of sourced items is followed before it is refused (catalogue validation forbids chains). */
const MAX_SOURCE_DEPTH = 4;

/**
 * What the sharing rules give of an item, before any record is looked at or
 * under the grants that admit one: the best applicable grant (unmasked over
 * masked over denied, ties to the older), an item's own stricter sharing type,
 * never more than its source gives the same caller (one number, one source),
 * and masked by its `embeds` mask when the caller may not read every fact it
 * embeds unmasked. Memoised per item and grant set for one request; the
 * dataset decisions come from `decide` (the request's, memoised there).
 */
export class ItemDecider {
  private readonly known = new Map<string, ItemAccess>();

  constructor(
    private readonly decide: (entry: CatalogueEntry, mode: SharingMode) => AccessDecision,
    private readonly catalogue: Catalogue,
  ) {}

  /**
   * The item under `grants` (null: all that apply, whatever their filters),
   * limited by its source and its embedded facts. Memoised per grant set.
   */
  effective(
    entry: CatalogueEntry,
    item: CatalogueItem,
    mode: SharingMode,
    grants: readonly Grant[] | null,
    depth: number,
  ): ItemAccess {
    const id = `${mode}\u0000${entry.code}\u0000${item.name}\u0000${grants ? grants.map((g) => g.id).join(',') : '*'}`;
    let access = this.known.get(id);
    if (access) return access;
    const decision = this.decide(entry, mode);
    if (!decision.allowed) return decision as unknown as ItemDenial;
    access = this.own(entry, item, decision, grants ?? decision.grants);
    // A provider reads its own data whole: the rules below are about sharing it.
    if (decision.basis === 'PROVIDER') {
      this.known.set(id, access);
      return access;
    }
    if (access.kind !== 'DENY' && item.source) {
      access = stricter(access, this.source(entry, item, mode, depth));
    }
    if (access.kind !== 'DENY' && item.embeds) {
      for (const name of item.embeds.items) {
        const embedded = entry.items.find((i) => i.name === name);
        const seen = embedded ? this.effective(entry, embedded, mode, grants, depth) : null;
        if (seen?.kind !== 'READ') {
          access = stricter(access, { kind: 'MASK', mask: item.embeds.concealWith, grant: null });
          break;
        }
      }
    }
    if (access.kind === 'MASK' && !MASKABLE_ITEM_TYPES.has(item.type)) {
      access = unmaskableDenial(entry, item);
    }
    this.known.set(id, access);
    return access;
  }

  /** The item as its own dataset's sharing and the given grants decide it. */
  private own(
    entry: CatalogueEntry,
    item: CatalogueItem,
    decision: Allowed,
    grants: readonly Grant[],
  ): ItemAccess {
    if (decision.basis === 'PROVIDER') return READ_FREELY;
    const type = itemSharingType(entry, item);
    if (type === 'NOT_SHARED') return this.notShared(entry, item);
    if (decision.basis === 'UNCONDITIONAL' && type === 'UNCONDITIONAL') return READ_FREELY;
    return this.bestOf(entry, item, grants);
  }

  bestOf(entry: CatalogueEntry, item: CatalogueItem, grants: readonly Grant[]): ItemAccess {
    if (grants.length === 0) {
      return {
        kind: 'DENY',
        reason: 'NO_GRANT',
        message: `Item ${item.name} of ${entry.code} is shared on conditions, and none of your grants gives it on this record. Apply for access through the platform.`,
      };
    }
    let best: ItemAccess | null = null;
    for (const grant of grants) {
      const mask = grant.masks[item.name];
      const access: ItemAccess = !grant.items.includes(item.name)
        ? { kind: 'DENY', reason: 'NO_GRANT', message: '' }
        : mask
          ? { kind: 'MASK', mask, grant }
          : { kind: 'READ', grant };
      best = best ? better(best, access) : access;
    }
    if (best!.kind !== 'DENY') return best!;
    const listed = grants.map((g) => `${g.id} (${g.items.join(', ')})`).join('; ');
    return {
      kind: 'DENY',
      reason: 'NO_GRANT',
      message: `Item ${item.name} is not among the items of grant${grants.length > 1 ? 's' : ''} ${listed}.`,
    };
  }

  /**
   * What the caller gets of the item `item` copies, as its own dataset would
   * serve it to the caller on every record: grants with a row filter count for
   * nothing here, since the copy cannot be checked against the source's record.
   */
  private source(
    entry: CatalogueEntry,
    item: CatalogueItem,
    mode: SharingMode,
    depth: number,
  ): ItemAccess {
    const [code = '', name = ''] = item.source!.split('.');
    const sourceEntry = this.catalogue.entry(code);
    const sourceItem = sourceEntry?.items.find((i) => i.name === name);
    const copy = `Item ${item.name} of ${entry.code} copies ${item.source}`;
    if (!sourceEntry || !sourceItem || depth >= MAX_SOURCE_DEPTH) {
      return {
        kind: 'DENY',
        reason: 'NOT_SHARED',
        message: `${copy}, which this platform cannot decide for you; it is not shared.`,
      };
    }
    const decision = this.decide(sourceEntry, mode);
    if (!decision.allowed) {
      return {
        kind: 'DENY',
        reason: decision.reason,
        message: `${copy}, and is never shown more openly than there: ${decision.message}`,
      };
    }
    const everywhere = decision.grants.filter((g) => g.rowFilter === null);
    const access = this.effective(sourceEntry, sourceItem, mode, everywhere, depth + 1);
    if (access.kind !== 'DENY') return { ...access, grant: null };
    const filtered =
      decision.grants.length > everywhere.length
        ? ' (a grant limited to some records does not show a copy, which cannot be checked against them)'
        : '';
    return {
      kind: 'DENY',
      reason: access.reason,
      message: `${copy}, and is never shown more openly than there${filtered}: ${access.message}`,
    };
  }

  notShared(entry: CatalogueEntry, item: CatalogueItem): ItemAccess {
    return {
      kind: 'DENY',
      reason: 'NOT_SHARED',
      message: `Item ${item.name} of ${entry.code} is not shared outside ${entry.department}.`,
    };
  }
}

/**
 * A mask answers text, which a number or a yes/no cannot carry. Granting
 * refuses such a mask (and publication refuses retyping a granted item), but
 * one can still be in force: a grant made before that check, or written outside
 * the platform's API. Its item is then withheld, with a denial that says why,
 * rather than answered whole or failing as an error of ours.
 */
function unmaskableDenial(entry: CatalogueEntry, item: CatalogueItem): ItemAccess {
  return {
    kind: 'DENY',
    reason: 'MASKED',
    message: `Item ${item.name} of ${entry.code} is masked under your grant, and as a ${item.type} it cannot be answered masked, so it is withheld. Ask the platform's reviewers to grant it whole or to leave it out of the grant.`,
  };
}
