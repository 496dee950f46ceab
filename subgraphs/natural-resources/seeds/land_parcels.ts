import type { Knex } from 'knex';
import { landParcelRows, replaceTableRows } from '../../demo-data/index.ts';

/**
 * Replaces every row of `land_parcels` with every person's and enterprise's parcels at
 * `options.scale` people; returns the row count. Rows stream from the
 * deterministic generator in batches, so any supported scale fits in memory,
 * and the same scale always seeds the same rows.
 */
export async function seed(knex: Knex, options: { scale: number }): Promise<number> {
  return replaceTableRows(knex, 'land_parcels', landParcelRows(options.scale));
}
