import type { Knex } from 'knex';
import type { CatalogueEntry, CatalogueItem } from '../../../schema/index.ts';
import { selectGrantList, type RowFilter } from '../../../server/index.ts';

/**
 * Which of the source's records a department's copies may be compared with:
 * all of them, those any of these row filters admits, or none (null).
 */
export type ComparisonScope = { rows: 'ALL' } | { rows: RowFilter[] } | null;

/**
 * Comparing a copy with the record it copies tells whoever reads the result
 * whether the source holds that value — a verification of it. So a
 * department's copies are compared only with what the department may read
 * unmasked itself: its own data; an item shared with everyone; or an item
 * (with every fact it declares it carries) listed unmasked by one of its
 * grants in force, within that grant's row filter. Anything else is not
 * compared at all: no count, no sample key, no error report, so a table of
 * guesses catalogued as a "copy" learns nothing about another department's
 * register.
 */
export async function comparisonScope(
  db: Knex,
  copier: string,
  source: CatalogueEntry,
  sourceItem: CatalogueItem,
  now: Date,
): Promise<ComparisonScope> {
  if (copier === source.department) return { rows: 'ALL' };
  const needed = [sourceItem.name, ...(sourceItem.embeds?.items ?? [])];
  const type = source.sharing.type;
  if (type === 'NOT_SHARED') return null;
  const shared = (name: string) => source.items.find((i) => i.name === name)?.sharingType ?? type;
  if (type === 'UNCONDITIONAL' && needed.every((name) => shared(name) === 'UNCONDITIONAL')) {
    return { rows: 'ALL' };
  }
  if (needed.some((name) => shared(name) === 'NOT_SHARED')) return null;
  const at = now.toISOString();
  const grants = (
    await selectGrantList(db, {
      visibleTo: null,
      dataset: source.code,
      consumerDepartment: copier,
      status: 'ACTIVE',
      offset: 0,
      limit: null,
    })
  ).filter(
    (g) =>
      g.validFrom <= at &&
      at < g.validUntil &&
      needed.every((name) => g.items.includes(name) && g.masks[name] === undefined),
  );
  if (grants.length === 0) return null;
  if (grants.some((g) => g.rowFilter === null)) return { rows: 'ALL' };
  return { rows: grants.map((g) => g.rowFilter!) };
}
