/**
 * `npm run cluster` as a newcomer runs it: a three-node MariaDB Galera cluster,
 * HAProxy in front of it, of two gateways and of two replicas of city_water's
 * subgraph. One query through HAProxy lands in the audit trail of all three
 * nodes; the audit writer survives real certification conflicts on its chain
 * head; what HAProxy exposes refuses callers without credentials; and SIGTERM
 * leaves no process and no port behind.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuditWriter,
  inTransaction,
  loadConfig,
  loadTestSettings,
  mintDevToken,
  rolledBackByServer,
  verifyAuditChains,
  type AuditEntry,
} from '../../server/index.ts';
import { DEMO_PERSON_INDEX, utilityAccountsOfPerson } from '../../subgraphs/demo-data/index.ts';
import { startCommand, type CommandProcess } from '../support/commandProcess.ts';
import { requestAuditEntry } from '../support/auditEntry.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const NEEDED = [
  '/usr/sbin/mariadbd',
  '/usr/lib/galera/libgalera_smm.so',
  '/usr/sbin/haproxy',
  '/usr/bin/rsync',
];
const missing = NEEDED.filter((file) => !existsSync(file));
if (missing.length > 0 && loadTestSettings().ci) {
  throw new Error(`CI=true but the cluster's engines are missing: ${missing.join(', ')}`);
}
if (missing.length > 0) {
  console.warn(`\n*** ${missing.join(', ')} missing: SKIPPING the Galera cluster test. ***\n`);
}

const ACCOUNT = utilityAccountsOfPerson(DEMO_PERSON_INDEX)[0]!.account_number;
const QUERY = `query ($n: String!) { utilityAccount(accountNumber: $n) { accountNumber monthlyUsageM3 } }`;

interface Started {
  command: CommandProcess;
  dir: string;
  graphql: string;
  subgraph: string;
  mysqlPort: number;
  nodePorts: number[];
  password: string;
}

/** Every process whose command line or environment names `dir`. */
function processesOf(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(dir) || readFileSync(`/proc/${pid}/environ`, 'utf8').includes(dir)) {
        found.push(`${pid} ${cmdline}`);
      }
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function nodeDb(port: number, password: string, user = 'govdata'): Knex {
  return knex({
    client: 'mysql2',
    connection: { host: '127.0.0.1', port, user, password, database: 'govdata', dateStrings: true },
    pool: { min: 0, max: 2 },
  });
}

function requestEntry(requestId: string): AuditEntry {
  return requestAuditEntry(requestId, { userId: 'conflict-test', purpose: null, latencyMs: 0 });
}

describe.skipIf(missing.length > 0)('npm run cluster: Galera, HAProxy, replicas', () => {
  let cluster: Started;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'govdata-cluster-'));
    const command = startCommand(
      'npm',
      [
        'run',
        'cluster',
        '--',
        '--base-port',
        '0',
        '--dir',
        dir,
        '--no-other-departments',
        '--seed-scale',
        '20',
      ],
      { cwd: ROOT, env: { LOG_LEVEL: 'warn' } },
    );
    try {
      await command.waitForLine(/Ctrl-C stops everything/, 290_000);
    } catch (error) {
      await command.stop();
      throw error;
    }
    const output = command.output();
    const nodes = /Galera nodes ([\d.:, ]+)\)/.exec(output)![1]!;
    cluster = {
      command,
      dir,
      graphql: /GraphQL endpoint\s+(\S+)/.exec(output)![1]!,
      subgraph: /subgraph endpoint\s+(\S+)/.exec(output)![1]!,
      mysqlPort: Number(/MySQL endpoint\s+mysql:\/\/\S+?:(\d+)\//.exec(output)![1]),
      nodePorts: [...nodes.matchAll(/:(\d+)/g)].map((m) => Number(m[1])),
      password: readFileSync(join(dir, 'db-password'), 'utf8').trim(),
    };
  }, 300_000);

  afterAll(async () => {
    if (!cluster) return;
    await cluster.command.stop();
    rmSync(cluster.dir, { recursive: true, force: true });
  }, 120_000);

  it('answers a query through HAProxy, and its audit records are on all three nodes', async () => {
    expect(cluster.nodePorts).toHaveLength(3);
    const config = loadConfig({ DATA_DIR: join(cluster.dir, 'platform') });
    const token = await mintDevToken(config.auth, {
      department: 'civil_affairs',
      roles: ['APP_DEVELOPER'],
      user: 'alice',
    });
    const response = await fetch(cluster.graphql, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-purpose': 'social-assistance',
      },
      body: JSON.stringify({ query: QUERY, variables: { n: ACCOUNT } }),
    });
    const body = (await response.json()) as {
      data?: { utilityAccount?: { accountNumber: string } };
    };
    expect(response.status, JSON.stringify(body)).toBe(200);
    // civil_affairs reads the address masked, so the number that embeds its region shows its end.
    expect(body.data?.utilityAccount?.accountNumber).toBe(`****${ACCOUNT.slice(-4)}`);
    const requestId = response.headers.get('x-request-id')!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);

    for (const port of cluster.nodePorts) {
      const db = nodeDb(port, cluster.password);
      try {
        const kinds = await db('audit_records')
          .where({ request_id: requestId })
          .orderBy('kind')
          .select('kind', 'subgraph');
        expect(kinds, `node on ${port}`).toEqual([
          { kind: 'ACCESS', subgraph: 'city_water' },
          { kind: 'REQUEST', subgraph: null },
        ]);
        expect(await verifyAuditChains(db)).toMatchObject({ ok: true });
      } finally {
        await db.destroy();
      }
    }
  });

  it('keeps one whole chain through real certification conflicts on its head, written on another node', async () => {
    const [first, second] = cluster.nodePorts;
    const writerDb = nodeDb(first!, cluster.password);
    const otherDb = nodeDb(second!, cluster.password);
    try {
      const retries: string[] = [];
      const audit = new AuditWriter(writerDb, 'conflict test', {
        timeoutMs: 10_000,
        onRetry: (failure) => retries.push(failure.kind),
      });
      await audit.record([requestEntry('conflict-0')]);
      const writer = audit.writer;
      // Another node writes the writer's chain head row every few milliseconds: the writer's
      // commits race write sets on the same row, which Galera's certification settles by
      // aborting one of them. (Without a pause, every commit of the writer would lose.)
      let interfering = true;
      const interference = (async () => {
        let n = 0;
        while (interfering) {
          await otherDb('audit_chains')
            .where({ writer })
            .update({ updated_at: `interfered ${++n}` })
            .catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      for (let i = 1; i <= 40; i++) await audit.record([requestEntry(`conflict-${i}`)]);
      interfering = false;
      await interference;
      expect(retries.length).toBeGreaterThan(0);
      expect(new Set(retries)).toEqual(new Set(['rolled-back']));
      const rows = await writerDb('audit_records')
        .where({ writer })
        .orderBy('seq')
        .select('seq', 'request_id');
      expect(rows.map((r: { seq: number }) => Number(r.seq))).toEqual(
        Array.from({ length: 41 }, (_, i) => i + 1),
      );
      expect(rows.map((r: { request_id: string }) => r.request_id)).toEqual(
        Array.from({ length: 41 }, (_, i) => `conflict-${i}`),
      );
      expect(await verifyAuditChains(writerDb)).toMatchObject({ ok: true });
    } finally {
      await writerDb.destroy();
      await otherDb.destroy();
    }
  });

  it('runs a platform write again, whole, when another node’s write set on its row certified first', async () => {
    const [first, second] = cluster.nodePorts;
    const writerDb = nodeDb(first!, cluster.password);
    const otherDb = nodeDb(second!, cluster.password);
    try {
      await writerDb.schema.createTable('probe_counters', (t) => {
        t.string('name', 8).primary();
        t.integer('n').notNullable();
        t.string('touched', 32).notNullable();
      });
      await writerDb('probe_counters').insert({ name: 'x', n: 0, touched: '' });
      // Every few milliseconds another node writes the row the writer reads and increments:
      // the writer's commits race write sets on it, and certification aborts some of them.
      let interfering = true;
      const interference = (async () => {
        let n = 0;
        while (interfering) {
          await otherDb('probe_counters')
            .where({ name: 'x' })
            .update({ touched: `interfered ${++n}` })
            .catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      const retries: unknown[] = [];
      for (let i = 0; i < 40; i++) {
        await inTransaction(
          writerDb,
          async (trx) => {
            const row = await trx('probe_counters').where({ name: 'x' }).first<{ n: number }>('n');
            await new Promise((resolve) => setTimeout(resolve, 2));
            await trx('probe_counters')
              .where({ name: 'x' })
              .update({ n: row.n + 1 });
          },
          { onRetry: (error) => retries.push(error) },
        );
      }
      interfering = false;
      await interference;
      expect(retries.length).toBeGreaterThan(0);
      expect(retries.every(rolledBackByServer)).toBe(true);
      // Every increment counted once: none lost with its rolled-back run, none applied twice.
      expect((await writerDb('probe_counters').where({ name: 'x' }).first('n'))?.n).toBe(40);
    } finally {
      await writerDb.destroy();
      await otherDb.destroy();
    }
  });

  it('refuses what has no credentials: the database without the password, the subgraph without the gateway’s signature', async () => {
    for (const [user, password] of [
      ['root', ''],
      ['govdata', ''],
      ['govdata', 'guess'],
    ] as const) {
      const db = nodeDb(cluster.mysqlPort, password, user);
      await expect(db.raw('select 1')).rejects.toMatchObject({ code: 'ER_ACCESS_DENIED_ERROR' });
      await db.destroy();
    }
    const direct = await fetch(cluster.subgraph, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY, variables: { n: ACCOUNT } }),
    });
    expect(direct.status).toBe(401);
  });

  it('stops on SIGTERM and leaves no process and no port behind', async () => {
    const ports = [cluster.mysqlPort, ...cluster.nodePorts, Number(new URL(cluster.graphql).port)];
    expect(processesOf(cluster.dir).length).toBeGreaterThan(5);
    cluster.command.child.kill('SIGTERM');
    const ended = await cluster.command.exited;
    expect(ended.code, cluster.command.output()).toBe(0);
    expect(cluster.command.output()).toContain('no process of the cluster is left');
    expect(processesOf(cluster.dir)).toEqual([]);
    for (const port of ports) expect(await portFree(port), `port ${port}`).toBe(true);
  }, 120_000);
});
