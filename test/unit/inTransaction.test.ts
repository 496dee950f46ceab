/**
 * `inTransaction`: a write transaction the database rolls back for a conflict
 * runs again, whole, and commits; nothing of the rolled-back run is kept. The
 * conflict is a real one: two transactions on MariaDB that each hold the row
 * the other wants, which InnoDB settles by rolling one of them back (1213, the
 * error a Galera cluster gives for a certification conflict; that one is made
 * for real in `test/e2e/galeraCluster.test.ts`).
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, openDatabase, rolledBackByServer } from '../../server/index.ts';
import { createTestDatabase, mysqlAvailable, type TestDatabase } from '../support/testDatabase.ts';

const hasMysql = await mysqlAvailable();

/** Resolves once `parties` callers have arrived. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return async () => {
    if (++arrived === parties) open();
    await opened;
  };
}

describe.skipIf(!hasMysql)('inTransaction on MariaDB', () => {
  let test: TestDatabase;
  let db: Knex;

  beforeAll(async () => {
    test = createTestDatabase('mysql');
    db = await openDatabase(test.config, 'platform');
    await db.schema.createTable('counters', (t) => {
      t.string('name', 8).primary();
      t.integer('n').notNullable();
    });
  });

  afterAll(async () => {
    await db?.destroy();
    await test?.drop();
  });

  const reset = async () => {
    await db('counters').delete();
    await db('counters').insert([
      { name: 'a', n: 0 },
      { name: 'b', n: 0 },
    ]);
  };
  const counts = async () => {
    const rows = await db('counters')
      .orderBy('name')
      .select<{ name: string; n: number }[]>('name', 'n');
    return Object.fromEntries(rows.map((r) => [r.name, r.n]));
  };

  /**
   * Two transactions that each add 1 to both rows, in opposite orders, and on
   * their first run wait for each other between the two: a deadlock.
   */
  function crossedIncrements(begin: typeof inTransaction | 'raw', retries: unknown[]) {
    const bothHoldOne = barrier(2);
    const run = (first: string, second: string) => {
      let runs = 0;
      const work = async (trx: Knex.Transaction) => {
        runs += 1;
        await trx('counters').where({ name: first }).increment('n', 1);
        if (runs === 1) await bothHoldOne();
        await trx('counters').where({ name: second }).increment('n', 1);
      };
      return begin === 'raw'
        ? db.transaction(work)
        : begin(db, work, { onRetry: (error) => retries.push(error) });
    };
    return Promise.allSettled([run('a', 'b'), run('b', 'a')]);
  }

  it('makes a real deadlock: without inTransaction one of the two is refused with 1213', async () => {
    await reset();
    const outcomes = await crossedIncrements('raw', []);
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect(rolledBackByServer((refused[0] as PromiseRejectedResult).reason)).toBe(true);
    expect(await counts()).toEqual({ a: 1, b: 1 });
  });

  it('runs the rolled-back transaction again, whole: both commit, each counted once', async () => {
    await reset();
    const retries: unknown[] = [];
    const outcomes = await crossedIncrements(inTransaction, retries);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(retries).toHaveLength(1);
    expect(rolledBackByServer(retries[0])).toBe(true);
    expect(await counts()).toEqual({ a: 2, b: 2 });
  });

  it('does not run again what failed for another reason', async () => {
    await reset();
    let runs = 0;
    await expect(
      inTransaction(db, async (trx) => {
        runs += 1;
        await trx('counters').where({ name: 'a' }).increment('n', 1);
        await trx('counters').insert({ name: 'b', n: 5 });
      }),
    ).rejects.toMatchObject({ errno: 1062 });
    expect(runs).toBe(1);
    expect(await counts()).toEqual({ a: 0, b: 0 });
  });

  it('gives a conflict that keeps coming back to the caller after six runs', async () => {
    await reset();
    let runs = 0;
    const retries: number[] = [];
    await expect(
      inTransaction(
        db,
        async (trx) => {
          runs += 1;
          await trx('counters').where({ name: 'a' }).increment('n', 1);
          // What mysql2 throws for the server's 1213.
          throw Object.assign(new Error('Deadlock found when trying to get lock'), {
            code: 'ER_LOCK_DEADLOCK',
            errno: 1213,
          });
        },
        { onRetry: (_, attempt) => retries.push(attempt) },
      ),
    ).rejects.toMatchObject({ errno: 1213 });
    expect(runs).toBe(6);
    expect(retries).toEqual([1, 2, 3, 4, 5]);
    expect(await counts()).toEqual({ a: 0, b: 0 });
  });

  it('inside a transaction already, runs the work once in it: the outer one is what runs again', async () => {
    await reset();
    let inner = 0;
    let outer = 0;
    await inTransaction(db, async (trx) => {
      outer += 1;
      await inTransaction(trx, async (same) => {
        inner += 1;
        expect(same).toBe(trx);
        await same('counters').where({ name: 'a' }).increment('n', 1);
      });
    });
    expect([outer, inner]).toEqual([1, 1]);
    expect(await counts()).toEqual({ a: 1, b: 0 });
  });
});
