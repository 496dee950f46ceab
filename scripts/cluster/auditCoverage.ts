import type { Knex } from 'knex';

/**
 * Of `requestIds`, those that have at least one audit record of `kind`
 * (REQUEST, written by a gateway; ACCESS, written by the subgraph named
 * `subgraph`). Read in slices, every id a bound parameter.
 */
export async function requestIdsWithRecords(
  db: Knex,
  kind: 'REQUEST' | 'ACCESS',
  requestIds: readonly string[],
  subgraph?: string,
): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < requestIds.length; i += 500) {
    const slice = requestIds.slice(i, i + 500);
    const query = db<{ request_id: string }>('audit_records')
      .distinct('request_id')
      .where('kind', kind)
      .whereIn('request_id', slice);
    if (subgraph !== undefined) query.andWhere('subgraph', subgraph);
    for (const row of await query) found.add(row.request_id);
  }
  return found;
}
