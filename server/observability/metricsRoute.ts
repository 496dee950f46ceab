import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fromLoopbackPeer } from '../http/loopbackPeer.ts';
import { currentMetrics } from './clusterMetrics.ts';
import { metricsEnabled, metricsRegistry, metricsScrapeToken } from './platformMetrics.ts';

/**
 * `GET /metrics`: the process's (or, in a cluster worker, the whole
 * cluster's) metrics in Prometheus text format; 404 when METRICS=off.
 *
 * The metrics say which department read which dataset how often, and were
 * refused or masked why: what the audit trail shows only to reviewers. So a
 * scraper must send `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise);
 * with no METRICS_TOKEN set, only a process on this host is answered (403 to
 * any other peer).
 */
export async function metricsRoute(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!metricsEnabled()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('metrics are off (METRICS=off)\n');
    return;
  }
  const token = metricsScrapeToken();
  if (token !== null && !bearerMatches(req.headers.authorization, token)) {
    res
      .writeHead(401, {
        'content-type': 'text/plain',
        'www-authenticate': 'Bearer realm="metrics"',
      })
      .end(
        'The metrics need the scrape token: send Authorization: Bearer <METRICS_TOKEN> (in Prometheus, authorization.credentials).\n',
      );
    return;
  }
  if (token === null && !fromLoopbackPeer(req)) {
    res
      .writeHead(403, { 'content-type': 'text/plain' })
      .end(
        'The metrics are served only to this host. Set METRICS_TOKEN on the platform and scrape with it to read them from elsewhere.\n',
      );
    return;
  }
  try {
    const text = await currentMetrics();
    res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(text);
  } catch (error) {
    res
      .writeHead(503, { 'content-type': 'text/plain' })
      .end(`metrics unavailable: ${error instanceof Error ? error.message : 'error'}\n`);
  }
}

/** Whether `header` is `Bearer <token>`, compared in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (\S+)$/i.exec(header ?? '')?.[1];
  if (given === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}
