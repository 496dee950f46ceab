import type { Knex } from 'knex';
import { inTransaction } from '../../server/index.ts';

/** A value a generated row may hold: text (dates too), a number or NULL. */
export type SeedValue = string | number | null;

/** A generated row: column name to value; every row of one call has the same columns. */
export type SeedRow<Row> = { readonly [Column in keyof Row]: SeedValue };

/** Tuning of {@link replaceTableRows}; the defaults suit both SQLite and MySQL. */
export interface ReplaceTableRowsOptions {
  /** Rows per multi-row INSERT; capped so one statement binds under 60,000 parameters. */
  rowsPerInsert?: number;
  /** Rows per transaction: big enough to amortise commits, small enough to keep locks short. */
  rowsPerTransaction?: number;
}

/** MySQL's protocol allows 65,535 placeholders per statement; stay clear of it. */
const MAX_BINDINGS = 60_000;

/**
 * Empties `table` (TRUNCATE on MySQL, which commits at once; DELETE on
 * SQLite), then inserts `rows` in multi-row INSERTs, committing every
 * `rowsPerTransaction` rows, and returns how many were inserted. Rows are
 * pulled from the iterable batch by batch, so a generator of millions of rows
 * is never held in memory. Safe to re-run: the table is emptied first (rows
 * committed before a failure stay; re-running replaces them).
 *
 * The INSERT is written as `insert into t (cols) values (...), (...)`, which
 * SQLite and MySQL both accept and which avoids the 500-term compound SELECT
 * knex would build for SQLite.
 */
export async function replaceTableRows<Row extends SeedRow<Row>>(
  knex: Knex,
  table: string,
  rows: Iterable<Row>,
  options: ReplaceTableRowsOptions = {},
): Promise<number> {
  await knex(table).truncate();
  const iterator = rows[Symbol.iterator]();
  let first = iterator.next();
  if (first.done) return 0;
  const columns = Object.keys(first.value) as (keyof Row & string)[];
  const rowsPerInsert = Math.max(
    1,
    Math.min(options.rowsPerInsert ?? 500, Math.floor(MAX_BINDINGS / columns.length)),
  );
  const rowsPerTransaction = Math.max(rowsPerInsert, options.rowsPerTransaction ?? 20_000);
  const rowPlaceholder = `(${columns.map(() => '?').join(', ')})`;
  const statementFor = (count: number): string =>
    `insert into ?? (??) values ${Array.from({ length: count }, () => rowPlaceholder).join(', ')}`;
  const fullStatement = statementFor(rowsPerInsert);

  /** The next `rowsPerInsert` rows (fewer at the end), their values flattened in column order. */
  const nextBatch = (): Knex.Value[] => {
    const bindings: Knex.Value[] = [];
    let count = 0;
    while (count < rowsPerInsert) {
      const next = first.done === false ? first : iterator.next();
      first = { done: true, value: undefined };
      if (next.done) break;
      for (const column of columns) bindings.push(next.value[column] ?? null);
      count += 1;
    }
    return bindings;
  };

  let total = 0;
  let batch = nextBatch();
  while (batch.length > 0) {
    // A transaction's rows are pulled before it begins: a run the database rolls back for a
    // conflict is run again whole (`inTransaction`), with the same rows.
    const inserts: Knex.Value[][] = [];
    let rows = 0;
    while (batch.length > 0 && rows < rowsPerTransaction) {
      inserts.push(batch);
      rows += batch.length / columns.length;
      batch = nextBatch();
    }
    await inTransaction(knex, async (trx) => {
      for (const bindings of inserts) {
        const count = bindings.length / columns.length;
        const sql = count === rowsPerInsert ? fullStatement : statementFor(count);
        await trx.raw(sql, [table, columns, ...bindings]);
      }
    });
    total += rows;
  }
  return total;
}
