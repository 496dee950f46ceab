import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../platform/portsAhead.ts';
import type { LoadResult } from './runAutocannon.ts';
import type { SubgraphPorts } from './subgraphHost.ts';

/** A process the benchmark started, with the last of what it printed. */
export interface Service {
  name: string;
  child: ChildProcess;
  /** The last 4,000 characters it printed, stdout and stderr (its log lines are on stdout). */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Starts `args` under this Node in its own process, with an IPC channel. Output
 * goes nowhere but its tail, kept for the error when it fails.
 */
export function startService(
  name: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Service {
  const child = spawn(process.execPath, args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return {
    name,
    child,
    stderr: () => tail,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

const ROOT = join(import.meta.dirname, '..', '..');
/** `npm run build`'s output: what the container image runs. */
const DEPLOYED = join(ROOT, 'dist');

/** Runs `command` in the repository, failing with its output if it fails. */
function runToEnd(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed:\n${output}`)),
    );
  });
}

let compiled: Promise<void> | undefined;

/**
 * Compiles the gateways the bench starts to JavaScript, as they are deployed:
 * ours by `npm run build` (the image's `dist/`), the plain Apollo contender's
 * launcher beside it (`tsconfig.deployed.json`). Under tsx, which no
 * deployment runs, a process carried tsx's loader thread, its esbuild service
 * and the source maps of every module it loaded: ours, which loads some 400
 * modules of TypeScript, held about 45 MiB more per process right after its
 * imports than the compiled build does. Once per bench run.
 */
export function compileAsDeployed(): Promise<void> {
  compiled ??= (async () => {
    await runToEnd('npm', ['run', 'build']);
    await runToEnd(process.execPath, [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(import.meta.dirname, 'tsconfig.deployed.json'),
    ]);
  })();
  return compiled;
}

/** The plain Apollo contender's launcher, compiled (`compileAsDeployed`). */
export const PLAIN_APOLLO_LAUNCHER = join(DEPLOYED, 'scripts', 'bench', 'plainApolloGateway.js');

/**
 * Our gateway as `npm run gateway` runs it, compiled as the image runs it
 * (`compileAsDeployed` first) — `workers` worker processes on `port` serving
 * the composed `supergraph` file — with `nodeOptions` (CPU profiling) first.
 * A benchmark's one consumer sends far more than its default share per second
 * (500 requests), so its shares are lifted.
 */
export function startOurGateway(
  name: string,
  options: { nodeOptions: readonly string[]; workers: number; port: number; supergraph: string },
  env: NodeJS.ProcessEnv,
): Service {
  return startService(
    name,
    [
      ...options.nodeOptions,
      join(DEPLOYED, 'scripts', 'gateway.js'),
      '--workers',
      String(options.workers),
      '--port',
      String(options.port),
      '--supergraph',
      options.supergraph,
    ],
    { ...env, LIMITS_AUTHENTICATED: 'requestsPerSecond=10000000,costPerSecond=999999999' },
  );
}

/** Resolves with the first IPC message that has `key`; rejects if the process exits first. */
export function nextMessage<T>(service: Service, key: string, timeoutMs = 120_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new Error(`${service.name} did not answer within ${timeoutMs} ms: ${service.stderr()}`),
      );
    }, timeoutMs);
    const onMessage = (message: Record<string, unknown>) => {
      if (message && key in message) {
        cleanup();
        resolve(message[key] as T);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`${service.name} exited (${code}): ${service.stderr()}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      service.child.off('message', onMessage);
      service.child.off('exit', onExit);
    };
    service.child.on('message', onMessage);
    service.child.once('exit', onExit);
  });
}

/** Waits until `url` answers a GraphQL request with 200, or fails with the service's stderr. */
export async function waitUntilServing(
  service: Service,
  url: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) {
      throw new Error(`${service.name} exited (${service.child.exitCode}): ${service.stderr()}`);
    }
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `${service.name} did not serve ${url} within ${timeoutMs} ms: ${service.stderr()}`,
  );
}

/**
 * A process and its descendants (Linux `/proc`): a gateway's cluster workers
 * are children of its primary. Throws where there is no `/proc`.
 */
function processTree(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statFields(Number(entry));
    if (stat) parents.set(Number(entry), Number(stat[1]));
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

/**
 * The fields of `/proc/<pid>/stat` after the command name (which may hold
 * spaces), so field 3 of proc(5) is index 0; null when the process has ended.
 */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * The peak resident memory of a process and its descendants, in MiB: the sum
 * of each one's high-water mark (Linux `/proc`; null elsewhere).
 */
export function peakMemoryMiB(pid: number): number | null {
  try {
    let kib = 0;
    for (const member of processTree(pid)) {
      const status = readFileSync(`/proc/${member}/status`, 'utf8');
      kib += Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    }
    return Math.round(kib / 1024);
  } catch {
    return null;
  }
}

/** Linux's USER_HZ: `/proc` counts CPU time in hundredths of a second. */
const TICKS_PER_SECOND = 100;

/**
 * The CPU time, user and system, that a process and its descendants have used
 * so far, in seconds (Linux `/proc`; null elsewhere).
 */
export function cpuSeconds(pid: number): number | null {
  try {
    let ticks = 0;
    for (const member of processTree(pid)) {
      const stat = statFields(member);
      // utime and stime are fields 14 and 15 of proc(5).
      if (stat) ticks += Number(stat[11]) + Number(stat[12]);
    }
    return ticks / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * Runs a load turn and adds to its result the CPU milliseconds each request
 * cost the processes of `services` (each with its descendants), by name: on a
 * machine where the load generator, the subgraphs and the gateway share the
 * cores, what one server spends per request is steadier than requests a
 * second, which every process's share of the cores moves.
 */
export async function withCpuPerRequest(
  services: Readonly<Record<string, Service>>,
  run: () => Promise<LoadResult>,
): Promise<LoadResult> {
  const read = () =>
    Object.fromEntries(
      Object.entries(services).map(([name, s]) => [name, cpuSeconds(s.child.pid!)]),
    );
  const before = read();
  const result = await run();
  const after = read();
  const cpuMsPerRequest: Record<string, number> = {};
  for (const name of Object.keys(services)) {
    const [from, to] = [before[name], after[name]];
    if (from != null && to != null && result.requests > 0) {
      cpuMsPerRequest[name] = ((to - from) * 1000) / result.requests;
    }
  }
  return { ...result, cpuMsPerRequest };
}

/** A free port for every department on each side (governed, ungoverned) of the subgraph host. */
export async function subgraphHostPorts(departments: readonly string[]): Promise<SubgraphPorts> {
  const ports: SubgraphPorts = { governed: {}, ungoverned: {} };
  for (const code of departments) {
    ports.governed[code] = await freePort();
    ports.ungoverned[code] = await freePort();
  }
  return ports;
}

/**
 * The benchmark's department subgraphs (`subgraphHost.ts`) in their own
 * processes, `workers` of them, serving `ports`; `nodeOptions` go before the
 * script (a CPU profile's). `compiled`: run the host compiled beside the
 * gateways (`compileAsDeployed` first), as department subgraph hosts are
 * deployed; otherwise under tsx, for a suite that builds nothing. Resolves
 * once every worker serves.
 */
export async function startSubgraphHost(
  ports: SubgraphPorts,
  workers: number,
  env: NodeJS.ProcessEnv,
  options: { nodeOptions?: readonly string[]; compiled?: boolean } = {},
): Promise<Service> {
  const script = options.compiled
    ? [join(DEPLOYED, 'scripts', 'bench', 'subgraphHost.js')]
    : ['--import', 'tsx', join(import.meta.dirname, 'subgraphHost.ts')];
  const host = startService('subgraphs', [...(options.nodeOptions ?? []), ...script], {
    ...env,
    BENCH_SUBGRAPH_PORTS: JSON.stringify(ports),
    BENCH_SUBGRAPH_WORKERS: String(workers),
  });
  try {
    await nextMessage(host, 'ready');
    return host;
  } catch (error) {
    await host.stop();
    throw error;
  }
}
