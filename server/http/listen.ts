import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type AddressInfo } from 'node:net';
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

/**
 * Retires a server while others take its place (a gateway worker replaced by
 * one on a newer supergraph): it takes no new connections from now on, and
 * every request on a connection still open is answered, with `Connection:
 * close`, so that the client's next request opens a connection to a server
 * that stays. Nothing is refused, and no kept-alive connection is closed under
 * a client that may be sending on it at that moment (which `server.close()`
 * does to idle ones): an idle connection closes after its next answer, or
 * when its keep-alive timeout ends, which clients are told of and keep within.
 * Resolves once no connection is left, or after `graceMs`; then call
 * `close()`, which cuts what remains.
 */
export async function retire(
  server: Server,
  graceMs: number = DEFAULT_TIMEOUTS.shutdownMs,
): Promise<void> {
  // Ahead of the server's own handler, which may answer at once (/health).
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  });
  requestTrackerOf(server)?.closeConnectionsAfterwards();
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, graceMs);
    // net's close, not http's: stops listening, leaves the open connections be.
    NetServer.prototype.close.call(server, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
