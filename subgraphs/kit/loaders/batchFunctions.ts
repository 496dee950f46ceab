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
 * statement, whatever the number of keys. `charge` counts the records found
 * against the caller's quotas and replaces those past them with errors.
 */
export type Charge = (rows: readonly Row[]) => Promise<readonly (Row | Error)[]>;

/** Entity by key: `null` for a key with no row (or none within `scope`). */
export function entityBatch(
  db: Knex,
  table: DatasetTable,
  scope: readonly ListFilter[] | null,
  charge: Charge,
) {
  return async (keys: readonly KeyValue[]): Promise<(Row | Error | null)[]> => {
    // Keys are compared exactly, whatever the collation made of them in SQL (see recordMatches):
    // a row found under another spelling of its key is neither served nor counted.
    const wanted = new Set(keys.map(keyString));
    const rows = (await selectByKeys(db, table, keys, scope)).filter((row) =>
      wanted.has(keyString(table.keyOf(row))),
    );
    const charged = await charge(rows);
    const byKey = new Map<string, Row | Error>();
    rows.forEach((row, i) => byKey.set(keyString(table.keyOf(row)), charged[i]!));
    // Once a quota runs out in the batch, a key found and one not found answer alike.
    const ranOut = charged.find((c): c is Error => c instanceof Error) ?? null;
    return keys.map((key) => byKey.get(keyString(key)) ?? ranOut);
  };
}

/** Rows referencing each value through `column` (one-to-many): `[]` for none. */
export function childrenBatch(
  db: Knex,
  table: DatasetTable,
  itemName: string,
  scope: readonly ListFilter[] | null,
  charge: Charge,
) {
  const column = table.item(itemName).column;
  return async (values: readonly (string | number)[]): Promise<(Row | Error)[][]> => {
    const rows = await selectByColumn(db, table, column, values, scope);
    const charged = await charge(rows);
    const groups = new Map<string, (Row | Error)[]>();
    rows.forEach((row, i) => {
      const value = String(row[itemName]);
      const group = groups.get(value);
      if (group) group.push(charged[i]!);
      else groups.set(value, [charged[i]!]);
    });
    // Once a quota runs out in the batch, every group ends at its first error, and one with
    // no record answers that error too: how many records each had is not learnt past it.
    const ranOut = charged.find((c): c is Error => c instanceof Error) ?? null;
    if (ranOut === null) return values.map((value) => groups.get(String(value)) ?? []);
    return values.map((value) => {
      const group = groups.get(String(value)) ?? [];
      const cut = group.findIndex((member) => member instanceof Error);
      return cut < 0 ? [...group, ranOut] : group.slice(0, cut + 1);
    });
  };
}
