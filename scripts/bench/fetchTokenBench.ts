import type { Knex } from 'knex';
import { Pool } from 'undici';
import {
  newRequestId,
  type FetchMac,
  type PlatformConfig,
  type PlatformKey,
} from '../../server/index.ts';
import { alternate, logRounds } from './alternate.ts';
import { lookupBodies } from './operations.ts';
import { ensureBenchGrants } from './benchGrants.ts';
import { benchFetchMac, benchFetchToken, DEPARTMENT } from './publicSecurityServers.ts';
import { startSubgraphHost, subgraphHostPorts, withCpuPerRequest } from './processes.ts';
import type { LoadResult } from './runAutocannon.ts';
import { median, quantile, summarize, type Summary } from './summarize.ts';

export interface FetchTokenBenchSetup {
  config: PlatformConfig;
  platformDb: Knex;
  /** Codes of every department the benchmark's subgraph host serves. */
  departments: readonly string[];
  keys: { privateKey: PlatformKey };
  rounds: number;
  seconds: number;
  connections: number;
  log: (message: string) => void;
  /** Write a V8 CPU profile of the subgraph worker to this folder. */
  profileDir?: string;
}

export type FetchTokenContender =
  'governed, token with a MAC' | 'governed, token signed' | 'ungoverned';
const CONTENDERS: readonly FetchTokenContender[] = [
  'governed, token with a MAC',
  'governed, token signed',
  'ungoverned',
];

/**
 * One department subgraph (public_security, in one worker process of the
 * benchmark's subgraph host) answering the fetch our gateway sends for the
 * single lookup, loaded straight from this process with a fresh context token
 * per fetch, made as the gateway makes it (request id, body hash, hand-back
 * nonce): governed with the token under the MAC key the gateway shares with
 * the department (the answer sealed for the gateway, and opened here as the
 * gateway opens it), governed with the token signed with the gateway's Ed25519
 * key (as before the MAC; such a fetch's records are committed by the subgraph,
 * never handed back), and ungoverned (no token, rules or audit), in
 * alternating rounds. The figure that counts is the worker's CPU per request,
 * read from `/proc`: this process makes the tokens, so its requests a second
 * move with the token's cost on this side too.
 */
export async function runFetchTokenBench(setup: FetchTokenBenchSetup): Promise<Summary[]> {
  const { config, log } = setup;
  if (config.database.kind !== 'sqlite') throw new Error('the benchmark runs on SQLite');
  const dataDir = config.database.dir;
  await ensureBenchGrants(setup.platformDb);
  const ports = await subgraphHostPorts(setup.departments);
  const subgraph = await startSubgraphHost(
    ports,
    1,
    { ...process.env, DATABASE_URL: undefined, DATA_DIR: dataDir, NODE_ENV: 'production' },
    { nodeOptions: setup.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${setup.profileDir}`] : [] },
  );
  try {
    const mac = benchFetchMac(config, setup.keys.privateKey, DEPARTMENT);
    const tokenKey = {
      'governed, token with a MAC': mac,
      'governed, token signed': setup.keys.privateKey,
    };
    const bodies = lookupBodies(config.seedScale);
    const results = await alternate(
      CONTENDERS,
      setup,
      (name, seconds) =>
        withCpuPerRequest({ subgraph }, () =>
          drive(
            `http://127.0.0.1:${(name === 'ungoverned' ? ports.ungoverned : ports.governed)[DEPARTMENT]}`,
            bodies,
            setup.connections,
            seconds,
            name === 'ungoverned' ? null : tokenKey[name],
          ),
        ),
      logRounds(log, '  '),
    );
    return CONTENDERS.map((name) => summarize(name, results.get(name)!));
  } finally {
    await subgraph.stop();
  }
}

/**
 * `connections` requests in flight for `seconds`, sending `bodies` in turn
 * (the lookup's fetch for people spread over those seeded), each with a fresh token made
 * with `key` (none when null); throws on any answer that is not the person.
 */
async function drive(
  origin: string,
  bodies: readonly string[],
  connections: number,
  seconds: number,
  key: FetchMac | PlatformKey | null,
): Promise<LoadResult> {
  const pool = new Pool(origin, { connections });
  const latencies: number[] = [];
  let next = 0;
  const end = Date.now() + seconds * 1000;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (Date.now() < end) {
          const body = bodies[next++ % bodies.length]!;
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          const fetch = key
            ? await benchFetchToken(key, DEPARTMENT, body, newRequestId(), 'Person')
            : null;
          if (fetch) headers['x-govdata-context'] = fetch.token;
          const sent = performance.now();
          const response = await pool.request({ path: '/graphql', method: 'POST', headers, body });
          const text = fetch ? await fetch.read(response) : await response.body.text();
          latencies.push(performance.now() - sent);
          if (
            response.statusCode !== 200 ||
            !text.includes('"idNumber"') ||
            text.includes('"errors"')
          ) {
            throw new Error(
              `${origin} did not answer the lookup: ${response.statusCode} ${text.slice(0, 300)}`,
            );
          }
        }
      }),
    );
  } finally {
    await pool.close();
  }
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => quantile(latencies, q)!;
  return {
    requestsPerSecond: latencies.length / elapsed,
    p50: Number(median(latencies).toFixed(2)),
    p95: at(0.95),
    p99: Number(at(0.99).toFixed(2)),
    errors: 0,
    non2xx: 0,
    requests: latencies.length,
  };
}

/** The suite's table: the worker's CPU per request first, then what the load saw. */
export function fetchTokenReport(rows: readonly Summary[]): string {
  const cpu = (row: Summary) => Math.round((row.cpuMsPerRequest?.subgraph ?? NaN) * 1000);
  const ungoverned = rows.find((r) => r.name === 'ungoverned');
  return [
    '| contender | subgraph CPU µs / request | over ungoverned | req/s | p50 ms | p95 ms | p99 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${cpu(r)} | ${ungoverned ? `+${cpu(r) - cpu(ungoverned)}` : '—'} | ${r.requestsPerSecond} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} | ${r.p99.toFixed(2)} |`,
    ),
  ].join('\n');
}
