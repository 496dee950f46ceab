import type { Knex } from 'knex';

/**
 * Reads `columns` of every row of `table`, `batchSize` rows at a time, in key
 * order, resuming after the last key seen (keyset pagination): each batch is
 * one indexed range query, so memory stays one batch whatever the table's
 * size and no batch rescans the rows before it. Identifiers come from the
 * validated catalogue; knex quotes them, and key values are bound.
 */
export async function* scanInBatches(
  db: Knex,
  table: string,
  keyColumns: readonly string[],
  columns: readonly string[],
  batchSize: number,
): AsyncGenerator<Record<string, unknown>[]> {
  let after: unknown[] | null = null;
  for (;;) {
    const query = db(table)
      .select([...new Set([...keyColumns, ...columns])])
      .orderBy(keyColumns.map((column) => ({ column, order: 'asc' as const })))
      .limit(batchSize);
    if (after) whereAfter(query, keyColumns, after);
    const rows = (await query) as Record<string, unknown>[];
    if (rows.length > 0) yield rows;
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    after = keyColumns.map((c) => last[c]);
  }
}

/** (k1, k2, …) > (v1, v2, …), spelled out so both SQLite and MySQL use the key's index. */
function whereAfter(query: Knex.QueryBuilder, keys: readonly string[], values: unknown[]): void {
  void query.where((outer) => {
    keys.forEach((_, i) => {
      void outer.orWhere((inner) => {
        for (let j = 0; j < i; j++) void inner.where(keys[j]!, values[j] as Knex.Value);
        void inner.where(keys[i]!, '>', values[i] as Knex.Value);
      });
    });
  });
}
