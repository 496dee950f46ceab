import type { Knex } from 'knex';
import {
  keyString,
  selectByColumn,
  selectByKeys,
  type DatasetTable,
  type KeyValue,
  type ListFilter,
  type Row,
} from '../sql/index.ts';

/**
 * DataLoader batch functions. The contract, checked by DataLoader itself: the
 * result has the same length and order as the keys. Each batch is one SQL
 * statement, whatever the number of keys.
 */

/** Entity by key: `null` for a key with no row (or none within `scope`). */
export function entityBatch(db: Knex, table: DatasetTable, scope: ListFilter | null) {
  return async (keys: readonly KeyValue[]): Promise<(Row | null)[]> => {
    const rows = await selectByKeys(db, table, keys, scope);
    const byKey = new Map<string, Row>();
    for (const row of rows) byKey.set(keyString(table.keyOf(row)), row);
    return keys.map((key) => byKey.get(keyString(key)) ?? null);
  };
}

/** Rows referencing each value through `column` (one-to-many): `[]` for none. */
export function childrenBatch(
  db: Knex,
  table: DatasetTable,
  itemName: string,
  scope: ListFilter | null,
) {
  const column = table.item(itemName).column;
  return async (values: readonly (string | number)[]): Promise<Row[][]> => {
    const rows = await selectByColumn(db, table, column, values, scope);
    const groups = new Map<string, Row[]>();
    for (const row of rows) {
      const value = String(row[itemName]);
      const group = groups.get(value);
      if (group) group.push(row);
      else groups.set(value, [row]);
    }
    return values.map((value) => groups.get(String(value)) ?? []);
  };
}
