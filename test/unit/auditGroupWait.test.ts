/**
 * The audit writer's wait for records on their way (`AuditWriter.gather`):
 * a commit waits for callers that have begun and not yet recorded, so that
 * they share it, ends its wait as soon as all of them have recorded, waits
 * no longer than its bound for one that never does, and never waits when
 * nobody is on the way. On a real SQLite platform database, with the
 * writer's own commit counted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { requestAuditPlugin } from '../../gateway/auth/requestAuditPlugin.ts';
import type { GatewayContext } from '../../gateway/auth/GatewayContext.ts';
import { commitAuditRowsOnSqlite } from '../../server/audit/sqliteAuditCommit.ts';
import {
  AuditWriter,
  loadConfig,
  migrateDatabase,
  openDatabase,
  verifyAuditChains,
  type AuditEntry,
  type AuditSink,
} from '../../server/index.ts';
import { requestAuditEntry } from '../support/auditEntry.ts';

const MIGRATIONS = join(import.meta.dirname, '..', '..', 'subgraphs', 'platform', 'migrations');
/** Longer than any test here may take: a commit that waited this long fails it by vitest's timeout. */
const NEVER_MS = 60_000;

const opened: { db: Knex; dir: string }[] = [];
afterEach(async () => {
  for (const { db, dir } of opened.splice(0)) {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A writer on a fresh platform database, and the batches (records per commit) it committed. */
async function countingWriter(): Promise<{ db: Knex; writer: AuditWriter; commits: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'govdata-audit-gather-'));
  const db = await openDatabase({ kind: 'sqlite', dir }, 'platform');
  opened.push({ db, dir });
  await migrateDatabase(db, MIGRATIONS);
  const commits: number[] = [];
  const writer = new AuditWriter(db, 'gather test', {
    checkpointOnThread: false,
    commitRows: (...args) => {
      commits.push(args[1].length);
      return commitAuditRowsOnSqlite(...args);
    },
  });
  return { db, writer, commits };
}

const entry = (n: number): AuditEntry => requestAuditEntry(`gather-${n}`);
const turn = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('a commit waiting for records on their way', () => {
  it('is shared by the callers on their way, and made as soon as the last has recorded', async () => {
    const { db, writer, commits } = await countingWriter();
    let coming = 3;
    writer.gather(() => coming, NEVER_MS);
    const recorded: Promise<void>[] = [];
    const arrive = (n: number) => {
      coming -= 1;
      recorded.push(writer.record([entry(n)]));
    };
    recorded.push(writer.record([entry(0)]));
    for (const n of [1, 2]) {
      await turn();
      arrive(n);
    }
    await turn();
    expect(commits).toEqual([]); // one caller is still on its way
    arrive(3);
    await Promise.all(recorded);
    expect(commits).toEqual([4]);
    expect(await verifyAuditChains(db)).toMatchObject({ ok: true, chains: 1, records: 4 });
  });

  it('commits at once when nobody is on the way: a lone request never waits', async () => {
    const { writer, commits } = await countingWriter();
    writer.gather(() => 0, NEVER_MS);
    for (let n = 0; n < 3; n++) await writer.record([entry(n)]);
    expect(commits).toEqual([1, 1, 1]);
  });

  it('waits no longer than its bound for a caller that never records', async () => {
    const { writer, commits } = await countingWriter();
    writer.gather(() => 1, 50);
    const began = performance.now();
    await writer.record([entry(0)]);
    expect(performance.now() - began).toBeGreaterThanOrEqual(45);
    expect(commits).toEqual([1]);
  });

  it('stops a wait under way when waiting is turned off, at the next record', async () => {
    const { writer, commits } = await countingWriter();
    writer.gather(() => 1, NEVER_MS);
    const first = writer.record([entry(0)]);
    await turn();
    writer.gather(() => 1, 0);
    await Promise.all([first, writer.record([entry(1)])]);
    expect(commits).toEqual([2]);
  });

  it('does not wait at all when the bound is 0', async () => {
    const { writer, commits } = await countingWriter();
    writer.gather(() => 5, 0);
    await writer.record([entry(0)]);
    expect(commits).toEqual([1]);
  });
});

/** A sink that answers at once and keeps what the gateway's plugin tells it. */
class WatchingSink implements AuditSink {
  coming: () => number = () => NaN;
  waitMs = NaN;
  records: AuditEntry[][] = [];
  async record(entries: readonly AuditEntry[]): Promise<void> {
    this.records.push([...entries]);
  }
  async drain(): Promise<void> {}
  gather(coming: () => number, ms: number): void {
    this.coming = coming;
    this.waitMs = ms;
  }
}

describe("the gateway's count of requests on their way to record", () => {
  const context = (): GatewayContext =>
    ({
      identity: {
        caller: null,
        purpose: null,
        grantId: null,
        requestId: 'gather-plugin',
        correlationId: null,
        operationName: null,
      },
      startedAt: Date.now(),
      masked: false,
      accessRecords: [],
      traceId: null,
    }) as unknown as GatewayContext;

  it('counts each request until its record is made, whether it is answered, refused or thrown', async () => {
    const sink = new WatchingSink();
    let seenWhileRunning = -1;
    const quiet = () => {};
    const server = new ApolloServer<GatewayContext>({
      logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
      typeDefs: 'type Query { hello: String, slow: String }',
      resolvers: {
        Query: {
          hello: () => 'world',
          slow: () => {
            seenWhileRunning = sink.coming();
            return 'late';
          },
        },
      },
      plugins: [
        requestAuditPlugin(sink, 3),
        {
          // A plugin that gives up on a request: Apollo answers it without willSendResponse.
          async requestDidStart({ request }) {
            if (request.operationName === 'Broken') throw new Error('a plugin failed');
          },
        },
      ],
    });
    await server.start();
    try {
      expect(sink.waitMs).toBe(3);
      expect(sink.coming()).toBe(0);
      const answered = await server.executeOperation(
        { query: '{ slow }' },
        { contextValue: context() },
      );
      expect(answered.body.kind === 'single' && answered.body.singleResult.data).toEqual({
        slow: 'late',
      });
      expect(seenWhileRunning).toBe(1);
      // Refused by validation: answered with errors, still recorded.
      await server.executeOperation({ query: '{ nothing }' }, { contextValue: context() });
      await expect(
        server.executeOperation(
          { query: 'query Broken { hello }', operationName: 'Broken' },
          { contextValue: context() },
        ),
      ).rejects.toThrow();
      expect(sink.records).toHaveLength(2);
      expect(sink.coming()).toBe(0);
    } finally {
      await server.stop();
    }
  });
});

describe('AUDIT_GROUP_WAIT_MS', () => {
  it('is 2 ms unless set, 0 turns the wait off, and anything but whole milliseconds up to 100 is refused', () => {
    expect(loadConfig({}).auditGroupWaitMs).toBe(2);
    expect(loadConfig({ AUDIT_GROUP_WAIT_MS: '0' }).auditGroupWaitMs).toBe(0);
    for (const bad of ['-1', '1.5', '101', 'soon']) {
      expect(() => loadConfig({ AUDIT_GROUP_WAIT_MS: bad })).toThrow(/AUDIT_GROUP_WAIT_MS/);
    }
  });
});
