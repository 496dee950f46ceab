import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import knex, { type Knex } from 'knex';
import { mintDevToken, verifyAuditChains, type ChainVerification } from '../../server/index.ts';
import {
  DEMO_PERSON_INDEX,
  personIdNumberAt,
  utilityAccountsOfPerson,
} from '../../subgraphs/demo-data/index.ts';
import { requestIdsWithRecords } from './auditCoverage.ts';
import type { ClusterProcess } from './ClusterProcess.ts';
import { runLoad, type LoadRequest, type LoadResult } from './faultLoad.ts';
import type { GaleraNode } from './GaleraNode.ts';
import type { RunningCluster } from './startCluster.ts';

export interface FaultRunOptions {
  cluster: RunningCluster;
  /** The replicated department (its subgraph's replicas are behind HAProxy). */
  department: string;
  /** Whether the other departments are served (the cross-department query needs them). */
  otherDepartments: boolean;
  seedScale: number;
  concurrency: number;
  /** The load runs at least this long, and until every killed process is back plus 10 s. */
  minDurationMs: number;
  log: (message: string) => void;
}

/** One process killed with SIGKILL and started again. */
export interface FaultEvent {
  process: string;
  /** On the run's clock (ms since the load started). */
  killedAt: number;
  restartedAt: number;
  /** When it served again: a Galera node Synced with the others, a govdata process ready. */
  backAt: number;
  /** How the Galera node caught up: IST (write sets it missed) or SST (a full copy). */
  transfer?: string;
  /** Requests that failed while in flight at the kill, or sent before the balancer noticed it. */
  failedAround: number;
  /** Requests answered, but with a part in error (a subgraph's query cut off with its node), likewise. */
  partialAround: number;
  /** From the kill until 20 requests in a row were answered in full. */
  serviceRestoredMs: number | null;
}

export interface NodeAudit {
  node: string;
  answeredWithoutRequestRecord: number;
  answeredWithoutAccessRecord: number;
  chains: Pick<ChainVerification, 'ok' | 'chains' | 'records'> & { problems: number };
}

export interface FaultReport {
  date: string;
  machine: string;
  cores: number;
  seedScale: number;
  concurrency: number;
  durationMs: number;
  sent: number;
  answered: number;
  /** Answered with HTTP 200 but with errors, by error code (a part a killed replica did not answer). */
  answeredWithErrors: Record<string, number>;
  failed: number;
  /** Failed requests that were neither in flight at a kill nor sent within 3 s after one. */
  failedElsewhere: number;
  /** Requests answered with a part in error that were neither in flight at a kill nor sent within 3 s after one. */
  partialElsewhere: number;
  failures: Pick<LoadResult, 'kind' | 'sentAt' | 'endedAt' | 'status' | 'errors'>[];
  events: FaultEvent[];
  /** From the last restart until all three nodes were Synced and HAProxy had every server up. */
  healedMs: number;
  /** Audit batches written again after a Galera conflict or a lost node, by the processes alive at the end. */
  auditRetries: number;
  nodes: NodeAudit[];
}

/** How long after a kill a failed request still counts as the kill's: the balancer's detection. */
const DETECTION_MS = 3000;

/**
 * Runs a bounded mixed load through HAProxy's GraphQL endpoint and, in the
 * middle, kills (SIGKILL) one Galera node, one gateway replica and one replica
 * of the department's subgraph, one after another, each started again 5 s
 * later. Once the load ends and the cluster has healed, every answered
 * request's platform id is looked up in the audit trail of each of the three
 * nodes (its REQUEST record, and an ACCESS record of each subgraph whose data
 * it received), and every chain is verified on each node.
 */
export async function runFaults(options: FaultRunOptions): Promise<FaultReport> {
  const { cluster, log } = options;
  const started = performance.now();
  const now = () => performance.now() - started;
  const requests = await loadRequests(options);
  const results: LoadResult[] = [];
  const events: FaultEvent[] = [];
  // Until the faults are over; then at least the minimum, and 10 s past the last recovery.
  let loadUntil = Number.POSITIVE_INFINITY;
  const load = runLoad(
    cluster.urls.graphql,
    requests,
    options.concurrency,
    () => now() < loadUntil,
    now,
    results,
  );

  const node = cluster.nodes[1]!;
  const gateway = cluster.gateways[1]!;
  const replica = cluster.replicas[1]!;
  const faults = (async () => {
    await sleepUntil(now, 15_000);
    events.push(await killAndRestart(node.process, now, log, () => rejoin(cluster, node)));
    await sleepUntil(now, events.at(-1)!.backAt + 5000);
    events.push(await killAndRestart(gateway, now, log, () => cluster.restartGovdata(gateway)));
    await sleepUntil(now, events.at(-1)!.backAt + 5000);
    events.push(await killAndRestart(replica, now, log, () => cluster.restartGovdata(replica)));
    loadUntil = Math.max(options.minDurationMs, events.at(-1)!.backAt + 10_000);
  })();
  let healedMs: number;
  try {
    await faults;
    await waitHealed(cluster, 120_000);
    healedMs = now() - events.at(-1)!.restartedAt;
  } catch (error) {
    loadUntil = 0;
    await load;
    throw error;
  }
  await load;
  log(
    `load ended after ${Math.round(now() / 1000)} s and ${results.length} requests; checking the audit`,
  );

  const around = (r: LoadResult, e: FaultEvent) =>
    r.sentAt <= e.killedAt + DETECTION_MS && r.endedAt >= e.killedAt;
  const partial = (r: LoadResult) => !failed(r) && r.errors.length > 0;
  for (const event of events) {
    event.failedAround = results.filter((r) => failed(r) && around(r, event)).length;
    event.partialAround = results.filter((r) => partial(r) && around(r, event)).length;
    event.serviceRestoredMs = restoredAfter(results, event.killedAt);
  }
  const failures = results.filter(failed);
  const answered = results.filter((r) => !failed(r));
  const answeredWithErrors: Record<string, number> = {};
  for (const r of answered)
    for (const code of r.errors) answeredWithErrors[code] = (answeredWithErrors[code] ?? 0) + 1;

  const nodes: NodeAudit[] = [];
  for (const galera of cluster.nodes) nodes.push(await auditOnNode(cluster, galera, answered));
  return {
    date: new Date().toISOString().slice(0, 10),
    machine: machineModel(),
    cores: cpus().length,
    seedScale: options.seedScale,
    concurrency: options.concurrency,
    durationMs: Math.round(Math.max(...results.map((r) => r.endedAt))),
    sent: results.length,
    answered: answered.length,
    answeredWithErrors,
    failed: failures.length,
    failedElsewhere: failures.filter((r) => !events.some((e) => around(r, e))).length,
    partialElsewhere: results.filter((r) => partial(r) && !events.some((e) => around(r, e))).length,
    failures: failures.map(({ kind, sentAt, endedAt, status, errors }) => ({
      kind,
      sentAt: Math.round(sentAt),
      endedAt: Math.round(endedAt),
      status,
      errors,
    })),
    events: events.map((e) => ({
      ...e,
      killedAt: Math.round(e.killedAt),
      restartedAt: Math.round(e.restartedAt),
      backAt: Math.round(e.backAt),
    })),
    healedMs: Math.round(healedMs),
    auditRetries: await auditRetries(cluster),
    nodes,
  };
}

/** An answer is one the client received from the platform: HTTP 200 with the platform's request id. */
function failed(r: LoadResult): boolean {
  return r.status !== 200 || r.requestId === null;
}

/** The mixed load: lookups through the replicated subgraph, the catalogue, and (with every department) a person across five. */
async function loadRequests(options: FaultRunOptions): Promise<LoadRequest[]> {
  const auth = options.cluster.config.auth;
  const token = (department: string, user: string) =>
    mintDevToken(auth, { department, roles: ['APP_DEVELOPER'], user, expiresIn: '2h' });
  const alice = {
    authorization: `Bearer ${await token('civil_affairs', 'alice')}`,
    'x-purpose': 'social-assistance',
  };
  const people = Math.min(options.seedScale, 500);
  const accounts = Array.from({ length: people }, (_, i) => utilityAccountsOfPerson(i)).flat();
  if (accounts.length === 0) throw new Error('the demo data has no water accounts to look up');
  const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
  const department = options.department;
  const requests: LoadRequest[] = [
    {
      kind: 'water account',
      query:
        'query Account($n: String!) { utilityAccount(accountNumber: $n) { accountNumber address monthlyUsageM3 arrears } }',
      variables: () => ({ n: pick(accounts).account_number }),
      headers: alice,
      servedBy: (data) =>
        (data as { utilityAccount?: unknown } | null)?.utilityAccount ? [department] : [],
    },
    {
      kind: 'catalogue',
      query: 'query Catalogue { catalogueEntries(first: 5) { nodes { code name } } }',
      variables: () => ({}),
      headers: {
        authorization: `Bearer ${await token('statistics', 'lin')}`,
      },
      servedBy: () => [],
    },
  ];
  if (options.otherDepartments) {
    requests.push({
      kind: 'person, five departments',
      query:
        'query Person($id: String!) { person(idNumber: $id) { name regionCode licenses { kind } creditRecords { category } landParcels { landUse } utilityAccounts { accountNumber arrears } } }',
      variables: () => ({
        id: personIdNumberAt(
          Math.random() < 0.5 ? DEMO_PERSON_INDEX : Math.floor(Math.random() * people),
        ),
      }),
      headers: alice,
      servedBy: (data) => {
        const person = (data as { person?: { utilityAccounts?: unknown[] } | null } | null)?.person;
        if (!person) return [];
        return [
          'public_security',
          ...((person.utilityAccounts?.length ?? 0) > 0 ? ['city_water'] : []),
        ];
      },
    });
  }
  return requests;
}

async function killAndRestart(
  p: ClusterProcess,
  now: () => number,
  log: (message: string) => void,
  restart: () => Promise<string | void>,
): Promise<FaultEvent> {
  const killedAt = now();
  await p.kill();
  log(`killed ${p.name} (SIGKILL) at ${(killedAt / 1000).toFixed(1)} s`);
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const restartedAt = now();
  const transfer = await restart();
  const backAt = now();
  log(
    `${p.name} back ${((backAt - restartedAt) / 1000).toFixed(1)} s after its restart` +
      (transfer ? ` (${transfer})` : ''),
  );
  return {
    process: p.name,
    killedAt,
    restartedAt,
    backAt,
    ...(transfer ? { transfer } : {}),
    failedAround: 0,
    partialAround: 0,
    serviceRestoredMs: null,
  };
}

/** Restarts a killed Galera node and says how it caught up, from its log. */
async function rejoin(cluster: RunningCluster, node: GaleraNode): Promise<string> {
  const log = node.process.spec.logFile;
  const before = statSync(log).size;
  await cluster.restartNode(node);
  const text = readFileSync(log, 'utf8').slice(before);
  // MariaDB runs its state transfer script either way: for IST in bypass mode ("rsync IST").
  if (/rsync IST completed|IST received/.test(text) && !/rsync SST completed/.test(text)) {
    return 'IST (only the write sets it missed)';
  }
  if (/rsync SST completed|SST received/.test(text)) return 'SST (a full copy)';
  return 'state transfer not named in its log';
}

/** Waits until all three nodes are Synced in one cluster and HAProxy has every server up. */
async function waitHealed(cluster: RunningCluster, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const node of cluster.nodes) await node.waitSynced(cluster.account, 3, timeoutMs);
  for (;;) {
    const down = await serversNotUp(cluster.urls.stats);
    if (down.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`HAProxy still has servers not up: ${down.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** HAProxy's servers whose status is not UP, from its statistics page (CSV). */
export async function serversNotUp(statsUrl: string): Promise<string[]> {
  const csv = await (await fetch(`${statsUrl};csv`)).text();
  const [header, ...rows] = csv.trim().split('\n');
  const columns = header!.replace(/^# /, '').split(',');
  const at = (name: string) => columns.indexOf(name);
  return rows
    .map((line) => line.split(','))
    .filter(
      (f) => !['FRONTEND', 'BACKEND'].includes(f[at('svname')]!) && f[at('pxname')] !== 'stats',
    )
    .filter((f) => f[at('status')] !== 'UP')
    .map((f) => `${f[at('pxname')]}/${f[at('svname')]} ${f[at('status')]}`);
}

/** From `killedAt`, how long until 20 requests in a row (in the order sent) were answered in full. */
function restoredAfter(results: readonly LoadResult[], killedAt: number): number | null {
  const after = results.filter((r) => r.sentAt >= killedAt).sort((a, b) => a.sentAt - b.sentAt);
  let run = 0;
  for (let i = 0; i < after.length; i++) {
    const r = after[i]!;
    if (!failed(r) && r.errors.length === 0) {
      if (++run === 20) return Math.round(after[i - 19]!.sentAt - killedAt);
    } else run = 0;
  }
  return null;
}

/** The audit on one node, read directly (not through HAProxy): coverage of the answers, and every chain. */
async function auditOnNode(
  cluster: RunningCluster,
  node: GaleraNode,
  answered: readonly LoadResult[],
): Promise<NodeAudit> {
  const db: Knex = knex({
    client: 'mysql2',
    connection: {
      host: '127.0.0.1',
      port: node.ports.sql,
      user: cluster.account.user,
      password: cluster.account.password,
      database: 'govdata',
      dateStrings: true,
      supportBigNumbers: true,
    },
    pool: { min: 0, max: 2 },
  });
  try {
    const ids = answered.map((r) => r.requestId!);
    const withRequest = await requestIdsWithRecords(db, 'REQUEST', ids);
    const bySubgraph = new Map<string, string[]>();
    for (const r of answered) {
      for (const subgraph of r.servedBy)
        bySubgraph.set(subgraph, [...(bySubgraph.get(subgraph) ?? []), r.requestId!]);
    }
    let withoutAccess = 0;
    for (const [subgraph, served] of bySubgraph) {
      const found = await requestIdsWithRecords(db, 'ACCESS', served, subgraph);
      withoutAccess += served.filter((id) => !found.has(id)).length;
    }
    const chains = await verifyAuditChains(db);
    return {
      node: node.name,
      answeredWithoutRequestRecord: ids.filter((id) => !withRequest.has(id)).length,
      answeredWithoutAccessRecord: withoutAccess,
      chains: {
        ok: chains.ok,
        chains: chains.chains,
        records: chains.records,
        problems: chains.problems.length,
      },
    };
  } finally {
    await db.destroy();
  }
}

/** `govdata_audit_retries_total` summed over the govdata processes alive now. */
async function auditRetries(cluster: RunningCluster): Promise<number> {
  const ports = [
    ...cluster.ports.gatewayReplicas,
    ...cluster.ports.subgraphReplicas,
    ...cluster.ports.otherDepartments,
  ];
  let total = 0;
  for (const port of ports) {
    try {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      for (const line of text.split('\n')) {
        if (line.startsWith('govdata_audit_retries_total')) total += Number(line.split(' ').at(-1));
      }
    } catch {
      // a process without metrics counts nothing
    }
  }
  return total;
}

function machineModel(): string {
  try {
    const text = execFileSync('lscpu', { encoding: 'utf8' });
    return /Model name:\s*(.+)/.exec(text)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  } catch {
    return cpus()[0]?.model ?? 'unknown';
  }
}

function sleepUntil(now: () => number, at: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, at - now())));
}
