import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A process the benchmark started, with the last of what it printed to stderr. */
export interface Service {
  name: string;
  child: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Starts `args` under this Node in its own process, with an IPC channel. Output
 * goes nowhere but the tail of stderr, kept for the error when it fails.
 */
export function startService(
  name: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Service {
  const child = spawn(process.execPath, args, {
    env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let tail = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  });
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

/** A TCP port free on the loopback interface now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The peak resident memory of a process and its descendants, in MiB: the sum
 * of each one's high-water mark (Linux `/proc`; null elsewhere).
 */
export function peakMemoryMiB(pid: number): number | null {
  try {
    const parents = new Map<number, number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        // The command name may hold spaces: the parent pid is the 2nd field after it.
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        parents.set(Number(entry), parent);
      } catch {
        // the process ended while being read
      }
    }
    const tree = [pid];
    for (let i = 0; i < tree.length; i++) {
      for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
    }
    let kib = 0;
    for (const member of tree) {
      const status = readFileSync(`/proc/${member}/status`, 'utf8');
      kib += Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    }
    return Math.round(kib / 1024);
  } catch {
    return null;
  }
}
