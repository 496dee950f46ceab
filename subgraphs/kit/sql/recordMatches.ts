import type { Knex } from 'knex';
import { keyString, type DatasetTable, type KeyValue, type Row } from './DatasetTable.ts';
import { applyScope, sqlValue, type ListFilter } from './applyFilter.ts';

/**
 * Whether the record with `key` exists within `scope` and every item in
 * `claims` equals the given value. Answers yes or no; only the key comes back
 * from the database, to be compared here.
 *
 * The key is compared exactly, as on SQLite: a table's collation may make SQL
 * equality looser (MySQL's PAD SPACE collations ignore trailing spaces, `_ci`
 * ones case), and a record reachable under two spellings of its key would
 * have two budgets of verifications a day (they are kept per key as sent).
 * The entity loaders compare keys the same way (`keyString`).
 */
export async function recordMatches(
  db: Knex,
  table: DatasetTable,
  key: KeyValue,
  claims: Readonly<Record<string, string | number | boolean>>,
  scope: readonly ListFilter[] | null,
): Promise<boolean> {
  const keyValues = typeof key === 'object' ? key : [key];
  const keyItems = Object.fromEntries(table.keyItems.map((item) => [item.name, item.column]));
  const query = db(table.table).select(keyItems);
  table.keyColumns.forEach((column, i) => {
    query.where(column, keyValues[i]!);
  });
  applyScope(query, table, scope);
  for (const [name, value] of Object.entries(claims))
    query.where(table.item(name).column, sqlValue(value));
  // A unique key matches one row exactly; looser collations add its other spellings, if stored.
  const rows = (await query.limit(MOST_SPELLINGS)) as Row[];
  const wanted = keyString(key);
  return rows.some((row) => keyString(table.keyOf(table.toRow(row))) === wanted);
}

/** Rows read back for one key: more than any table holds spellings of one key. */
const MOST_SPELLINGS = 16;
