import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_DIR } from '../../scripts/platform/index.ts';
import { migrateDatabase, openDatabase, reserveGrantUnits } from '../../server/index.ts';
import { availableEngines, createTestDatabase } from '../support/testDatabase.ts';

/**
 * The contract of a grant's daily quota count, on both engines: units are
 * taken while they last, never past the quota, and `spent` is called exactly
 * when none is left after a reservation, whether it took the last unit or
 * found none (a request then knows the grant is spent before it reads again:
 * see `RequestAccess`).
 */
describe.each(await availableEngines())('reserveGrantUnits on %s', (engine) => {
  const database = createTestDatabase(engine);
  let db: Knex;
  beforeAll(async () => {
    db = await openDatabase(database.config, 'platform');
    await migrateDatabase(db, join(PLATFORM_DIR, 'migrations'));
  });
  afterAll(async () => {
    await db?.destroy();
    await database.drop();
  });

  /** Reserves `wanted` of grant `id`'s quota `quota`; what was taken and whether spent was called. */
  async function reserve(id: string, wanted: number, quota: number) {
    let spent = 0;
    const taken = await reserveGrantUnits(db, id, '2026-12-08', wanted, quota, () => spent++);
    return { taken, spent: spent > 0 };
  }

  it('takes whole amounts with a unit to spare without calling spent, and calls it on the last unit', async () => {
    expect(await reserve('G-R-1', 3, 5)).toEqual({ taken: 3, spent: false });
    expect(await reserve('G-R-1', 1, 5)).toEqual({ taken: 1, spent: false });
    // Exactly the last unit: taken whole, and the quota is spent.
    expect(await reserve('G-R-1', 1, 5)).toEqual({ taken: 1, spent: true });
    expect(await reserve('G-R-1', 1, 5)).toEqual({ taken: 0, spent: true });
  });

  it('takes what remains of a larger amount, and calls spent', async () => {
    expect(await reserve('G-R-2', 4, 6)).toEqual({ taken: 4, spent: false });
    expect(await reserve('G-R-2', 10, 6)).toEqual({ taken: 2, spent: true });
  });

  it('never hands out more than the quota to concurrent reservations, and tells whoever ends it', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => reserve('G-R-3', 1, 5)));
    expect(results.reduce((n, r) => n + r.taken, 0)).toBe(5);
    expect(results.some((r) => r.taken === 1 && r.spent)).toBe(true);
    expect(results.filter((r) => r.taken === 0).every((r) => r.spent)).toBe(true);
  });

  it('a quota of one is spent by its first unit', async () => {
    expect(await reserve('G-R-4', 1, 1)).toEqual({ taken: 1, spent: true });
  });
});
