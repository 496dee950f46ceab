import type { Knex } from 'knex';
import type { DatasetTable, KeyValue, Row } from './DatasetTable.ts';
import { applyFilter, applyScope, type ListFilter } from './applyFilter.ts';

export interface PageRequest {
  filter: ListFilter;
  /** The caller's row filter (from a grant), applied besides `filter`. */
  scope: readonly ListFilter[] | null;
  /** Rows wanted; the caller has checked it against the page size cap. */
  first: number;
  /** Key of the last row of the previous page, decoded from its cursor. */
  after?: KeyValue;
}

export interface Page {
  rows: Row[];
  hasNextPage: boolean;
}

/**
 * One page of a dataset in key order (keyset pagination: stable under inserts
 * and as fast on page 1000 as on page 1). Reads one row more than asked to know
 * whether another page follows.
 */
export async function selectPage(
  db: Knex,
  table: DatasetTable,
  request: PageRequest,
): Promise<Page> {
  const query = db(table.table).select(table.selectList);
  applyFilter(query, table, request.filter);
  applyScope(query, table, request.scope);
  if (request.after !== undefined) {
    const after = typeof request.after === 'object' ? request.after : [request.after];
    const columns = table.keyColumns.map(() => '??').join(', ');
    const values = after.map(() => '?').join(', ');
    query.whereRaw(`(${columns}) > (${values})`, [...table.keyColumns, ...after]);
  }
  query.orderBy(table.keyColumns.map((c) => ({ column: c, order: 'asc' })));
  query.limit(request.first + 1);
  const rows = ((await query) as Row[]).map((r) => table.toRow(r));
  const hasNextPage = rows.length > request.first;
  if (hasNextPage) rows.pop();
  return { rows, hasNextPage };
}
