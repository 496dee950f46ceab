import type { Knex } from 'knex';
import type { CatalogueEntry } from '../../../schema/index.ts';
import { selectGrantList, type Grant } from '../../../server/index.ts';

/**
 * How `department` may read the items `names` of `entry` unmasked on its own
 * account: freely (its own data, or items shared with everyone), through the
 * grants in force that list every one of them without a mask (an empty list:
 * not at all). The platform's own answer to "may this caller read these
 * values?", for what reads them without a query: a quality inspection
 * comparing a copy, a key sent to another platform.
 */
export async function givenUnmasked(
  db: Knex,
  department: string,
  entry: CatalogueEntry,
  names: readonly string[],
  now: Date,
): Promise<'FREELY' | Grant[]> {
  if (department === entry.department) return 'FREELY';
  const type = entry.sharing.type;
  if (type === 'NOT_SHARED') return [];
  const shared = (name: string) => entry.items.find((i) => i.name === name)?.sharingType ?? type;
  if (type === 'UNCONDITIONAL' && names.every((name) => shared(name) === 'UNCONDITIONAL')) {
    return 'FREELY';
  }
  if (names.some((name) => shared(name) === 'NOT_SHARED')) return [];
  return (await grantsInForce(db, department, entry.code, now)).filter((g) =>
    names.every((name) => g.items.includes(name) && g.masks[name] === undefined),
  );
}

/** `department`'s active grants on `dataset` whose validity window holds `now`. */
export async function grantsInForce(
  db: Knex,
  department: string,
  dataset: string,
  now: Date,
): Promise<Grant[]> {
  const at = now.toISOString();
  return (
    await selectGrantList(db, {
      visibleTo: null,
      dataset,
      consumerDepartment: department,
      status: 'ACTIVE',
      offset: 0,
      limit: null,
    })
  ).filter((g) => g.validFrom <= at && at < g.validUntil);
}
