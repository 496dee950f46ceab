import type { Knex } from 'knex';
import { badUserInput, conflict, type Catalogue } from '../../../schema/index.ts';
import { authorityClaims } from './authorityClaims.ts';
import { crossLevelAuthority } from './crossLevelAuthority.ts';
import { selectLinkedEntry } from './linkedEntryQueries.ts';

/**
 * One number, one source across levels, for a version of entry `code` this
 * platform is asked to save, submit or publish (`document`, the catalogue
 * file's content, defaults not yet applied: an item is authoritative unless
 * it says otherwise). Throws CONFLICT, naming the other platform's entry, when
 * an item claims to be the authoritative source of an element a linked
 * platform's harvested entry already provides; BAD_USER_INPUT when an item
 * copies another level's source (`platform:CODE.item`) that the directory does
 * not hold as authoritative there.
 *
 * An element this entry's published version already claimed stays claimed:
 * the two platforms published their claims before they were linked, and the
 * link does not take either away (nor stop either entry being revised). It is
 * returned as a warning for the reviewer, and both administrators see the
 * conflict until one side makes its item a copy of the other's.
 */
export async function checkAuthorityAcrossLevels(
  db: Knex,
  catalogue: Catalogue,
  code: string,
  document: unknown,
): Promise<string[]> {
  const authority = await crossLevelAuthority(db, catalogue);
  const published = catalogue.entry(code);
  const held = new Set(
    published ? authorityClaims(code, published, authority.aliases).map((c) => c.element) : [],
  );
  const warnings: string[] = [];
  for (const claim of authorityClaims(code, document, authority.aliases)) {
    const other = authority.harvested.get(claim.element);
    if (!other) continue;
    const source = `${other.platform}:${other.entry}.${other.item}`;
    if (held.has(claim.element)) {
      warnings.push(
        `item ${claim.item} claims ${claim.element}, which linked platform ${other.platform} also provides in ${source} (${other.department}); both were published before the platforms were linked. ` +
          `One number, one source across levels: agree with ${other.platform} which stays the source, and make the other a copy of it (authoritative: false, source: ${source}).`,
      );
      continue;
    }
    // Held by another entry here: the catalogue's own one-source rule refuses it, naming that entry.
    const here = authority.own.get(claim.element);
    if (here && here.entry !== code) continue;
    throw conflict(
      `Item ${claim.item} of ${code} claims to be the authoritative source of ${claim.element}, which linked platform ${other.platform} already provides: ${source} (${other.department}). ` +
        `One number, one source across levels: do not register it as authoritative here; reference the other level's source instead (authoritative: false, source: ${source}), ` +
        `or read it from there (otherLevel(platform: "${other.platform}", dataset: "${other.entry}")). Nothing was changed.`,
      {
        platform: other.platform,
        entry: `${other.platform}:${other.entry}`,
        item: other.item,
        element: claim.element,
      },
    );
  }
  await checkOtherLevelSources(db, code, document);
  return warnings;
}

/** Each `platform:CODE.item` source names an item its linked platform publishes as authoritative. */
async function checkOtherLevelSources(db: Knex, code: string, document: unknown): Promise<void> {
  const items = (document as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) return;
  for (const item of items as { name?: unknown; source?: unknown }[]) {
    if (typeof item.source !== 'string' || !item.source.includes(':')) continue;
    const [platform = '', rest = ''] = item.source.split(':', 2);
    const [entryCode = '', name = ''] = rest.split('.', 2);
    const linked = await selectLinkedEntry(db, platform, entryCode);
    // Another platform's document: its items may be anything.
    const harvestedItems: unknown = linked?.entry.items;
    const target = Array.isArray(harvestedItems)
      ? (
          harvestedItems as {
            name?: unknown;
            authoritative?: unknown;
            source?: unknown;
            references?: unknown;
          }[]
        ).find((i) => i.name === name)
      : undefined;
    const authoritative =
      target !== undefined &&
      target.authoritative !== false &&
      !target.source &&
      !target.references;
    if (!authoritative) {
      throw badUserInput(
        `Item ${String(item.name)} of ${code} copies ${item.source}, which is no authoritative item in the directory of linked platforms; search directory(platform: "${platform}") for the other level's source. Nothing was changed.`,
        'document',
      );
    }
  }
}
