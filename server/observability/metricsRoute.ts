import type { IncomingMessage, ServerResponse } from 'node:http';
import { currentMetrics } from './clusterMetrics.ts';
import { metricsEnabled, metricsRegistry } from './platformMetrics.ts';

/**
 * `GET /metrics`: the process's (or, in a cluster worker, the whole
 * cluster's) metrics in Prometheus text format; 404 when METRICS=off.
 */
export async function metricsRoute(_req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!metricsEnabled()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('metrics are off (METRICS=off)\n');
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
