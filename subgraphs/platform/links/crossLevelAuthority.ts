import type { Knex } from 'knex';
import type { Catalogue } from '../../../schema/index.ts';
import {
  authorityClaims,
  elementAliases,
  type AuthorityClaim,
  type ElementAliases,
} from './authorityClaims.ts';
import { selectLinkedEntries, type LinkedEntry } from './linkedEntryQueries.ts';

/** A claim in a linked platform's harvested catalogue. */
export interface HarvestedClaim extends AuthorityClaim {
  platform: string;
}

/**
 * A harvested entry's claim on an element that this platform already holds
 * authoritatively (or that another linked platform claimed first): not taken
 * into the directory as authoritative, and shown to administrators.
 */
export interface AuthorityConflict extends HarvestedClaim {
  /** Who holds the element here: `CODE.item (department)`, or `platform:CODE.item (department)`. */
  heldBy: string;
}

/** One number, one source, as this platform sees it across its links. */
export interface LevelAuthority {
  aliases: ElementAliases;
  /** This platform's own claims, by element. */
  own: Map<string, AuthorityClaim>;
  /** Every harvested claim, by element (the first, in platform and code order). */
  harvested: Map<string, HarvestedClaim>;
  /** Harvested claims taken as authoritative, by element: those no one here or before them holds. */
  taken: Map<string, HarvestedClaim>;
  conflicts: AuthorityConflict[];
}

const named = (c: AuthorityClaim, platform?: string) =>
  `${platform ? `${platform}:` : ''}${c.entry}.${c.item} (${c.department})`;

/**
 * Who is the authoritative source of each one-source element, this platform's
 * catalogue in force and its directory of linked platforms together. This
 * platform's own claims stand (its reviewers published them); a harvested
 * claim on an element one of them holds is a conflict, as is a second linked
 * platform's claim on an element a first already holds; every other harvested
 * claim is taken as the element's source. Elements are compared as
 * `canonicalElement` writes them, so no spelling of a code escapes.
 */
export async function crossLevelAuthority(
  db: Knex,
  catalogue: Catalogue,
  linked?: readonly LinkedEntry[],
): Promise<LevelAuthority> {
  const harvestedEntries = linked ?? (await selectLinkedEntries(db));
  const aliases = elementAliases([...catalogue.entries, ...harvestedEntries.map((h) => h.entry)]);
  const own = new Map<string, AuthorityClaim>();
  for (const entry of catalogue.entries) {
    for (const claim of authorityClaims(entry.code, entry, aliases)) {
      if (!own.has(claim.element)) own.set(claim.element, claim);
    }
  }
  const harvested = new Map<string, HarvestedClaim>();
  const taken = new Map<string, HarvestedClaim>();
  const conflicts: AuthorityConflict[] = [];
  for (const entry of harvestedEntries) {
    for (const claim of authorityClaims(entry.code, entry.entry, aliases)) {
      const at: HarvestedClaim = { ...claim, platform: entry.platform };
      if (!harvested.has(at.element)) harvested.set(at.element, at);
      const here = own.get(at.element);
      const before = taken.get(at.element);
      if (here) conflicts.push({ ...at, heldBy: named(here) });
      else if (before && before.platform !== at.platform) {
        conflicts.push({ ...at, heldBy: named(before, before.platform) });
      } else if (!before) taken.set(at.element, at);
    }
  }
  return { aliases, own, harvested, taken, conflicts };
}

/** The elements a directory entry is the authoritative source of, as this platform takes it. */
export function authoritativeFor(
  authority: LevelAuthority,
  platform: string | null,
  code: string,
): string[] {
  const claims =
    platform === null
      ? [...authority.own.values()]
      : [...authority.taken.values()].filter((c) => c.platform === platform);
  return [...new Set(claims.filter((c) => c.entry === code).map((c) => c.element))].sort();
}
