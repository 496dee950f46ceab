import type { Knex } from 'knex';
import { civilDateIn, type CatalogueEntry, type CatalogueItem } from '../../../schema/index.ts';
import { reserveGrantUnits, type RowFilter } from '../../../server/index.ts';
import { givenUnmasked } from '../services/givenUnmasked.ts';

/**
 * Which of the source's records a department's copies may be compared with
 * (all of them, or those any of these row filters admits; null: none), and,
 * when the grants that allow it have a daily quota, how to take records from
 * it: a comparison is a read of the record, counted as one.
 */
export type ComparisonScope = {
  rows: 'ALL' | RowFilter[];
  /** Takes up to `wanted` records from the day's quota; how many it took. Null: no quota. */
  reserve: ((wanted: number) => Promise<number>) | null;
} | null;

const UNLIMITED = { rows: 'ALL', reserve: null } as const;

/**
 * Comparing a copy with the record it copies tells whoever reads the result
 * whether the source holds that value — a verification of it. So a
 * department's copies are compared only with what the department may read
 * unmasked itself: its own data; an item shared with everyone; or an item
 * (with the source's key, and every fact the item declares it carries) listed
 * unmasked by one of its grants in force, within that grant's row filter and
 * out of its daily quota. Anything else is not
 * compared at all: no count, no sample key, no error report, so a table of
 * guesses catalogued as a "copy" learns nothing about another department's
 * register.
 */
export async function comparisonScope(
  db: Knex,
  copier: string,
  source: CatalogueEntry,
  sourceItem: CatalogueItem,
  sourceKey: CatalogueItem,
  now: Date,
  timeZone: string,
): Promise<ComparisonScope> {
  // The key too: which records exist is told by which are compared.
  const needed = [
    ...new Set([sourceItem.name, sourceKey.name, ...(sourceItem.embeds?.items ?? [])]),
  ];
  const grants = await givenUnmasked(db, copier, source, needed, now);
  if (grants === 'FREELY') return UNLIMITED;
  if (grants.length === 0) return null;
  const rows = grants.some((g) => g.rowFilter === null)
    ? ('ALL' as const)
    : grants.map((g) => g.rowFilter!);
  if (grants.some((g) => g.dailyQuota === null)) return { rows, reserve: null };
  const widest = grants.reduce((a, b) => (b.dailyQuota! > a.dailyQuota! ? b : a));
  const day = civilDateIn(now, timeZone);
  return {
    rows,
    reserve: (wanted) => reserveGrantUnits(db, widest.id, day, wanted, widest.dailyQuota!),
  };
}
