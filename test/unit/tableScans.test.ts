import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, scanRows, SQLITE_SHA256 } from '../../server/index.ts';
import { TableScans } from '../../server/database/tableScans.ts';
import { watchEventLoop } from '../support/eventLoopWatch.ts';

/**
 * The contract of a department database's scan thread (`scanRows` on SQLite):
 * its reads answer what the connection on the event loop answers, never hold
 * the loop, take turns by holder, and fail one at a time.
 */
describe('scanRows on SQLite', () => {
  let dir: string;
  let db: Knex;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'govdata-scans-'));
    db = await openDatabase({ kind: 'sqlite', dir }, 'some_department');
    await db.schema.createTable('t', (table) => {
      table.integer('n').primary();
      table.string('s');
      table.binary('b');
    });
    await db.raw(
      `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 200000)
       INSERT INTO t (n, s, b) SELECT n, 'row ' || n, x'00ff' FROM seq`,
    );
  });
  afterAll(async () => {
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers as the connection on the loop does, with the keyed-hash function and BLOBs as Buffers', async () => {
    const query = () =>
      db('t')
        .select('n', 's', 'b', db.raw(`${SQLITE_SHA256}(? || s) as h`, ["salt'; --"]))
        .where('n', '<', 4)
        .orderBy('n');
    const onLoop = (await query()) as Record<string, unknown>[];
    const offLoop = await scanRows(db, query());
    expect(offLoop).toEqual(onLoop);
    expect(offLoop[0]!.h).toBe(createHash('sha256').update("salt'; --row 1").digest('hex'));
    expect(Buffer.isBuffer(offLoop[0]!.b)).toBe(true);
  });

  it('announces each scan as knex announces its statements (SQL spans and counts see it)', async () => {
    const seen: string[] = [];
    const onQuery = (query: { sql: string }) => seen.push(`query ${query.sql}`);
    const onResponse = (rows: unknown[]) => seen.push(`response ${rows.length}`);
    db.on('query', onQuery).on('query-response', onResponse);
    try {
      await scanRows(db, db('t').select('n').where('n', '<', 3));
    } finally {
      db.off('query', onQuery).off('query-response', onResponse);
    }
    expect(seen).toEqual(['query select `n` from `t` where `n` < ?', 'response 2']);
  });

  it('never holds the event loop, however long the scan', async () => {
    const scan = () =>
      db('t').select('n').orderByRaw(`${SQLITE_SHA256}(? || n)`, ['salt']).limit(1);
    const started = performance.now();
    const watched = await watchEventLoop(() => scanRows(db, scan()));
    const ms = performance.now() - started;
    expect(ms).toBeGreaterThan(100);
    expect(watched.longestGap).toBeLessThan(ms / 2);
  });

  it('takes turns by holder: a holder with many scans waiting delays its own, not another’s', async () => {
    const order: string[] = [];
    const read = (name: string, holder: string) =>
      scanRows(
        db,
        db('t')
          .select(db.raw('? as name', [name]))
          .limit(1),
        holder,
      ).then(() => order.push(name));
    await Promise.all([
      read('A1', 'a'),
      read('A2', 'a'),
      read('A3', 'a'),
      read('A4', 'a'),
      read('B1', 'b'),
    ]);
    // A1 was running and A2 was already next in line when B1 came; then each holder in turn.
    expect(order).toEqual(['A1', 'A2', 'B1', 'A3', 'A4']);
  });

  it('fails a bad statement alone; the next one runs', async () => {
    const bad = scanRows(db, db('no_such_table').select('n'));
    const good = scanRows(db, db('t').count({ n: '*' }));
    await expect(bad).rejects.toThrow(/no such table/);
    expect(await good).toEqual([{ n: 200000 }]);
  });

  it('fails reads still waiting when the database closes with UNAVAILABLE, to be sent again', async () => {
    const other = await openDatabase({ kind: 'sqlite', dir }, 'some_department');
    const scan = () =>
      scanRows(
        other,
        other('t').select('n').orderByRaw(`${SQLITE_SHA256}(? || n)`, ['salt']).limit(1),
      );
    const reads = Promise.allSettled([scan(), scan()]);
    await other.destroy();
    for (const read of await reads) {
      expect(read).toMatchObject({
        status: 'rejected',
        reason: { extensions: { code: 'UNAVAILABLE', reason: 'SHUTTING_DOWN' } },
      });
    }
  });

  it('reads on the loop, as before there was a thread, when no thread can open the file', async () => {
    const scans = new TableScans(join(dir, 'missing', 'gone.sqlite'), 'gone', {
      lockTimeoutMs: 100,
      mmapBytes: 0,
    });
    let onLoop = 0;
    const read = () => scans.all('SELECT 1 AS one', [], '', async () => [{ one: ++onLoop }]);
    const [first, second] = await Promise.all([read(), read()]);
    expect([first, second]).toEqual([[{ one: 1 }], [{ one: 2 }]]);
    expect(await read()).toEqual([{ one: 3 }]);
    await scans.close();
  });
});
