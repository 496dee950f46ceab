import type { Server, ServerResponse } from 'node:http';
import { sendJson } from './sendJson.ts';

/** The GraphQL requests a server is answering, and whether it is draining. */
export interface RequestTracker {
  /** Answers `res` with `handle`, counted; while draining, refuses it with 503 instead. */
  serve(res: ServerResponse, handle: () => Promise<void>): Promise<void>;
  /**
   * Refuses new requests from now on and resolves once those under way have
   * been answered, or after `graceMs`, whichever is first.
   */
  drain(graceMs: number): Promise<void>;
  /** Every response under way closes its connection when done (new ones are not refused). */
  closeConnectionsAfterwards(): void;
}

const trackers = new WeakMap<Server, RequestTracker>();

/** The tracker `trackRequests` made for `server`, if any. */
export function requestTrackerOf(server: Server): RequestTracker | undefined {
  return trackers.get(server);
}

/**
 * Counts the requests `server` is answering, so that stopping it drains
 * rather than cuts: a request refused while draining gets 503 UNAVAILABLE with
 * `Retry-After` and `Connection: close` (a load balancer sends it to another
 * replica), and every response under way closes its connection when done.
 */
export function trackRequests(server: Server): RequestTracker {
  const underway = new Set<ServerResponse>();
  let draining = false;
  let idle: (() => void) | undefined;
  const tracker: RequestTracker = {
    async serve(res, handle) {
      if (draining) {
        res.setHeader('connection', 'close');
        res.setHeader('retry-after', '1');
        return sendJson(res, 503, {
          errors: [
            {
              message:
                'This server is shutting down and takes no new requests. Send the request again; another replica (or this one, once restarted) will answer.',
              extensions: { code: 'UNAVAILABLE', reason: 'SHUTTING_DOWN' },
            },
          ],
        });
      }
      underway.add(res);
      res.once('close', () => {
        underway.delete(res);
        if (underway.size === 0) idle?.();
      });
      return handle();
    },
    closeConnectionsAfterwards() {
      for (const res of underway) if (!res.headersSent) res.setHeader('connection', 'close');
    },
    drain(graceMs) {
      draining = true;
      tracker.closeConnectionsAfterwards();
      if (underway.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        idle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
  };
  trackers.set(server, tracker);
  return tracker;
}
