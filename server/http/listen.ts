import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_TIMEOUTS } from '../config/index.ts';
import { requestTrackerOf } from './trackRequests.ts';

/** Starts `server` on host:port (0 for any free port) and returns its base URL. */
export async function listen(server: Server, host: string, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shownHost}:${address.port}`;
}

/**
 * Stops a server. One made by `createGraphQLHttpServer` drains first: new
 * GraphQL requests are refused with 503 while those under way get up to
 * `graceMs` to finish; then the port is freed and every connection closed.
 * Any other server stops accepting, closes idle connections and waits for
 * the rest.
 */
export async function close(
  server: Server,
  graceMs: number = DEFAULT_TIMEOUTS.shutdownMs,
): Promise<void> {
  const tracker = requestTrackerOf(server);
  if (tracker) await tracker.drain(graceMs);
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    if (tracker) server.closeAllConnections();
    else server.closeIdleConnections();
  });
}
