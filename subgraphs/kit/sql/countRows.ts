import type { Knex } from 'knex';
import type { DatasetTable } from './DatasetTable.ts';
import { applyFilter, applyScope, type ListFilter } from './applyFilter.ts';

/**
 * How many rows `selectPage` would page through for the same filter, scope
 * and change bound: what an export announces before its first record, for
 * the consumer's progress and ETA.
 */
export async function countRows(
  db: Knex,
  table: DatasetTable,
  request: {
    filter: ListFilter;
    scope: readonly ListFilter[] | null;
    changedSince?: { column: string; from: string } | undefined;
  },
): Promise<number> {
  const query = db(table.table);
  applyFilter(query, table, request.filter);
  applyScope(query, table, request.scope);
  if (request.changedSince)
    query.where(request.changedSince.column, '>=', request.changedSince.from);
  const row = (await query.count({ n: '*' }).first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}
