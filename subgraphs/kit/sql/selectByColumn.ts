import type { Knex } from 'knex';
import type { DatasetTable, Row } from './DatasetTable.ts';

/**
 * Rows whose `column` holds one of `values` (the one-to-many side of a
 * reference), in one statement, ordered by key so each group is stable.
 */
export async function selectByColumn(
  db: Knex,
  table: DatasetTable,
  column: string,
  values: readonly (string | number)[],
): Promise<Row[]> {
  const rows = (await db(table.table)
    .select(table.selectList)
    .whereIn(column, values as (string | number)[])
    .orderBy(table.keyColumns.map((c) => ({ column: c, order: 'asc' })))) as Row[];
  return rows.map((r) => table.toRow(r));
}
