import type { Knex } from 'knex';
import { scanRows } from '../../../server/index.ts';
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
    holder?: string;
  },
): Promise<number> {
  const query = db(table.table);
  applyFilter(query, table, request.filter);
  applyScope(query, table, request.scope);
  if (request.changedSince)
    query.where(request.changedSince.column, '>=', request.changedSince.from);
  // As many rows as the page would scan: off the event loop (see `scanRows`).
  const [row] = (await scanRows(db, query.count({ n: '*' }), request.holder)) as {
    n: number | string;
  }[];
  return Number(row?.n ?? 0);
}
