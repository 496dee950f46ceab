import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { createFileOnce } from '../../server/identity/createFileOnce.ts';
import {
  departmentPasswordFile,
  departmentUserName,
  loadConfig,
  loadDevSecret,
  loadOrCreateDepartmentKey,
  loadOrCreateJoinKey,
  loadOrCreateSigningKeys,
  openDatabase,
  platformGatewayRole,
  platformHostUserName,
  platformSubgraphRole,
  type DepartmentUsersConfig,
  type PlatformConfig,
} from '../../server/index.ts';
import {
  PLATFORM_SIGNER,
  selectCurrentSubgraphs,
} from '../../subgraphs/platform/registry/index.ts';
import {
  loadPlatformCatalogue,
  prepareDepartmentData,
  preparePlatformData,
} from '../platform/index.ts';
import { ClusterProcess, groupAlive, signalGroup } from './ClusterProcess.ts';
import { assertPortsFree, planPorts, type ClusterPorts } from './clusterPlan.ts';
import { GaleraNode, type DatabaseAccount } from './GaleraNode.ts';
import { startGaleraHealthChecks } from './galeraHealthChecks.ts';
import { haproxyConfig } from './haproxyConfig.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const HAPROXY = '/usr/sbin/haproxy';
/** Marks a folder as the cluster's own, so that only such a folder is ever wiped. */
const MARKER = '.govdata-cluster';
/** The process groups of the running cluster, for the next run to clean up after a crash. */
const PROCESS_FILE = 'processes.json';

export interface ClusterOptions {
  /** The cluster's folder (data, logs, keys); wiped at start if it is a cluster's. */
  dir: string;
  /** HAProxy's GraphQL endpoint; every other port follows it (0: any free ports). */
  basePort: number;
  /** The department served by two replicas behind HAProxy. */
  department: string;
  /** Other departments served once each (their part of a query needs them). */
  otherDepartments: readonly string[];
  /** People in the demo data. */
  seedScale: number;
  log: (message: string) => void;
}

export interface ClusterUrls {
  graphql: string;
  subgraph: string;
  /** The MySQL endpoint, the password left out (it is in `passwordFile`). */
  mysql: string;
  stats: string;
  passwordFile: string;
}

export interface RunningCluster {
  ports: ClusterPorts;
  urls: ClusterUrls;
  /** The configuration every govdata process of the cluster runs with. */
  config: PlatformConfig;
  /** The environment every govdata process of the cluster runs with. */
  env: NodeJS.ProcessEnv;
  account: DatabaseAccount;
  nodes: readonly GaleraNode[];
  gateways: readonly ClusterProcess[];
  replicas: readonly ClusterProcess[];
  haproxy: ClusterProcess;
  /** Every process of the cluster, in the order they are stopped. */
  processes(): ClusterProcess[];
  /**
   * Starts a killed Galera node again from the position it recovers; resolves
   * with that position (null: none, a full copy follows) once it is Synced.
   */
  restartNode(node: GaleraNode, timeoutMs?: number): Promise<string | null>;
  /** Starts a killed govdata process again; resolves once it is ready. */
  restartGovdata(process: ClusterProcess, timeoutMs?: number): Promise<void>;
  /** Stops everything, gateways first and the Galera nodes last; nothing is left running. */
  stop(): Promise<void>;
}

/**
 * Starts a three-node MariaDB Galera cluster on this machine, HAProxy in
 * front of it, migrates and seeds the platform once through HAProxy, then the
 * govdata processes: the platform subgraph, two replicas of one department's
 * subgraph behind HAProxy (registered under HAProxy's URL), each other
 * department's subgraph once, and two gateway replicas behind HAProxy. Every
 * govdata process reaches the database through HAProxy only.
 *
 * On failure everything started so far is stopped before the error is thrown.
 */
export async function startCluster(options: ClusterOptions): Promise<RunningCluster> {
  const { dir, log } = options;
  prepareFolder(dir, log);
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const ports = await planPorts(options.basePort, options.otherDepartments.length);
  await assertPortsFree(ports);

  const account: DatabaseAccount = { user: 'govdata', password: randomBytes(18).toString('hex') };
  const passwordFile = join(dir, 'db-password');
  writeFileSync(passwordFile, `${account.password}\n`, { mode: 0o600 });
  const databaseUrl = `mysql://${account.user}:${account.password}@127.0.0.1:${ports.mysql}/govdata`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    DATA_DIR: join(dir, 'platform'),
    HOST: '127.0.0.1',
    SEED_SCALE: String(options.seedScale),
    // Longer than a Galera node takes to be declared gone (evs.suspect_timeout, 3 s):
    // a request whose audit records wait for the cluster to reconfigure is held, not refused.
    STORAGE_TIMEOUT_MS: '10000',
    DB_ACQUIRE_TIMEOUT_MS: '10000',
    LOG_FORMAT: 'json',
  };
  const config = loadConfig(env);
  // A department's processes connect as the department, as on its own host: to the
  // platform database as its host user (read and append only), to its own database as
  // its own user; a gateway as the gateways' user, the platform subgraph as its own. The
  // platform makes each with these passwords as it migrates (the only process here with the
  // platform's credential), and each process refuses a credential beyond its role's.
  const { departmentUsers } = config.database as { departmentUsers: DepartmentUsersConfig };
  const password = (user: string) => {
    const file = departmentPasswordFile(departmentUsers, user);
    createFileOnce(file, randomBytes(24).toString('base64url'), 0o600);
    return readFileSync(file, 'utf8').trim();
  };
  const at = `127.0.0.1:${ports.mysql}`;
  const departmentEnv = (department: string): NodeJS.ProcessEnv => {
    const host = platformHostUserName('govdata', department);
    const own = departmentUserName(`govdata_${department}`);
    return {
      DATABASE_URL: `mysql://${host}:${password(host)}@${at}/govdata`,
      DEPARTMENT_DATABASE_URL: `mysql://${own}:${password(own)}@${at}/govdata_${department}`,
      PLATFORM_DB_RIGHTS: 'least',
    };
  };
  const roleEnv = (user: string): NodeJS.ProcessEnv => ({
    DATABASE_URL: `mysql://${user}:${password(user)}@${at}/govdata`,
    PLATFORM_DB_RIGHTS: 'least',
  });
  const gatewayEnv = roleEnv(platformGatewayRole('govdata').user);
  const urls: ClusterUrls = {
    graphql: `http://127.0.0.1:${ports.gateway}/graphql`,
    subgraph: `http://127.0.0.1:${ports.subgraph}/graphql`,
    mysql: `mysql://${account.user}@127.0.0.1:${ports.mysql}/govdata`,
    stats: `http://127.0.0.1:${ports.stats}/`,
    passwordFile,
  };

  const nodes = ports.galera.map((p, i) => new GaleraNode(i, p, ports.galera, dir, logDir));
  const haproxyFile = join(dir, 'haproxy.cfg');
  const haproxy = new ClusterProcess({
    name: 'haproxy',
    command: HAPROXY,
    args: ['-db', '-f', haproxyFile],
    env: { PATH: process.env.PATH },
    cwd: dir,
    logFile: join(logDir, 'haproxy.log'),
  });
  const govdata = (name: string, script: string, args: string[], extra: NodeJS.ProcessEnv = {}) =>
    new ClusterProcess({
      name,
      command: process.execPath,
      args: ['--import', 'tsx', join(ROOT, 'scripts', script), ...args],
      env: { ...env, ...extra },
      cwd: ROOT,
      logFile: join(logDir, `${name}.log`),
    });
  const serve = (name: string, department: string, port: number, extra: NodeJS.ProcessEnv = {}) =>
    govdata(
      name,
      'govdata.ts',
      ['serve', '--department', department, '--port', String(port), '--no-seed'],
      { ...departmentEnv(department), ...extra },
    );
  const platformSubgraph = govdata(
    'platform-subgraph',
    'govdata.ts',
    ['serve', '--platform', '--port', String(ports.platformSubgraph)],
    roleEnv(platformSubgraphRole('govdata').user),
  );
  const replicas = ports.subgraphReplicas.map((port, i) =>
    serve(`subgraph-${i + 1}`, options.department, port, { SUBGRAPH_URL: urls.subgraph }),
  );
  const others = options.otherDepartments.map((code, i) =>
    serve(code, code, ports.otherDepartments[i]!),
  );
  const gateways = ports.gatewayReplicas.map((port, i) =>
    govdata(`gateway-${i + 1}`, 'gateway.ts', ['--workers', '1', '--port', String(port)], {
      ...gatewayEnv,
      // Each gateway host signs its chain heads into a file of its own.
      AUDIT_CHECKPOINT_FILE: join(dir, 'platform', `audit-checkpoints-gateway-${i + 1}.jsonl`),
    }),
  );
  let healthChecks: { stop(): Promise<void> } | undefined;
  const all = () => [...gateways, ...replicas, ...others, platformSubgraph, haproxy];
  const recordProcesses = () => {
    const running = [...all(), ...nodes.map((n) => n.process)]
      .filter((p) => p.pid !== undefined)
      .map((p) => ({ name: p.name, pgid: p.pid }));
    writeFileSync(join(dir, PROCESS_FILE), JSON.stringify(running, null, 2));
  };
  const stop = async () => {
    for (const group of [gateways, [...replicas, ...others, platformSubgraph], [haproxy]]) {
      await Promise.all(group.map((p) => p.stop()));
    }
    await healthChecks?.stop();
    // The last node to leave holds the newest state; each leaves the cluster in turn.
    for (const node of [...nodes].reverse()) await node.process.stop(60_000);
    rmSync(join(dir, PROCESS_FILE), { force: true });
  };

  try {
    const started = Date.now();
    for (const node of nodes) node.prepare();
    nodes[0]!.start(true);
    recordProcesses();
    await waitFor(`${nodes[0]!.name} to answer`, 60_000, () => nodes[0]!.answersOnSocket(), [
      nodes[0]!.process,
    ]);
    // The platform's account, made once on the first node: the others receive it by state transfer.
    nodes[0]!.runAsAdmin(
      `CREATE USER '${account.user}'@'127.0.0.1' IDENTIFIED BY '${account.password}'; ` +
        `GRANT ALL PRIVILEGES ON *.* TO '${account.user}'@'127.0.0.1' WITH GRANT OPTION;`,
    );
    await nodes[0]!.waitSynced(account, 1, 60_000);
    log(`${nodes[0]!.name} bootstrapped the cluster on 127.0.0.1:${nodes[0]!.ports.sql}`);
    // One joiner at a time: each receives a full copy (SST) from a donor.
    for (const node of nodes.slice(1)) {
      node.start();
      recordProcesses();
      await node.waitSynced(account, node.index + 1, 180_000);
      log(`${node.name} joined on 127.0.0.1:${node.ports.sql}`);
    }
    healthChecks = await startGaleraHealthChecks(nodes, account);
    writeFileSync(haproxyFile, haproxyConfig(ports));
    const checked = spawnSync(HAPROXY, ['-c', '-f', haproxyFile], { encoding: 'utf8' });
    if (checked.status !== 0) throw new Error(`haproxy.cfg does not check:\n${checked.stderr}`);
    haproxy.start();
    recordProcesses();
    await waitFor(
      'HAProxy to route to every Galera node',
      30_000,
      () => mysqlThrough(urls, account),
      [haproxy],
    );
    log(`HAProxy in front of ${nodes.length} Galera nodes at 127.0.0.1:${ports.mysql}`);

    // Keys (the departments' audit keys too) and the development token secret, made once:
    // replicas must share them.
    await loadOrCreateSigningKeys(
      config.auth.gatewayPrivateKeyFile,
      config.auth.gatewayPublicKeyFile,
    );
    loadOrCreateJoinKey(config.auth.joinKeyFile);
    // The platform's registry key too: its own subgraphs are published with it.
    for (const signer of [options.department, ...options.otherDepartments, PLATFORM_SIGNER]) {
      loadOrCreateDepartmentKey(config.auth.departmentKeys, signer);
    }
    if (config.auth.tokens.kind === 'secret') loadDevSecret(config.auth.tokens);
    const catalogue = loadPlatformCatalogue({}, config);
    const platformDb = await preparePlatformData(config, catalogue, 'always', log);
    const departmentDbs = await prepareDepartmentData(config, catalogue, 'always', log);
    await Promise.all([platformDb, ...departmentDbs.values()].map((db) => db.destroy()));
    log('migrated and seeded once, through HAProxy');

    const readyOf = (p: ClusterProcess, port: number) => waitReady(p, port, 180_000);
    // Replicas of one department register the same URL: the second starts once the first has.
    // Gateways need not wait for the rest: they follow the registry as subgraphs register.
    for (const p of [platformSubgraph, replicas[0]!, ...others]) p.start();
    recordProcesses();
    await readyOf(replicas[0]!, ports.subgraphReplicas[0]);
    for (const p of [replicas[1]!, ...gateways]) p.start();
    recordProcesses();
    await Promise.all([
      readyOf(platformSubgraph, ports.platformSubgraph),
      readyOf(replicas[1]!, ports.subgraphReplicas[1]),
      ...others.map((p, i) => readyOf(p, ports.otherDepartments[i]!)),
    ]);
    log(
      `subgraphs ready: platform, ${options.department} ×2 behind HAProxy` +
        (others.length > 0 ? `, ${options.otherDepartments.join(', ')}` : ''),
    );
    // A subgraph serves before it registers: wait until the registry names every one, then
    // give the gateways two of their registry polls (one a second) to compose all of them.
    const registry = await openDatabase(config.database, 'platform');
    try {
      const expected = ['platform', options.department, ...options.otherDepartments];
      await waitFor(
        'every subgraph to register',
        60_000,
        async () => {
          const names = new Set((await selectCurrentSubgraphs(registry)).map((s) => s.name));
          return expected.every((name) => names.has(name));
        },
        [platformSubgraph, ...replicas, ...others],
      );
    } finally {
      await registry.destroy();
    }
    await Promise.all(gateways.map((g, i) => readyOf(g, ports.gatewayReplicas[i]!)));
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const viaHaproxy = `http://127.0.0.1:${ports.gateway}/health`;
    await waitFor('HAProxy to route to the gateways', 30_000, () => answersHttp(viaHaproxy), [
      haproxy,
    ]);
    log(`ready in ${Math.round((Date.now() - started) / 1000)} s`);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }

  return {
    ports,
    urls,
    config,
    env,
    account,
    nodes,
    gateways,
    replicas,
    haproxy,
    processes: () => [...all(), ...nodes.map((n) => n.process)],
    async restartNode(node, timeoutMs = 180_000) {
      const position = node.restart();
      recordProcesses();
      await node.waitSynced(account, nodes.length, timeoutMs);
      return position;
    },
    async restartGovdata(p, timeoutMs = 180_000) {
      const port = Number(p.spec.args[p.spec.args.indexOf('--port') + 1]);
      p.start();
      recordProcesses();
      await waitReady(p, port, timeoutMs);
    },
    stop,
  };
}

/**
 * Makes `dir` ready for a fresh cluster: stops what a crashed earlier run left
 * running there, then empties it. A folder that is neither empty nor a
 * cluster's (no marker file) is refused, never wiped.
 */
function prepareFolder(dir: string, log: (message: string) => void): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(join(dir, MARKER))) {
      throw new Error(`${dir} is not empty and is not a cluster's folder; choose another --dir`);
    }
    const file = join(dir, PROCESS_FILE);
    if (existsSync(file)) {
      const left = JSON.parse(readFileSync(file, 'utf8')) as { name: string; pgid: number }[];
      for (const { name, pgid } of left) {
        if (groupAlive(pgid) && belongsTo(pgid, dir)) {
          log(`stopping ${name} (process group ${pgid}), left running by an earlier run`);
          signalGroup(pgid, 'SIGKILL');
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  // The Galera nodes may run as another user (mysql, when root starts them): they must reach their folders.
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, MARKER), 'A cluster of `npm run cluster`: emptied at its next start.\n');
}

/** Whether process `pid` was started for the cluster in `dir` (its command line or environment names it). */
function belongsTo(pid: number, dir: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    return cmdline.includes(dir) || environ.includes(dir);
  } catch {
    return false;
  }
}

/** Polls `check` until it holds; fails early, with its log, if one of `processes` stops. */
async function waitFor(
  what: string,
  timeoutMs: number,
  check: () => boolean | Promise<boolean>,
  processes: readonly ClusterProcess[],
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const p of processes) p.assertRunning();
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `gave up waiting for ${what} after ${timeoutMs} ms; ` +
      processes.map((p) => `${p.name}'s log ends:\n${p.logTail()}`).join('\n'),
  );
}

/** Waits until the govdata process on `port` answers `/ready` with 200. */
function waitReady(p: ClusterProcess, port: number, timeoutMs: number): Promise<void> {
  return waitFor(
    `${p.name} to be ready`,
    timeoutMs,
    () => answersHttp(`http://127.0.0.1:${port}/ready`),
    [p],
  );
}

/** Whether GET `url` answers 200. */
async function answersHttp(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Whether a connection through HAProxy's MySQL endpoint reaches a node. */
async function mysqlThrough(urls: ClusterUrls, account: DatabaseAccount): Promise<boolean> {
  const url = new URL(urls.mysql);
  try {
    const connection = await createConnection({
      host: url.hostname,
      port: Number(url.port),
      user: account.user,
      password: account.password,
      connectTimeout: 2000,
    });
    await connection.query('select 1');
    await connection.end();
    return true;
  } catch {
    return false;
  }
}
