/**
 * The benchmark's department subgraphs, in their own processes (started by
 * `npm run bench`, not by hand). Each worker serves every department twice, on
 * the ports given in BENCH_SUBGRAPH_PORTS:
 * - governed: the served subgraph, as `npm start` runs it (gateway token
 *   checked, sharing rules, ACCESS records committed before each response);
 * - ungoverned: the same subgraph without identity, rules or audit, for the
 *   gateways that have none of their own (and for querying a subgraph directly).
 *
 * Every SQL statement sent to a department database is counted, per side; the
 * parent asks for the counts over IPC (`'sql'`) and gets `{ sql: { governed, ungoverned } }`.
 */
import cluster from 'node:cluster';
import type { Knex } from 'knex';
import {
  createLogger,
  DiscardingAuditSinkForBenchmarks,
  WorkerAuditSink,
  loadConfig,
  loadOrCreateDepartmentKey,
  loadOrCreateJoinKey,
  loadVerifyKey,
  openDatabase,
} from '../../server/index.ts';
import { PolicyStore } from '../../subgraphs/kit/access/index.ts';
import {
  buildDepartmentSubgraph,
  startSubgraphServer,
  type RunningSubgraph,
} from '../../subgraphs/kit/index.ts';
import { loadPlatformCatalogue } from '../platform/index.ts';
import { serveAsWorker, startPlatformWorkerPool, stopOnSignals } from '../platform/runWorkers.ts';
import { parseWorkerCount } from '../platform/workerCount.ts';

export type Side = 'governed' | 'ungoverned';
export type SubgraphPorts = Record<Side, Record<string, number>>;
export type SqlCounts = Record<Side, number>;

const ports = JSON.parse(process.env.BENCH_SUBGRAPH_PORTS ?? '{}') as SubgraphPorts;
const config = loadConfig();

if (cluster.isWorker) {
  await serveAsWorker(serveBothSides);
} else {
  // The primary writes every worker's audit records (the subgraphs' own, not handed back).
  const pool = await startPlatformWorkerPool(
    config.database,
    parseWorkerCount(process.env.BENCH_SUBGRAPH_WORKERS),
    (message) => console.log(`[subgraphs] ${message}`),
    { audit: { role: 'benchmark subgraphs' } },
  );
  // The parent's questions are answered with the sum over workers.
  process.on('message', (message) => {
    if (message === 'sql') void sumOverWorkers().then((sql) => process.send!({ sql }));
  });
  stopOnSignals(() => pool.stop());
  process.send!({ ready: pool.url });
}

async function serveBothSides(): Promise<{ url: string; stop(): Promise<void> }> {
  const catalogue = loadPlatformCatalogue({}, config);
  const gatewayKey = await loadVerifyKey(config.auth.gatewayPublicKeyFile);
  const joinKey = loadOrCreateJoinKey(config.auth.joinKeyFile);
  const access = {
    timeZone: config.timeZone,
    verifyLimitPerRecord: config.verifyLimitPerRecord,
    probeLimitPerDay: config.probeLimitPerDay,
  };
  const platformDb = await openDatabase(config.database, 'platform');
  const policies = new PolicyStore(platformDb, createLogger(config), config.policyReload);
  await policies.start();
  const audit = new WorkerAuditSink();
  const discard = new DiscardingAuditSinkForBenchmarks();
  const counts: SqlCounts = { governed: 0, ungoverned: 0 };
  const databases: Knex[] = [];
  const servers: RunningSubgraph[] = [];
  const open = async (code: string, side: Side) => {
    const db = await openDatabase(config.database, code);
    db.on('query', () => counts[side]++);
    databases.push(db);
    return db;
  };
  for (const { code } of catalogue.departments) {
    servers.push(
      await startSubgraphServer(
        buildDepartmentSubgraph(catalogue, code, { maxPageSize: config.maxPageSize }),
        {
          db: await open(code, 'governed'),
          catalogue: () => catalogue,
          policies,
          audit,
          departmentKey: loadOrCreateDepartmentKey(config.auth.departmentKeys, code),
          gatewayKey,
          joinKey,
          access,
          host: '127.0.0.1',
          port: ports.governed[code]!,
        },
      ),
      await startSubgraphServer(
        buildDepartmentSubgraph(catalogue, code, {
          maxPageSize: config.maxPageSize,
          unsafeWithoutRules: true,
        }),
        {
          db: await open(code, 'ungoverned'),
          catalogue: () => catalogue,
          policies,
          audit: discard,
          departmentKey: loadOrCreateDepartmentKey(config.auth.departmentKeys, code),
          gatewayKey,
          joinKey,
          access,
          host: '127.0.0.1',
          port: ports.ungoverned[code]!,
          unsafeWithoutIdentity: true,
        },
      ),
    );
  }
  process.on('message', (message) => {
    if (message === 'sql') process.send!({ sql: counts });
  });
  return {
    url: servers[0]!.url,
    async stop() {
      await Promise.all(servers.map((s) => s.stop()));
      await audit.drain();
      policies.stop();
      await Promise.all([...databases, platformDb].map((db) => db.destroy()));
    },
  };
}

/** Asks every worker for its statement counts and adds them up. */
async function sumOverWorkers(): Promise<SqlCounts> {
  const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
  const answers = await Promise.all(
    workers.map(
      (worker) =>
        new Promise<SqlCounts>((resolve) => {
          const listen = (message: { sql?: SqlCounts }) => {
            if (!message?.sql) return;
            worker.off('message', listen);
            resolve(message.sql);
          };
          worker.on('message', listen);
          worker.send('sql');
        }),
    ),
  );
  return answers.reduce(
    (sum, c) => ({
      governed: sum.governed + c.governed,
      ungoverned: sum.ungoverned + c.ungoverned,
    }),
    { governed: 0, ungoverned: 0 },
  );
}
