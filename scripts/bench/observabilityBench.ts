import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { composeSupergraph } from '../../gateway/index.ts';
import type { Catalogue } from '../../schema/index.ts';
import { mintDevToken, type PlatformConfig } from '../../server/index.ts';
import { departmentTypeDefs } from '../../subgraphs/kit/index.ts';
import { alternate, logRounds } from './alternate.ts';
import { BENCH_CONSUMER, BENCH_PURPOSE, ensureBenchGrants } from './benchGrants.ts';
import { benchOperations, checkedBodies } from './operations.ts';
import { freePort } from '../platform/portsAhead.ts';
import {
  compileAsDeployed,
  nextMessage,
  startOurGateway,
  startService,
  waitUntilServing,
  withCpuPerRequest,
  type Service,
} from './processes.ts';
import { runAutocannon } from './runAutocannon.ts';
import type { SubgraphPorts } from './subgraphHost.ts';
import { median, summarize, type Summary } from './summarize.ts';

export interface ObservabilityBenchSetup {
  config: PlatformConfig;
  catalogue: Catalogue;
  platformDb: Knex;
  rounds: number;
  seconds: number;
  connections: number;
  workers: number;
  /** Write V8 CPU profiles of both gateways' processes to `<dir>/on` and `<dir>/off`. */
  profileDir?: string;
  /** People seeded: the lookups are spread over them. */
  scale: number;
  /** Of this suite's operations (`lookup`, `people`), the ones to run. */
  operations: readonly string[];
  log: (message: string) => void;
}

export interface ObservabilityBenchResult {
  operations: {
    name: string;
    description: string;
    rows: Summary[];
    /** Each round's on ÷ off in requests a second: the two turns of a round ran back to back. */
    roundRatios: number[];
  }[];
  /** Span batches the local OTLP receiver took from the gateway with observability on. */
  exportedBatches: number;
}

const scripts = join(import.meta.dirname, '..');

/** The gateway suite's operations this one loads (by key): one subgraph, and four. */
const OPERATIONS = ['lookup', 'people'];

type Contender = 'observability on' | 'observability off';

/**
 * Our gateway (`npm run gateway`, `workers` processes, over the benchmark's
 * governed subgraphs in their own processes) twice: with observability on —
 * a JSON log line per request at LOG_LEVEL=info, Prometheus metrics, traces
 * sampled at 10% and exported over OTLP to a receiver in this process — and
 * off (METRICS=off, LOG_LEVEL=warn, no exporter: no SDK). Alternating rounds.
 */
export async function runObservabilityBench(
  setup: ObservabilityBenchSetup,
): Promise<ObservabilityBenchResult> {
  const { config, catalogue, platformDb, workers, log } = setup;
  if (config.database.kind !== 'sqlite') throw new Error('the benchmark runs on SQLite');
  const chosen = benchOperations(setup.scale).filter(
    (o) => OPERATIONS.includes(o.key) && setup.operations.includes(o.key),
  );
  if (chosen.length === 0) {
    throw new Error(`the observability suite runs ${OPERATIONS.join(' and ')}: name one of them`);
  }
  await ensureBenchGrants(platformDb);
  const codes = catalogue.departments.map((d) => d.code);
  const ports: SubgraphPorts = { governed: {}, ungoverned: {} };
  for (const code of codes) {
    ports.governed[code] = await freePort();
    ports.ungoverned[code] = await freePort();
  }
  const dir = mkdtempSync(join(tmpdir(), 'govdata-bench-observability-'));
  const supergraphFile = join(dir, 'governed.graphql');
  writeFileSync(
    supergraphFile,
    composeSupergraph(
      codes.map((code) => ({
        name: code,
        url: `http://127.0.0.1:${ports.governed[code]}/graphql`,
        typeDefs: departmentTypeDefs(catalogue, code, { maxPageSize: config.maxPageSize }),
      })),
    ),
  );
  const env = {
    ...process.env,
    DATABASE_URL: undefined,
    DATA_DIR: config.database.dir,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
  };
  let exportedBatches = 0;
  const receiver: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/v1/traces') exportedBatches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverPort = (receiver.address() as { port: number }).port;

  const services: Service[] = [];
  try {
    log('compiling the gateway as it is deployed (npm run build)');
    await compileAsDeployed();
    log(`starting the subgraphs (${workers} worker(s))`);
    const subgraphs = startService(
      'subgraphs',
      ['--import', 'tsx', join(scripts, 'bench', 'subgraphHost.ts')],
      {
        ...env,
        LOG_LEVEL: 'warn',
        BENCH_SUBGRAPH_PORTS: JSON.stringify(ports),
        BENCH_SUBGRAPH_WORKERS: String(workers),
      },
    );
    services.push(subgraphs);
    await nextMessage(subgraphs, 'ready');

    const gatewayPorts: Record<Contender, number> = {
      'observability on': await freePort(),
      'observability off': await freePort(),
    };
    const settings: Record<Contender, NodeJS.ProcessEnv> = {
      'observability on': {
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        METRICS: 'on',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiverPort}`,
        OTEL_TRACES_SAMPLER_ARG: '0.1',
      },
      'observability off': { LOG_LEVEL: 'warn', METRICS: 'off' },
    };
    const urls = {} as Record<Contender, string>;
    const gateways = {} as Record<Contender, Service>;
    for (const name of Object.keys(settings) as Contender[]) {
      const profile = setup.profileDir
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${join(setup.profileDir, name.replace('observability ', ''))}`,
          ]
        : [];
      const service = startOurGateway(
        name,
        { nodeOptions: profile, workers, port: gatewayPorts[name], supergraph: supergraphFile },
        { ...env, ...settings[name] },
      );
      services.push(service);
      gateways[name] = service;
      urls[name] = `http://127.0.0.1:${gatewayPorts[name]}/graphql`;
      await waitUntilServing(service, urls[name]);
      log(`${name} serving ${urls[name]} with ${workers} worker(s)`);
    }

    const token = await mintDevToken(config.auth, {
      department: BENCH_CONSUMER,
      roles: ['APP_DEVELOPER'],
      expiresIn: '4h',
    });
    const headers = { authorization: `Bearer ${token}`, 'x-purpose': BENCH_PURPOSE };
    const result: ObservabilityBenchResult = { operations: [], exportedBatches: 0 };
    for (const operation of chosen) {
      const bodies = {} as Record<Contender, string[]>;
      for (const name of Object.keys(urls) as Contender[]) {
        bodies[name] = await checkedBodies(name, urls[name], operation, headers);
      }
      log(`${operation.name}: ${operation.description}`);
      const results = await alternate(
        Object.keys(urls) as Contender[],
        setup,
        (name, seconds) =>
          withCpuPerRequest({ gateway: gateways[name] }, () =>
            runAutocannon({
              url: urls[name],
              body: bodies[name],
              headers,
              connections: setup.connections,
              seconds,
            }),
          ),
        logRounds(log, '  '),
      );
      const [on, off] = [results.get('observability on')!, results.get('observability off')!];
      result.operations.push({
        name: operation.name,
        description: operation.description,
        rows: [...results].map(([name, r]) => summarize(name, r)),
        roundRatios: on.map((r, i) => r.requestsPerSecond / off[i]!.requestsPerSecond),
      });
    }
    result.exportedBatches = exportedBatches;
    return result;
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    await new Promise((resolve) => receiver.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

function geometricMean(values: readonly number[]): number {
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

/**
 * The markdown report: a table per operation and the ratio against the
 * target, by requests a second and by the gateway's CPU per request.
 */
export function observabilityReport(result: ObservabilityBenchResult): string {
  const lines: string[] = [];
  const verdict = (ratio: number) =>
    `**${ratio.toFixed(2)}×** (target ≥ 0.95×: ${ratio >= 0.95 ? 'met' : '**missed**'})`;
  const cpu = (r: Summary) => r.cpuMsPerRequest?.gateway;
  for (const operation of result.operations) {
    const [on, off] = operation.rows as [Summary, Summary];
    const [onCpu, offCpu] = [cpu(on), cpu(off)];
    lines.push(
      `**${operation.name}**: ${operation.description}`,
      '',
      '| contender | req/s | p50 ms | p95 ms | p99 ms | errors | gateway CPU ms / request |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...operation.rows.map(
        (r) =>
          `| ${r.name} | ${r.requestsPerSecond} | ${r.p50} | ${r.p95.toFixed(1)} | ${r.p99} | ${r.errors} | ${cpu(r)?.toFixed(3) ?? '—'} |`,
      ),
      '',
      `on / off, requests a second: ${verdict(on.requestsPerSecond / off.requestsPerSecond)}`,
      '',
      `on / off round by round (the two turns of a round back to back, so drift on the machine touches both): ${operation.roundRatios.map((r) => r.toFixed(2)).join(', ')}; median ${verdict(median(operation.roundRatios))}, geometric mean ${geometricMean(operation.roundRatios).toFixed(3)}`,
      '',
    );
    if (onCpu !== undefined && offCpu !== undefined) {
      lines.push(
        `on / off, requests per second of gateway CPU (off's CPU per request ÷ on's): ${verdict(offCpu / onCpu)}`,
        '',
      );
    }
  }
  lines.push(
    `Span batches received by the OTLP receiver during the run: ${result.exportedBatches} (traces were exported).`,
  );
  return lines.join('\n');
}
