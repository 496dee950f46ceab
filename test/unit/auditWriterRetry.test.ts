/**
 * The audit writer on a store that fails as a multi-primary cluster does: a
 * certification conflict (1213) rolls a commit back, a killed node breaks the
 * connection before or after the commit. Faults are injected into a real
 * SQLite platform database's transactions; the chain must never fork, break
 * or hold a record twice, and callers are answered only for committed records.
 * The decision itself (`classifyAuditWriteFailure`) is held to its contract
 * with the errors mysql2 and knex really throw.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuditUnavailableError,
  AuditWriter,
  ChainHeadMovedError,
  classifyAuditWriteFailure,
  commitAuditRowsInTransaction,
  migrateDatabase,
  openDatabase,
  StaleChainHeadError,
  StorageUnavailableError,
  verifyAuditChains,
  type AuditEntry,
} from '../../server/index.ts';
import { requestAuditEntry } from '../support/auditEntry.ts';

const MIGRATIONS = join(import.meta.dirname, '..', '..', 'subgraphs', 'platform', 'migrations');

type Fault = 'conflict' | 'lost-before-commit' | 'lost-after-commit' | 'refused';

/** mysql2's errors, as the driver builds them (a server error carries errno; a broken socket, fatal). */
const conflict = () =>
  Object.assign(new Error('Deadlock found when trying to get lock; try restarting transaction'), {
    code: 'ER_LOCK_DEADLOCK',
    errno: 1213,
    sqlState: '40001',
  });
const connectionLost = () =>
  Object.assign(new Error('Connection lost: The server closed the connection.'), {
    code: 'PROTOCOL_CONNECTION_LOST',
    fatal: true,
  });

interface FaultyStore {
  db: Knex;
  /** Faults for the next transactions, one each, in order. */
  faults: Fault[];
  /** Fail the next read of the chain head (the node answering it is gone too). */
  failNextHeadRead: boolean;
  transactions: number;
}

const opened: { db: Knex; dir: string }[] = [];
afterEach(async () => {
  for (const { db, dir } of opened.splice(0)) {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function faultyStore(): Promise<FaultyStore> {
  const dir = mkdtempSync(join(tmpdir(), 'govdata-audit-retry-'));
  const real = await openDatabase({ kind: 'sqlite', dir }, 'platform');
  opened.push({ db: real, dir });
  await migrateDatabase(real, MIGRATIONS);
  const store: FaultyStore = { db: real, faults: [], failNextHeadRead: false, transactions: 0 };
  const transaction = async (work: (trx: Knex.Transaction) => Promise<void>) => {
    store.transactions++;
    const fault = store.faults.shift();
    if (fault === 'conflict') throw conflict();
    if (fault === 'refused') throw Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' });
    if (fault === 'lost-before-commit') {
      await real
        .transaction(async (trx) => {
          await work(trx);
          throw connectionLost();
        })
        .catch(() => undefined);
      throw connectionLost();
    }
    await real.transaction(work);
    if (fault === 'lost-after-commit') throw connectionLost();
  };
  store.db = new Proxy(real, {
    get: (target, property, receiver): unknown =>
      property === 'transaction' ? transaction : Reflect.get(target, property, receiver),
    apply: (target, thisArg, args: [string]) => {
      if (args[0] === 'audit_chains' && store.failNextHeadRead) {
        store.failNextHeadRead = false;
        throw connectionLost();
      }
      return Reflect.apply(target, thisArg, args) as unknown;
    },
  });
  return store;
}

function entry(requestId: string): AuditEntry {
  return requestAuditEntry(requestId, { userId: 'alice' });
}

async function storedRequestIds(db: Knex): Promise<string[]> {
  const rows = await db<{ request_id: string }>('audit_records')
    .orderBy('seq')
    .select('request_id');
  return rows.map((r) => r.request_id);
}

function writer(store: FaultyStore, retries: string[] = []): AuditWriter {
  return new AuditWriter(store.db, 'gateway', {
    // The faults are injected into knex transactions: the path MySQL-compatible stores take.
    commitRows: commitAuditRowsInTransaction,
    timeoutMs: 2000,
    onRetry: (failure) => retries.push(failure.kind),
  });
}

describe('the audit writer on a store that fails as a Galera cluster does', () => {
  it('writes the same records again after certification conflicts; each is stored once and the chain verifies', async () => {
    const store = await faultyStore();
    const retries: string[] = [];
    const audit = writer(store, retries);
    await audit.record([entry('r1')]);
    store.faults.push('conflict', 'conflict');
    await audit.record([entry('r2'), entry('r3')]);
    await audit.record([entry('r4')]);
    expect(retries).toEqual(['rolled-back', 'rolled-back']);
    expect(await storedRequestIds(store.db)).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(await verifyAuditChains(store.db)).toMatchObject({ ok: true, chains: 1, records: 4 });
  });

  it('answers the callers of a commit that happened though the connection broke, without storing their records twice', async () => {
    const store = await faultyStore();
    const retries: string[] = [];
    const audit = writer(store, retries);
    await audit.record([entry('r1')]);
    store.faults.push('lost-after-commit');
    await expect(audit.record([entry('r2')])).resolves.toBeUndefined();
    await audit.record([entry('r3')]);
    // One retry: it read the head back, found the batch committed, and wrote nothing more.
    expect(retries).toEqual(['uncertain']);
    expect(await storedRequestIds(store.db)).toEqual(['r1', 'r2', 'r3']);
    expect(await verifyAuditChains(store.db)).toMatchObject({ ok: true, records: 3 });
  });

  it('writes again when the connection broke before the commit; no gap, nothing twice', async () => {
    const store = await faultyStore();
    const retries: string[] = [];
    const audit = writer(store, retries);
    store.faults.push('lost-before-commit');
    await audit.record([entry('r1'), entry('r2')]);
    await audit.record([entry('r3')]);
    expect(retries).toEqual(['uncertain']);
    expect(await storedRequestIds(store.db)).toEqual(['r1', 'r2', 'r3']);
    expect(await verifyAuditChains(store.db)).toMatchObject({ ok: true, records: 3 });
  });

  it('when the head cannot be read back either, it reads it before writing anything more: the chain neither forks nor breaks', async () => {
    const store = await faultyStore();
    const retries: string[] = [];
    const audit = writer(store, retries);
    await audit.record([entry('r1')]);
    // The commit happened, the connection broke, and the node asked for the head is gone too.
    store.faults.push('lost-after-commit');
    store.failNextHeadRead = true;
    await audit.record([entry('r2')]);
    await audit.record([entry('r3')]);
    const ids = await storedRequestIds(store.db);
    // r2 was committed once: the retry found it committed once the head could be read.
    expect(ids).toEqual(['r1', 'r2', 'r3']);
    expect(retries).toEqual(['uncertain', 'uncertain']);
    const seqs = await store.db('audit_records').orderBy('seq').pluck('seq');
    expect(seqs.map(Number)).toEqual([1, 2, 3]);
    expect(await verifyAuditChains(store.db)).toMatchObject({ ok: true, records: 3 });
  });

  it('does not write over a truncated chain: it leaves it as the evidence and goes on in a new chain', async () => {
    const store = await faultyStore();
    const changed: string[] = [];
    const audit = new AuditWriter(store.db, 'gateway', {
      commitRows: commitAuditRowsInTransaction,
      timeoutMs: 2000,
      onChainChanged: (change, abandoned) => changed.push(`${abandoned}: ${change.message}`),
    });
    await audit.record([entry('r1')]);
    await audit.record([entry('r2'), entry('r3')]);
    const first = audit.writer;
    // Someone with write access removes the last two records and moves the head back, and
    // the writer's next commit then finds the head elsewhere than it left it.
    const [{ hash }] = await store.db('audit_records').where({ seq: 1 }).select('hash');
    await store.db('audit_records').where('seq', '>', 1).delete();
    await store.db('audit_chains').update({ last_seq: 1, last_hash: hash as string });
    await audit.record([entry('r4')]);
    await audit.record([entry('r5')]);
    expect(changed).toEqual([
      expect.stringMatching(
        new RegExp(`^${first}: .*at record 1, but this writer had committed up to 3`),
      ),
    ]);
    expect(audit.writer).not.toBe(first);
    // Positions 2 and 3 of the first chain stay empty: nothing was written over the removed
    // records; what came after is in a chain of its own, from its first position.
    const rows = await store
      .db<{ writer: string; seq: number; request_id: string }>('audit_records')
      .orderBy(['writer', 'seq'])
      .select('writer', 'seq', 'request_id');
    expect(rows.filter((r) => r.writer === first).map((r) => r.request_id)).toEqual(['r1']);
    expect(rows.filter((r) => r.writer === audit.writer).map((r) => [r.seq, r.request_id])).toEqual(
      [
        [1, 'r4'],
        [2, 'r5'],
      ],
    );
    expect(await audit.problem()).toBeNull();
  });

  it('refuses callers at once on an error no retry mends, and continues the chain from the store afterwards', async () => {
    const store = await faultyStore();
    const retries: string[] = [];
    const audit = writer(store, retries);
    await audit.record([entry('r1')]);
    store.faults.push('refused');
    const started = Date.now();
    await expect(audit.record([entry('r2')])).rejects.toBeInstanceOf(AuditUnavailableError);
    expect(Date.now() - started).toBeLessThan(500);
    expect(retries).toEqual([]);
    // New records are refused for a moment after a failure, then written.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await audit.record([entry('r3')]);
    expect(await storedRequestIds(store.db)).toEqual(['r1', 'r3']);
    expect(await verifyAuditChains(store.db)).toMatchObject({ ok: true, records: 2 });
  });

  it('gives up within the callers’ wait when conflicts go on, refusing them; the chain stays whole', async () => {
    const store = await faultyStore();
    const audit = new AuditWriter(store.db, 'gateway', {
      commitRows: commitAuditRowsInTransaction,
      timeoutMs: 300,
    });
    await audit.record([entry('r1')]);
    store.faults.push(...Array<Fault>(50).fill('conflict'));
    const started = Date.now();
    await expect(audit.record([entry('r2')])).rejects.toBeInstanceOf(AuditUnavailableError);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(store.transactions).toBeLessThan(13);
    store.faults.splice(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await audit.record([entry('r3')]);
    expect(await storedRequestIds(store.db)).toEqual(['r1', 'r3']);
    expect(await verifyAuditChains(store.db)).toMatchObject({ ok: true, records: 2 });
  });
});

describe('classifyAuditWriteFailure: whether a failed audit commit may be written again', () => {
  it.each([
    ['a Galera certification conflict (1213)', conflict(), 'rolled-back'],
    [
      'a node outside the primary component (1047)',
      Object.assign(new Error('WSREP has not yet prepared node for application use'), {
        code: 'ER_UNKNOWN_COM_ERROR',
        errno: 1047,
      }),
      'rolled-back',
    ],
    [
      'a TiDB write conflict (9007)',
      Object.assign(new Error('Write conflict, txnStartTS=1, conflictStartTS=2'), { errno: 9007 }),
      'rolled-back',
    ],
    [
      'no connection in time (knex)',
      Object.assign(new Error('Knex: Timeout acquiring a connection.'), {
        name: 'KnexTimeoutError',
      }),
      'rolled-back',
    ],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', errno: -111 }),
      'rolled-back',
    ],
    ['a connection lost under a statement', connectionLost(), 'uncertain'],
    [
      'a reset socket',
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, fatal: true }),
      'uncertain',
    ],
    [
      'an error during COMMIT (1180)',
      Object.assign(new Error('Got error 6 during COMMIT'), { errno: 1180 }),
      'uncertain',
    ],
    [
      'a record already at that position (1062)',
      Object.assign(new Error("Duplicate entry 'w-2'"), { code: 'ER_DUP_ENTRY', errno: 1062 }),
      'stale-head',
    ],
    ['a chain head moved in the store', new StaleChainHeadError(), 'stale-head'],
    ['a chain head moved back over removed records', new ChainHeadMovedError(1, 3), 'refused'],
    [
      'a lock held too long (1205)',
      Object.assign(new Error('Lock wait timeout exceeded'), {
        code: 'ER_LOCK_WAIT_TIMEOUT',
        errno: 1205,
      }),
      'refused',
    ],
    ['a locked SQLite file', new StorageUnavailableError('platform', 2000), 'refused'],
    [
      'a full disk',
      Object.assign(new Error('The table is full'), { code: 'ER_RECORD_FILE_FULL', errno: 1114 }),
      'refused',
    ],
    ['something else', new Error('boom'), 'refused'],
  ])('%s: %s', (_what, error, kind) => {
    const failure = classifyAuditWriteFailure(error);
    expect(failure.kind).toBe(kind);
    // The reason is shown on /ready: a driver's code at most, never the message or SQL.
    expect(failure.reason).not.toContain(error.message);
    expect(failure.reason).toMatch(/^(the audit|the connection|no connection)/);
  });
});
