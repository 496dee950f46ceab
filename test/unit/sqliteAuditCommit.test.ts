import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toAuditRow } from '../../server/audit/auditQueries.ts';
import { commitAuditRowsOnSqlite } from '../../server/audit/sqliteAuditCommit.ts';
import {
  chainHash,
  GENESIS_HASH,
  migrateDatabase,
  openDatabase,
  SQLITE_BUSY_TIMEOUT_MS,
  StorageUnavailableError,
  verifyAuditChains,
  type AuditEntry,
} from '../../server/index.ts';
import { requestAuditEntry } from '../support/auditEntry.ts';
import { watchEventLoop } from '../support/eventLoopWatch.ts';

const MIGRATIONS = join(import.meta.dirname, '..', '..', 'subgraphs', 'platform', 'migrations');
const WRITER = 'w-sqlite-commit';

function entry(n: number): AuditEntry {
  return requestAuditEntry(`00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, {
    at: new Date(Date.UTC(2026, 10, 30, 8, 0, n)).toISOString(),
    correlationId: n % 2 ? `client-${n}` : null,
    traceId: null,
    userId: "o'brien; DROP TABLE audit_records; --",
    operationName: 'PersonWithRecords',
    latencyMs: n,
  });
}

/** Rows `from`+1 … `from`+count of the writer's chain, after the head `fromHash`. */
function chained(from: number, fromHash: string, count: number) {
  const rows: ReturnType<typeof toAuditRow>[] = [];
  let prev = fromHash;
  for (let seq = from + 1; seq <= from + count; seq++) {
    const e = entry(seq);
    const hash = chainHash(WRITER, seq, prev, e);
    rows.push(toAuditRow(WRITER, seq, prev, hash, e));
    prev = hash;
  }
  return { rows, head: { seq: from + count, hash: prev } };
}

let dir: string;
let db: Knex;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'govdata-sqlite-commit-'));
  db = await openDatabase({ kind: 'sqlite', dir }, 'platform');
  await migrateDatabase(db, MIGRATIONS);
  const now = new Date().toISOString();
  await db('audit_chains').insert({
    writer: WRITER,
    role: 'gateway',
    last_seq: 0,
    last_hash: GENESIS_HASH,
    started_at: now,
    updated_at: now,
  });
});

afterEach(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('audit rows committed on SQLite in one synchronous transaction', () => {
  it('writes the rows and moves the head; the chain verifies, values kept as bound', async () => {
    const first = chained(0, GENESIS_HASH, 3);
    expect(
      await commitAuditRowsOnSqlite(
        db,
        first.rows,
        WRITER,
        { seq: 0, hash: GENESIS_HASH },
        first.head,
        1000,
      ),
    ).toBe(true);
    const second = chained(3, first.head.hash, 2);
    expect(
      await commitAuditRowsOnSqlite(db, second.rows, WRITER, first.head, second.head, 1000),
    ).toBe(true);
    const stored = await db('audit_records').where({ writer: WRITER }).orderBy('seq');
    expect(stored.map((r: { seq: number }) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(stored[0].user_id).toBe("o'brien; DROP TABLE audit_records; --");
    expect(await db('audit_chains').where({ writer: WRITER }).first()).toMatchObject({
      last_seq: 5,
      last_hash: second.head.hash,
    });
    const verification = await verifyAuditChains(db);
    expect(verification.ok).toBe(true);
  });

  it("gives the connection back with SQLite's own short lock wait, committed or not", async () => {
    const busyTimeout = async () => {
      const conn = (await db.client.acquireConnection()) as {
        pragma(source: string, options: { simple: true }): unknown;
      };
      try {
        return conn.pragma('busy_timeout', { simple: true });
      } finally {
        await db.client.releaseConnection(conn);
      }
    };
    expect(await busyTimeout()).toBe(SQLITE_BUSY_TIMEOUT_MS);
    const batch = chained(0, GENESIS_HASH, 2);
    const elsewhere = { seq: 7, hash: 'f'.repeat(64) };
    expect(await commitAuditRowsOnSqlite(db, batch.rows, WRITER, elsewhere, batch.head, 1000)).toBe(
      false,
    );
    expect(await busyTimeout()).toBe(SQLITE_BUSY_TIMEOUT_MS);
    const start = { seq: 0, hash: GENESIS_HASH };
    expect(await commitAuditRowsOnSqlite(db, batch.rows, WRITER, start, batch.head, 1000)).toBe(
      true,
    );
    expect(await busyTimeout()).toBe(SQLITE_BUSY_TIMEOUT_MS);
  });

  it('a chain verified whole leaves the event loop free between slices of records', async () => {
    const chain = chained(0, GENESIS_HASH, 6_000);
    expect(
      await commitAuditRowsOnSqlite(
        db,
        chain.rows,
        WRITER,
        { seq: 0, hash: GENESIS_HASH },
        chain.head,
        5000,
      ),
    ).toBe(true);
    let verification: Awaited<ReturnType<typeof verifyAuditChains>> | undefined;
    const watched = await watchEventLoop(async () => {
      verification = await verifyAuditChains(db);
    });
    expect(verification).toMatchObject({ ok: true, records: 6_000 });
    // Sixty slices of a hundred records: a timer of 10 ms gets turns between them, where one
    // synchronous walk let it run at most once.
    expect(watched.ticks).toBeGreaterThan(3);
  });

  it('writes nothing and answers false when the head is not where the writer thinks', async () => {
    const batch = chained(0, GENESIS_HASH, 2);
    const elsewhere = { seq: 7, hash: 'f'.repeat(64) };
    expect(await commitAuditRowsOnSqlite(db, batch.rows, WRITER, elsewhere, batch.head, 1000)).toBe(
      false,
    );
    expect(await db('audit_records').where({ writer: WRITER })).toEqual([]);
    expect(await db('audit_chains').where({ writer: WRITER }).first()).toMatchObject({
      last_seq: 0,
    });
  });

  it('waits for a lock another process holds on timers, never asleep inside SQLite', async () => {
    // Every try of the commit's transaction, timed: SQLite's own busy handler would sleep in
    // it, 5 ms a try with the event loop stopped.
    const tries: number[] = [];
    const pool = db.client as {
      acquireConnection(): Promise<{
        transaction: (work: () => unknown) => { immediate(): unknown };
      }>;
      releaseConnection(conn: unknown): Promise<void>;
    };
    const conn = await pool.acquireConnection();
    const transaction = conn.transaction.bind(conn);
    conn.transaction = (work) => {
      const made = transaction(work);
      return {
        immediate() {
          const began = performance.now();
          try {
            return made.immediate();
          } finally {
            tries.push(performance.now() - began);
          }
        },
      };
    };
    await pool.releaseConnection(conn);
    // Another gateway worker committing: a second connection holding the write lock a while.
    const other = await openDatabase({ kind: 'sqlite', dir }, 'platform');
    await other.raw('BEGIN IMMEDIATE');
    const batch = chained(0, GENESIS_HASH, 1);
    const from = { seq: 0, hash: GENESIS_HASH };
    const waiting = commitAuditRowsOnSqlite(db, batch.rows, WRITER, from, batch.head, 5000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await other.raw('COMMIT');
    expect(await waiting).toBe(true);
    await other.destroy();
    expect(await db('audit_records').where({ writer: WRITER })).toHaveLength(1);
    // Several tries while the lock was held, each back at once (the median: a try can be
    // descheduled on a busy machine, but not most of them).
    expect(tries.length).toBeGreaterThan(3);
    const sorted = [...tries].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(2);
  });

  it('waits for a lock another process holds, and gives up at its bound without writing', async () => {
    // Another process's writer: a second connection to the same file, holding the write lock.
    const other = await openDatabase({ kind: 'sqlite', dir }, 'platform');
    await other.raw('BEGIN IMMEDIATE');
    const batch = chained(0, GENESIS_HASH, 1);
    const from = { seq: 0, hash: GENESIS_HASH };
    const began = Date.now();
    await expect(
      commitAuditRowsOnSqlite(db, batch.rows, WRITER, from, batch.head, 300),
    ).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(Date.now() - began).toBeGreaterThanOrEqual(250);
    // Right after a wait ran out, work that finds the lock held fails at once, as every
    // statement on this connection does, rather than wait the bound out again.
    const again = Date.now();
    await expect(
      commitAuditRowsOnSqlite(db, batch.rows, WRITER, from, batch.head, 5000),
    ).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(Date.now() - again).toBeLessThan(2500); // far from the 5,000 it would wait
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // Released while a commit waits: it goes through.
    const waiting = commitAuditRowsOnSqlite(db, batch.rows, WRITER, from, batch.head, 5000);
    // knex runs a query only once it is awaited or then'd.
    const released = new Promise((resolve) => setTimeout(resolve, 100)).then(() =>
      other.raw('COMMIT'),
    );
    expect(await waiting).toBe(true);
    await released;
    await other.destroy();
    expect(await db('audit_records').where({ writer: WRITER })).toHaveLength(1);
  });
});
