import type { Knex } from 'knex';
import type { DatasetTable, Row } from './DatasetTable.ts';
import { applyScope, type ListFilter } from './applyFilter.ts';
import { compiledSelect } from './compiledSelect.ts';

/**
 * Rows whose `column` holds one of `values` (the one-to-many side of a
 * reference) and that lie within `scope`, in one statement, ordered by key so
 * each group is stable.
 */
export async function selectByColumn(
  db: Knex,
  table: DatasetTable,
  column: string,
  values: readonly (string | number)[],
  scope: readonly ListFilter[] | null,
): Promise<Row[]> {
  const build = () => {
    const query = db(table.table)
      .select(table.selectList)
      .whereIn(column, values as (string | number)[]);
    applyScope(query, table, scope);
    return query.orderBy(table.keyColumns.map((c) => ({ column: c, order: 'asc' })));
  };
  // Without a row filter the text depends only on the table, the column and the number of values.
  const rows =
    scope === null
      ? await compiledSelect(db, table, `by ${column} ×${values.length}`, values, build)
      : ((await build()) as Row[]);
  return rows.map((r) => table.toRow(r));
}
