import type { Knex } from 'knex';
import { creditRecordRows, replaceTableRows } from '../../demo-data/index.ts';

/**
 * Replaces every row of `credit_records` with every person's and enterprise's credit records at
 * `options.scale` people; returns the row count. Rows stream from the
 * deterministic generator in batches, so any supported scale fits in memory,
 * and the same scale always seeds the same rows.
 */
export async function seed(knex: Knex, options: { scale: number }): Promise<number> {
  return replaceTableRows(knex, 'credit_records', creditRecordRows(options.scale));
}
