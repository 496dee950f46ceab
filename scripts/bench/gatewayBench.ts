import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { composeSupergraph } from '../../gateway/index.ts';
import type { Catalogue } from '../../schema/index.ts';
import { mintDevToken, type PlatformConfig } from '../../server/index.ts';
import { departmentTypeDefs } from '../../subgraphs/kit/index.ts';
import { BENCH_CONSUMER, BENCH_PURPOSE, ensureBenchGrants } from './benchGrants.ts';
import { freePort } from '../platform/portsAhead.ts';
import {
  compileAsDeployed,
  nextMessage,
  peakMemoryMiB,
  PLAIN_APOLLO_LAUNCHER,
  startOurGateway,
  startService,
  startSubgraphHost,
  subgraphHostPorts,
  waitUntilServing,
  withCpuPerRequest,
  type Service,
} from './processes.ts';
import { alternate, logRounds } from './alternate.ts';
import { benchOperations, checkedBodies, post, type Operation } from './operations.ts';
import { benchPackageDir } from './benchPackages.ts';
import { runAutocannon, runLatencyProbe } from './runAutocannon.ts';
import type { Side, SqlCounts } from './subgraphHost.ts';
import { summarize, type Summary } from './summarize.ts';

export interface GatewayBenchSetup {
  config: PlatformConfig;
  catalogue: Catalogue;
  platformDb: Knex;
  rounds: number;
  seconds: number;
  connections: number;
  /** Worker processes of every gateway (and of the subgraph host). */
  workers: number;
  /** Which operations to run (by key: lookup, people, heavy); default all. */
  only?: readonly string[];
  /** Which contenders to start and load; default all. */
  contenders?: readonly string[];
  /** Write V8 CPU profiles of our gateway's, plain Apollo Gateway's and the subgraphs' processes to this folder. */
  profileDir?: string;
  /** People seeded: the lookups are spread over them. */
  scale: number;
  log: (message: string) => void;
}

export type ContenderName =
  | 'direct subgraph'
  | 'plain Apollo Gateway'
  | 'ours'
  | 'Hive Gateway'
  | 'Hive Gateway (router runtime)';

export interface ContenderRow extends Summary {
  /** Peak resident memory of the gateway's processes (MiB); null for the subgraph itself. */
  peakMemoryMiB: number | null;
  /** SQL statements the department databases received per request. */
  sqlPerRequest: number;
}

export interface OperationResult {
  name: string;
  description: string;
  rows: ContenderRow[];
}

export interface GatewayBenchResult {
  operations: OperationResult[];
  /** The single lookup at one connection: latency alone, no queueing. */
  oneConnection: Summary[];
}

/**
 * Five contenders over the same department subgraphs and data, in alternating
 * rounds: the subgraph queried directly (single lookup only), plain Apollo
 * Gateway, ours with identity, rules, audit, limits and observability on, and
 * Hive Gateway with its JavaScript query planner and with its Rust one
 * (`--hive-router-runtime`). Each gateway runs `workers` processes; the
 * subgraphs run in their own.
 */
export async function runGatewayBench(setup: GatewayBenchSetup): Promise<GatewayBenchResult> {
  const { config, catalogue, platformDb, workers, log } = setup;
  if (config.database.kind !== 'sqlite') throw new Error('the benchmark runs on SQLite');
  await ensureBenchGrants(platformDb);
  const codes = catalogue.departments.map((d) => d.code);
  const ports = await subgraphHostPorts(codes);
  const supergraphDir = mkdtempSync(join(tmpdir(), 'govdata-bench-'));
  const supergraphFile = (side: Side) => {
    const file = join(supergraphDir, `${side}.graphql`);
    const definitions = codes.map((code) => ({
      name: code,
      url: `http://127.0.0.1:${ports[side][code]}/graphql`,
      typeDefs: departmentTypeDefs(catalogue, code, { maxPageSize: config.maxPageSize }),
    }));
    writeFileSync(file, composeSupergraph(definitions));
    return file;
  };
  const governedFile = supergraphFile('governed');
  const ungovernedFile = supergraphFile('ungoverned');
  const env = {
    ...process.env,
    DATABASE_URL: undefined,
    DATA_DIR: config.database.dir,
    NODE_ENV: 'production',
    APOLLO_TELEMETRY_DISABLED: 'true',
  };

  const profile = setup.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${setup.profileDir}`] : [];
  /** Hive Gateway over the ungoverned supergraph, with `extra` options (its Rust planner). */
  const startHive = (port: number, extra: readonly string[]) =>
    startService(
      extra.length > 0 ? 'Hive Gateway (router runtime)' : 'Hive Gateway',
      [
        join(benchPackageDir('@graphql-hive/gateway'), 'dist', 'bin.js'),
        'supergraph',
        ungovernedFile,
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--fork',
        String(setup.workers),
        ...extra,
      ],
      env,
    );
  const services: Service[] = [];
  try {
    log('compiling the gateways as they are deployed (npm run build)');
    await compileAsDeployed();
    log(`starting the subgraphs (${workers} worker(s), governed and ungoverned)`);
    const subgraphs = await startSubgraphHost(ports, workers, env, {
      nodeOptions: profile,
      compiled: true,
    });
    services.push(subgraphs);

    const gatewayPorts = {
      ours: await freePort(),
      plain: await freePort(),
      hive: await freePort(),
      hiveRouter: await freePort(),
    };
    type GatewayName = Exclude<ContenderName, 'direct subgraph'>;
    /** How each gateway starts: only the contenders measured do (others would idle beside them). */
    const starts: Record<GatewayName, () => Service> = {
      'plain Apollo Gateway': () =>
        startService('plain Apollo Gateway', [...profile, PLAIN_APOLLO_LAUNCHER], {
          ...env,
          BENCH_SUPERGRAPH_FILE: ungovernedFile,
          PORT: String(gatewayPorts.plain),
          BENCH_WORKERS: String(workers),
        }),
      ours: () =>
        startOurGateway(
          'ours',
          { nodeOptions: profile, workers, port: gatewayPorts.ours, supergraph: governedFile },
          { ...env, HOST: '127.0.0.1' },
        ),
      'Hive Gateway': () => startHive(gatewayPorts.hive, []),
      'Hive Gateway (router runtime)': () =>
        startHive(gatewayPorts.hiveRouter, ['--hive-router-runtime']),
    };
    const chosenContender = (name: ContenderName) =>
      !setup.contenders || setup.contenders.includes(name);
    const gateways: Partial<Record<GatewayName, Service>> = {};
    for (const name of Object.keys(starts) as GatewayName[]) {
      if (chosenContender(name)) gateways[name] = starts[name]();
    }
    services.push(...Object.values(gateways));
    const urls: Record<ContenderName, string> = {
      'direct subgraph': `http://127.0.0.1:${ports.ungoverned.public_security}/graphql`,
      'plain Apollo Gateway': `http://127.0.0.1:${gatewayPorts.plain}/graphql`,
      ours: `http://127.0.0.1:${gatewayPorts.ours}/graphql`,
      'Hive Gateway': `http://127.0.0.1:${gatewayPorts.hive}/graphql`,
      'Hive Gateway (router runtime)': `http://127.0.0.1:${gatewayPorts.hiveRouter}/graphql`,
    };
    for (const [name, service] of Object.entries(gateways)) {
      await waitUntilServing(service, urls[name as ContenderName]);
      log(`${name} serving ${urls[name as ContenderName]} with ${workers} worker(s)`);
    }

    const token = await mintDevToken(config.auth, {
      department: BENCH_CONSUMER,
      roles: ['APP_DEVELOPER'],
      expiresIn: '4h',
    });
    // Every contender gets the same request bytes; only ours reads the credential.
    const headers = { authorization: `Bearer ${token}`, 'x-purpose': BENCH_PURPOSE };
    const sideOf = (name: ContenderName): Side => (name === 'ours' ? 'governed' : 'ungoverned');
    const sqlCounts = async () => {
      subgraphs.child.send('sql');
      return nextMessage<SqlCounts>(subgraphs, 'sql');
    };

    /** The processes whose CPU per request is measured while `name` is driven. */
    const measured = (name: ContenderName): Record<string, Service> =>
      name === 'direct subgraph' ? { subgraphs } : { gateway: gateways[name]!, subgraphs };

    const result: GatewayBenchResult = { operations: [], oneConnection: [] };
    const chosen = benchOperations(setup.scale).filter(
      (o) => !setup.only || setup.only.includes(o.key),
    );
    /** Each operation's bodies for each contender, every one checked to be answered in full. */
    const bodies = new Map<Operation, Map<ContenderName, string[]>>();
    for (const operation of chosen) {
      const contenders = (Object.keys(urls) as ContenderName[]).filter(
        (name) => (operation.direct || name !== 'direct subgraph') && chosenContender(name),
      );
      const sqlPerRequest = new Map<ContenderName, number>();
      const sent = new Map<ContenderName, string[]>();
      bodies.set(operation, sent);
      for (const name of contenders) {
        sent.set(name, await checkedBodies(name, urls[name], operation, headers));
        const before = await sqlCounts();
        const samples = 10;
        for (const body of sent.get(name)!.slice(0, samples)) await post(urls[name], body, headers);
        const after = await sqlCounts();
        sqlPerRequest.set(name, (after[sideOf(name)] - before[sideOf(name)]) / samples);
      }
      log(`${operation.name}: ${operation.description}`);
      const results = await alternate(
        contenders,
        setup,
        (name, seconds) =>
          withCpuPerRequest(measured(name), () =>
            runAutocannon({
              url: urls[name],
              body: sent.get(name)!,
              headers,
              connections: setup.connections,
              seconds,
            }),
          ),
        logRounds(log, '  '),
      );
      result.operations.push({
        name: operation.name,
        description: operation.description,
        rows: contenders.map((name) => ({
          ...summarize(name, results.get(name)!),
          peakMemoryMiB: null, // read at the end
          sqlPerRequest: sqlPerRequest.get(name)!,
        })),
      });
    }

    const single = chosen.find((o) => o.key === 'lookup');
    if (single) {
      log('single lookup at one connection (latency without queueing)');
      const oneConnection = await alternate(
        (Object.keys(urls) as ContenderName[]).filter(chosenContender),
        setup,
        (name, seconds) =>
          runLatencyProbe({
            url: urls[name],
            body: bodies.get(single)!.get(name) ?? single.body,
            headers,
            seconds,
          }),
        (name, round, r) => log(`  round ${round} ${name}: p50 ${r.p50.toFixed(2)} ms`),
      );
      result.oneConnection = [...oneConnection].map(([name, r]) => summarize(name, r));
    }

    // High-water marks cover every round, so they are read once, at the end.
    const peaks = new Map(
      Object.entries(gateways).map(([name, service]) => [name, peakMemoryMiB(service.child.pid!)]),
    );
    for (const operation of result.operations) {
      for (const row of operation.rows) row.peakMemoryMiB = peaks.get(row.name) ?? null;
    }
    return result;
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    rmSync(supergraphDir, { recursive: true, force: true });
  }
}

const PLAIN: ContenderName = 'plain Apollo Gateway';

/** A row's median CPU milliseconds per request in `process`, or a dash where not measured. */
function cpuMs(row: Summary, process: string): string {
  return row.cpuMsPerRequest?.[process]?.toFixed(3) ?? '—';
}
const HIVES: readonly ContenderName[] = ['Hive Gateway', 'Hive Gateway (router runtime)'];

/** The markdown report: a table per operation, then each target against its figure. */
export function gatewayReport(result: GatewayBenchResult): string {
  const lines: string[] = [];
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  for (const operation of result.operations) {
    // Absent when --contenders leaves plain Apollo out.
    const plain = operation.rows.find((r) => r.name === PLAIN);
    const vsPlain = (r: ContenderRow) =>
      plain ? `${(r.requestsPerSecond / plain.requestsPerSecond).toFixed(2)}×` : '—';
    lines.push(
      `**${operation.name}**: ${operation.description}`,
      '',
      '| contender | req/s | vs plain Apollo | p50 ms | p95 ms | p99 ms | errors | peak memory MiB | SQL / request | gateway CPU ms / request | subgraph CPU ms / request |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...operation.rows.map(
        (r) =>
          `| ${r.name} | ${r.requestsPerSecond} | ${vsPlain(r)} | ${r.p50} | ${r.p95.toFixed(1)} | ${r.p99} | ${r.errors} | ${r.peakMemoryMiB ?? '—'} | ${r.sqlPerRequest} | ${cpuMs(r, 'gateway')} | ${cpuMs(r, 'subgraphs')} |`,
      ),
      '',
    );
  }
  lines.push('**Targets**', '');
  for (const operation of result.operations) {
    const row = (name: ContenderName) => operation.rows.find((r) => r.name === name);
    const ours = row('ours');
    // Targets are ours' against the others: none when --contenders leaves ours out.
    if (!ours) continue;
    const plain = row(PLAIN);
    const hives = HIVES.map(row).filter((r): r is ContenderRow => r !== undefined);
    const betterHive = hives.sort((a, b) => b.requestsPerSecond - a.requestsPerSecond)[0];
    const lookup = operation.name === 'single lookup';
    const targets: [ContenderRow | undefined, number][] = lookup
      ? [[plain, 1.0]]
      : [
          [plain, 1.3],
          [betterHive, 1.0],
        ];
    for (const [other, target] of targets) {
      if (!other) continue;
      const ratio = ours.requestsPerSecond / other.requestsPerSecond;
      lines.push(
        `- ${operation.name}: ours ${ratio.toFixed(2)}× ${other.name} (target ≥ ${target.toFixed(1)}×: ${verdict(ratio >= target)}${ratio < target ? `, short by ${Math.round((1 - ratio / target) * 100)}%` : ''}); p95 ${ours.p95.toFixed(1)} ms against ${other.p95.toFixed(1)} ms (${verdict(ours.p95 <= other.p95)})`,
      );
    }
  }
  const withOurs = result.operations.flatMap((o) => {
    const ours = o.rows.find((r) => r.name === 'ours');
    return ours ? [`${o.name} ${ours.sqlPerRequest}`] : [];
  });
  if (withOurs.length > 0) {
    lines.push(
      `- SQL statements per request: ${withOurs.join(', ')} (ours; the same for every contender): one per subgraph fetch, whatever the number of entities`,
    );
  }
  const direct = result.oneConnection.find((r) => r.name === 'direct subgraph');
  const alone = result.oneConnection.find((r) => r.name === 'ours');
  const plainAlone = result.oneConnection.find((r) => r.name === PLAIN);
  if (direct && alone && plainAlone) {
    const added = alone.p50 - direct.p50;
    const plainAdded = plainAlone.p50 - direct.p50;
    lines.push(
      `- single lookup at one connection: ours adds ${added.toFixed(2)} ms at p50 over the direct subgraph, plain Apollo ${plainAdded.toFixed(2)} ms (target ≤ plain Apollo's + 0.5 ms: ${verdict(added <= plainAdded + 0.5)})`,
    );
  }
  if (result.oneConnection.length > 0) {
    lines.push(
      '',
      '**Single lookup at one connection** (latency without queueing)',
      '',
      '| contender | req/s | p50 ms | p95 ms | p99 ms | errors |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...result.oneConnection.map(
        (r) =>
          `| ${r.name} | ${r.requestsPerSecond} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} |`,
      ),
    );
  }
  return lines.join('\n');
}
