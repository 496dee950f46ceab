import type { Knex } from 'knex';
import type { DatasetTable, KeyValue, Row } from './DatasetTable.ts';
import { applyScope, type ListFilter } from './applyFilter.ts';
import { compiledSelect } from './compiledSelect.ts';

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
  const build = () => {
    const query = db(table.table).select(table.selectList);
    applyScope(query, table, scope);
    if (table.isCompositeKey) {
      query.whereIn(table.keyColumns as string[], keys as (string | number)[][]);
    } else {
      query.whereIn(table.keyColumns[0]!, keys as (string | number)[]);
    }
    return query;
  };
  // Without a row filter the text depends only on the table and the number of keys.
  const rows =
    scope === null
      ? await compiledSelect(db, table, `by key ×${keys.length}`, keys.flat(), build)
      : ((await build()) as Row[]);
  return rows.map((r) => table.toRow(r));
}
