import { createServer } from 'node:net';

/** One port the platform would listen on, and the setting that chooses it. */
export interface PlannedPort {
  port: number;
  /** What listens there, e.g. `the gateway (PORT)`. */
  what: string;
}

/**
 * The planned ports that cannot be listened on at `host` now (port 0, any free
 * port, is never in use). Checked before anything is migrated or seeded, so a
 * second `npm start` fails at once naming the variables to change, instead of
 * after its whole start-up on EADDRINUSE.
 */
export async function portsInUse(
  host: string,
  planned: readonly PlannedPort[],
): Promise<PlannedPort[]> {
  const busy: PlannedPort[] = [];
  for (const entry of planned) {
    if (entry.port !== 0 && !(await canListen(host, entry.port))) busy.push(entry);
  }
  return busy;
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
