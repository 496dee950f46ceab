import type { CatalogueEntry, CatalogueItem, SharingType } from '../../../schema/index.ts';
import type { GrantMask } from '../../../server/index.ts';

/** How openly each sharing type shares: a higher number reaches more callers. */
const OPENNESS: Readonly<Record<SharingType, number>> = {
  NOT_SHARED: 0,
  CONDITIONAL: 1,
  UNCONDITIONAL: 2,
};

/**
 * What a new version shares more openly than the published one, in words for
 * the reviewer: the entry's sharing type, its modes, each item's own type, and
 * facts an item stops declaring it carries. A review that does not see these
 * could publish a version that opens the register to every department without
 * anyone having said so; an empty list when nothing widens or there is no
 * published version to compare with (a new entry is reviewed whole).
 */
export function sharingWidening(
  published: CatalogueEntry | undefined,
  candidate: CatalogueEntry,
): string[] {
  if (!published) return [];
  const widened: string[] = [];
  const [before, after] = [published.sharing.type, candidate.sharing.type];
  if (OPENNESS[after] > OPENNESS[before]) {
    widened.push(
      `sharing widens from ${before} to ${after}` +
        (after === 'UNCONDITIONAL'
          ? ': every signed-in department would read it without a grant'
          : ': departments could be granted it'),
    );
  }
  const addedModes = candidate.sharing.modes.filter((m) => !published.sharing.modes.includes(m));
  if (addedModes.length > 0) widened.push(`modes added: ${addedModes.join(', ')}`);
  // By column, not by name: the data is the column's, whatever the item is called now.
  const byColumn = new Map(published.items.map((item) => [item.column, item]));
  const columnOf = (entry: CatalogueEntry, name: string) =>
    entry.items.find((i) => i.name === name)?.column ?? name;
  for (const item of candidate.items) {
    const old = byColumn.get(item.column);
    const is = itemType(candidate, item);
    const called = (was: CatalogueItem) =>
      was.name === item.name
        ? `item ${item.name}`
        : `item ${item.name} (column ${item.column}, was ${was.name})`;
    if (!old) {
      if (is !== 'NOT_SHARED')
        widened.push(`item ${item.name} (column ${item.column}) is new, shared ${is}`);
      continue;
    }
    const was = itemType(published, old);
    // An item without a type of its own follows its entry, whose widening is said above.
    const ownType =
      old.sharingType !== undefined || item.sharingType !== undefined || old.name !== item.name;
    if (ownType && OPENNESS[is] > OPENNESS[was]) {
      widened.push(`${called(old)} widens from ${was} to ${is}`);
    }
    if (old.source && old.source !== item.source) {
      widened.push(
        `${called(old)} is no longer declared a copy of ${old.source}, so its source's rules would no longer limit it`,
      );
    }
    const carried = (entry: CatalogueEntry, of: CatalogueItem) =>
      (of.embeds?.items ?? []).map((name) => columnOf(entry, name));
    const now = carried(candidate, item);
    const hidden = carried(published, old).filter((column) => !now.includes(column));
    if (hidden.length > 0) {
      widened.push(
        `${called(old)} no longer declares that it carries column ${hidden.join(', ')}, so it would be shown whole to callers who may not read them`,
      );
    } else if (
      old.embeds &&
      item.embeds &&
      kept(item.embeds.concealWith) > kept(old.embeds.concealWith)
    ) {
      widened.push(
        `${called(old)} conceals what it carries less than before (${old.embeds.concealWith.rule} keeping more)`,
      );
    }
  }
  return widened.map(
    (change) =>
      `${change}, against the published version: check the legal basis before publishing.`,
  );
}

/** An item's sharing type in force: its own, never more open than its entry's. */
function itemType(entry: CatalogueEntry, item: CatalogueItem): SharingType {
  const own = item.sharingType ?? entry.sharing.type;
  return OPENNESS[own] < OPENNESS[entry.sharing.type] ? own : entry.sharing.type;
}

/** How many characters a mask keeps at most: the more, the less it conceals. */
function kept(mask: GrantMask): number {
  if (mask.rule === 'KEEP_ENDS') return mask.first + mask.last;
  return mask.rule === 'REDACT' ? 0 : Number.MAX_SAFE_INTEGER;
}
