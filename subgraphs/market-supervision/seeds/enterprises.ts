import type { Knex } from 'knex';
import { enterpriseRows, replaceTableRows } from '../../demo-data/index.ts';

/**
 * Replaces every row of `enterprises` with one row per enterprise index (a tenth of the scale) at
 * `options.scale` people; returns the row count. Rows stream from the
 * deterministic generator in batches, so any supported scale fits in memory,
 * and the same scale always seeds the same rows.
 */
export async function seed(knex: Knex, options: { scale: number }): Promise<number> {
  return replaceTableRows(knex, 'enterprises', enterpriseRows(options.scale));
}
