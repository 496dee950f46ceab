import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LoadRequest {
  url: string;
  /** The request body, or bodies sent in turn (each request the next one). */
  body: string | readonly string[];
  headers: Record<string, string>;
  connections: number;
  seconds: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
  requests: number;
  /** CPU milliseconds a request cost each measured server, by name (`withCpuPerRequest`). */
  cpuMsPerRequest?: Record<string, number>;
}

/**
 * Drives `request` with autocannon in its own process (so the load generator
 * does not share an event loop with the server under test) and returns its
 * figures. Latencies are in milliseconds.
 */
export async function runAutocannon(request: LoadRequest): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'govdata-load-'));
  const file = join(dir, 'request.json');
  writeFileSync(file, JSON.stringify(request));
  const output = await runNode(
    ['--import', 'tsx', DRIVER, file],
    process.env,
    'autocannon',
  ).finally(() => rmSync(dir, { recursive: true, force: true }));
  const result = JSON.parse(output) as {
    requests: { average: number; total: number };
    latency: { p50: number; p97_5: number; p99: number; p90: number };
    errors: number;
    non2xx: number;
  } & { latency: Record<string, number> };
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    // autocannon reports p90 and p97.5; p95 is interpolated between them.
    p95: (result.latency.p90 + result.latency.p97_5) / 2,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
}

const DRIVER = join(import.meta.dirname, 'loadDriver.ts');
const PROBE = join(import.meta.dirname, 'latencyProbe.ts');

/** Latency at one connection, one request at a time, timed in its own process to the microsecond. */
export async function runLatencyProbe(
  request: Omit<LoadRequest, 'connections'>,
): Promise<LoadResult> {
  const output = await runNode(
    ['--import', 'tsx', PROBE, request.url, String(request.seconds)],
    {
      ...process.env,
      BENCH_BODIES: JSON.stringify(
        typeof request.body === 'string' ? [request.body] : request.body,
      ),
      BENCH_HEADERS: JSON.stringify(request.headers),
    },
    'latency probe',
  );
  return JSON.parse(output) as LoadResult;
}

/** Runs `args` under this Node in its own process and resolves with what it printed. */
function runNode(args: readonly string[], env: NodeJS.ProcessEnv, what: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    // 'close', not 'exit': the output may still be in the pipe when the process exits.
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${what} failed: ${stderr}`)),
    );
  });
}
