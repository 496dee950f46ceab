import type { Knex } from 'knex';
import type { DatasetTable, KeyValue } from './DatasetTable.ts';
import { applyScope, sqlValue, type ListFilter } from './applyFilter.ts';

/**
 * Whether the record with `key` exists within `scope` and every item in
 * `claims` equals the given value. Answers yes or no and reads no item values back.
 */
export async function recordMatches(
  db: Knex,
  table: DatasetTable,
  key: KeyValue,
  claims: Readonly<Record<string, string | number | boolean>>,
  scope: readonly ListFilter[] | null,
): Promise<boolean> {
  const keyValues = typeof key === 'object' ? key : [key];
  const query = db(table.table).select(db.raw('1 as hit'));
  table.keyColumns.forEach((column, i) => {
    query.where(column, keyValues[i]!);
  });
  applyScope(query, table, scope);
  for (const [name, value] of Object.entries(claims))
    query.where(table.item(name).column, sqlValue(value));
  const rows = (await query.limit(1)) as unknown[];
  return rows.length > 0;
}
