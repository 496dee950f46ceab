import type { CatalogueEntry, CatalogueItem, SharingType } from '../../../schema/index.ts';

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
  const itemsBefore = new Map(published.items.map((item) => [item.name, item]));
  for (const item of candidate.items) {
    const old = itemsBefore.get(item.name);
    if (!old) continue;
    const [was, is] = [itemType(published, old), itemType(candidate, item)];
    // An item without a type of its own follows its entry, whose widening is said above.
    const ownType = old.sharingType !== undefined || item.sharingType !== undefined;
    if (ownType && OPENNESS[is] > OPENNESS[was]) {
      widened.push(`item ${item.name} widens from ${was} to ${is}`);
    }
    const hidden = (old.embeds?.items ?? []).filter((e) => !(item.embeds?.items ?? []).includes(e));
    if (hidden.length > 0) {
      widened.push(
        `item ${item.name} no longer declares that it carries ${hidden.join(', ')}, so it would be shown whole to callers who may not read them`,
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
