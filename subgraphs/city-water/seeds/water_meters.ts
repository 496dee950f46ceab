import type { Knex } from 'knex';
import { replaceTableRows, waterMeterRows } from '../../demo-data/index.ts';

/**
 * Replaces every row of `water_meters` with one meter per water account at
 * `options.scale` people; returns the row count. Deterministic, streamed in batches.
 */
export async function seed(knex: Knex, options: { scale: number }): Promise<number> {
  return replaceTableRows(knex, 'water_meters', waterMeterRows(options.scale));
}
