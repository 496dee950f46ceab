/**
 * `npm run gateway -- [--workers N] [--port P] [--supergraph FILE]`
 *
 * Runs gateways only, in front of subgraphs served elsewhere (by `npm start` on
 * this or another host): N worker processes (default one per core) sharing one
 * port, each following the subgraph registry in the platform database, or
 * serving a pinned supergraph file. Needs a platform database that `npm start`
 * (or `npm run migrate`) has prepared, and the gateway's signing key.
 */
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { loadConfig, loadSigningKey, WorkerAuditSink } from '../server/index.ts';
import { startGatewayProcess } from './platform/startGatewayProcess.ts';
import {
  parseWorkerCount,
  serveAsWorker,
  startAuditedWorkerPool,
  stopOnSignals,
} from './platform/runWorkers.ts';

const { values } = parseArgs({
  options: {
    workers: { type: 'string' },
    port: { type: 'string' },
    supergraph: { type: 'string' },
  },
});
const log = (message: string) => console.log(`[gateway] ${message}`);

try {
  const config = loadConfig(
    values.port === undefined ? process.env : { ...process.env, PORT: values.port },
  );
  const workers = parseWorkerCount(values.workers);
  if (cluster.isWorker) {
    await serveAsWorker(async () => {
      const running = await startGatewayProcess(config, {
        port: config.gatewayPort,
        supergraphFile: values.supergraph,
        audit: new WorkerAuditSink(),
        log,
      });
      return { url: running.gateway.url, stop: () => running.stop() };
    }, config.timeouts.shutdownMs + 5000);
  } else {
    // A missing key is reported once, not by every worker.
    const privateKey = await loadSigningKey(config.auth.gatewayPrivateKeyFile);
    const starting = startAuditedWorkerPool(config.database, 'gateway', workers, log, {
      checkpoints: { ...config.auditCheckpoints, privateKey },
      onCheckpointError: (error) => log(`audit checkpoint not written: ${String(error)}`),
    });
    // Installed before the workers are up, so a signal during start-up stops them too.
    stopOnSignals(
      async () => (await starting.catch(() => undefined))?.stop(),
      log,
      config.timeouts.shutdownMs + 5000,
    );
    const pool = await starting;
    log(`${workers} worker(s) serving ${pool.url}`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
