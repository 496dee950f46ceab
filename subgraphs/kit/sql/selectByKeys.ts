import type { Knex } from 'knex';
import type { DatasetTable, KeyValue, Row } from './DatasetTable.ts';
import { applyScope, type ListFilter } from './applyFilter.ts';

/**
 * Rows whose key is one of `keys` and that lie within `scope` (a grant's row
 * filter), in one statement, in no particular order.
 */
export async function selectByKeys(
  db: Knex,
  table: DatasetTable,
  keys: readonly KeyValue[],
  scope: readonly ListFilter[] | null,
): Promise<Row[]> {
  const query = db(table.table).select(table.selectList);
  applyScope(query, table, scope);
  if (table.isCompositeKey) {
    query.whereIn(table.keyColumns as string[], keys as (string | number)[][]);
  } else {
    query.whereIn(table.keyColumns[0]!, keys as (string | number)[]);
  }
  const rows = (await query) as Row[];
  return rows.map((r) => table.toRow(r));
}
