import type { Knex } from 'knex';

/**
 * Takes up to `wanted` units of `consumerKey`'s share `limit` for the window
 * starting at `windowStart` (whole seconds since the epoch) and returns how many
 * were taken: all of them while the share lasts, what remains when it runs out,
 * then none. The count only grows, so replicas racing for the last units may
 * get fewer than remain, never more: together they never exceed the share.
 */
export async function reserveRateUnits(
  db: Knex,
  consumerKey: string,
  windowStart: number,
  wanted: number,
  limit: number,
): Promise<number> {
  if (wanted <= 0) return 0;
  const key = { consumer_key: consumerKey, window_start: windowStart };
  await db('rate_counters')
    .insert({ ...key, used: 0 })
    .onConflict(['consumer_key', 'window_start'])
    .ignore();
  await db('rate_counters')
    .where(key)
    .update({ used: db.raw('used + ?', [wanted]) });
  const row = await db<{ used: number | string }>('rate_counters').where(key).first('used');
  const before = Number(row?.used ?? wanted) - wanted;
  return Math.max(0, Math.min(wanted, limit - before));
}

/** Forgets windows that started before `windowStart`; returns how many rows went. */
export async function deleteRateWindowsBefore(db: Knex, windowStart: number): Promise<number> {
  return db('rate_counters').where('window_start', '<', windowStart).delete();
}
