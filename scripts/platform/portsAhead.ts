import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Ports chosen now for a process that binds them later (a benchmark's
 * subgraphs, a cluster's nodes, a container role under test).
 *
 * A port the kernel hands out for `listen(0)` is one it will hand out again, to
 * the next `listen(0)` or to the local end of an outgoing connection from any
 * process (a test's database pool, a load generator), in the seconds before the
 * chosen process binds it: a run then fails with EADDRINUSE on a port nobody
 * asked for. So ports chosen ahead come from below the kernel's ephemeral range
 * (Linux `ip_local_port_range`), which the kernel never assigns by itself, at
 * random (two runs choosing at once rarely meet), each checked free now and
 * never handed out twice by one process.
 */

/** Where ports chosen ahead start: above the well-known and most registered services' ports. */
const LOWEST = 10_000;
/** The kernel's ephemeral range starts here where it cannot be read (Linux's default; macOS's starts higher). */
const DEFAULT_EPHEMERAL_LOW = 32_768;

const handedOut = new Set<number>();

/** The first port of the kernel's ephemeral range, from `ip_local_port_range` where there is one. */
export function ephemeralLow(
  read: () => string = () => readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'),
): number {
  try {
    const low = Number(read().trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > LOWEST ? low : DEFAULT_EPHEMERAL_LOW;
  } catch {
    return DEFAULT_EPHEMERAL_LOW;
  }
}

/** Whether `port` can be listened on at 127.0.0.1 now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * The first of `count` consecutive ports free on 127.0.0.1 now, below the
 * ephemeral range, none handed out before by this process.
 */
export async function freePortRange(count: number): Promise<number> {
  const high = ephemeralLow() - count;
  if (high <= LOWEST)
    throw new Error(`no room for ${count} consecutive ports below the ephemeral range`);
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = LOWEST + Math.floor(Math.random() * (high - LOWEST));
    let free = true;
    for (let port = base; free && port < base + count; port++) {
      free = !handedOut.has(port) && (await portIsFree(port));
    }
    if (free) {
      for (let port = base; port < base + count; port++) handedOut.add(port);
      return base;
    }
  }
  throw new Error(`no ${count} consecutive free ports found below the ephemeral range`);
}

/** A port free on 127.0.0.1 now, below the ephemeral range. */
export function freePort(): Promise<number> {
  return freePortRange(1);
}

/** `count` distinct ports free on 127.0.0.1 now, below the ephemeral range. */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push(await freePort());
  return ports;
}
