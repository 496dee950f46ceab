/**
 * `npm run gateway -- [--workers N] [--port P] [--supergraph FILE]`
 *
 * Runs gateways only, in front of subgraphs served elsewhere (by `npm start` on
 * this or another host): N worker processes (default one per core) sharing one
 * port, serving the subgraph registry in the platform database or a pinned
 * supergraph file. The primary follows the registry and replaces the workers
 * one at a time with workers on each new composition (`WorkerRoller`), so a
 * publication holds up no request. Needs a platform database that `npm start`
 * (or `npm run migrate`) has prepared, and the gateway's signing key. Each
 * worker takes linked platforms' requests and serves the catalogue they
 * harvest (`/link/catalogue`), as `npm start`'s gateway does.
 */
import cluster from 'node:cluster';
import type { CompositionProblemMessage } from './platform/WorkerRoller.ts';
import { asOptionValue, cliProgram, runCli, wholeNumber } from './cli/index.ts';
import { defaultWorkerCount, parseWorkerCount } from './platform/workerCount.ts';
import { lifecycleLog } from '../server/logging/lifecycleLog.ts';

const log = lifecycleLog('gateway');

const program = cliProgram({
  name: 'npm run gateway --',
  description:
    'Runs gateways only, in front of subgraphs served elsewhere (by `npm start` on this or another ' +
    'host): worker processes sharing one port, serving the subgraph registry in the platform database ' +
    '(a new composition replaces the workers one at a time) or a pinned supergraph file. Needs a ' +
    "platform database that `npm start` or `npm run migrate` has prepared, and the gateway's signing " +
    'key. Ctrl-C or SIGTERM drains and stops.',
  examples: [
    'npm run gateway -- --port 4100',
    'npm run gateway -- --workers 2 --supergraph schema/supergraph.graphql',
  ],
})
  .option(
    '--workers <n>',
    `worker processes, 1 to 64 (default: one per core, here ${defaultWorkerCount()})`,
    asOptionValue(parseWorkerCount),
  )
  .option('--port <port>', 'port to listen on (default: PORT, 4000)', wholeNumber(0, 65535))
  .option('--supergraph <file>', 'serve this composed supergraph as it is, not the registry')
  .action(async (options) => {
    // Each from its own module: the primary needs none of the rest of the server's index.
    const { loadConfig } = await import('../server/config/index.ts');
    const { enableMetrics } = await import('../server/observability/platformMetrics.ts');
    const { loadSigningKey } = await import('../server/identity/keys.ts');
    const { serveAsWorker, startPlatformWorkerPool, stopOnSignals } =
      await import('./platform/runWorkers.ts');
    const config = loadConfig(
      options.port === undefined ? process.env : { ...process.env, PORT: String(options.port) },
    );
    const workers = options.workers ?? defaultWorkerCount();
    if (cluster.isWorker) {
      await serveAsWorker(async () => {
        // From its own module: the folder's index brings the whole platform (department
        // subgraphs, their rules, the demo seeds), which a gateway worker never runs.
        const { loadPlatformCatalogue } = await import('./platform/loadPlatformCatalogue.ts');
        const { startGatewayProcess } = await import('./platform/startGatewayProcess.ts');
        const { gatewayLinkParts } = await import('./platform/startPlatformLinks.ts');
        const files = loadPlatformCatalogue({}, config);
        const running = await startGatewayProcess(config, {
          port: config.gatewayPort,
          supergraphFile: options.supergraph,
          // The primary follows the registry and replaces the workers (WorkerRoller).
          followRegistry: false,
          // Each worker writes its records itself; the primary checkpoints the database's log.
          checkpointOnThread: false,
          log,
          // Linked platforms' requests and directory harvests reach this gateway too.
          links: (platformDb) => gatewayLinkParts(platformDb, files),
          catalogue: files,
        });
        process.on('message', (message: Partial<CompositionProblemMessage>) => {
          if (message?.compositionProblem === undefined) return;
          running.gateway.reportCompositionProblem(message.compositionProblem);
        });
        return {
          url: running.gateway.url,
          stop: () => running.stop(),
          retire: () => running.retire(),
        };
      }, config.timeouts.shutdownMs + 5000);
    } else {
      // A missing key is reported once, not by every worker.
      const signingKey = await loadSigningKey(config.auth.gatewayPrivateKeyFile);
      // The primary is measured too; workers' /metrics include it.
      enableMetrics(config.observability.metrics, config.observability.metricsToken);
      // Following the registry (composing it) only without a pinned supergraph.
      const roller = options.supergraph
        ? undefined
        : new (await import('./platform/WorkerRoller.ts')).WorkerRoller(
            (await import('./platform/registryKeys.ts')).gatewayRegistryTrust(
              config,
              signingKey,
              (await import('./platform/loadPlatformCatalogue.ts')).loadPlatformCatalogue(
                {},
                config,
              ).departments,
            ),
            log,
          );
      const starting = startPlatformWorkerPool(config.database, workers, log, {
        onStorageProblem: (problem) => log(`audit store: ${problem}`),
        // The registry composed once, here, for every worker (each reads it back).
        ...(roller
          ? { beforeWorkers: (platformDb) => roller.prepare(platformDb), greet: roller.greet }
          : {}),
      });
      // Installed before the workers are up, so a signal during start-up stops them too.
      stopOnSignals(
        async () => {
          roller?.stop();
          await (await starting.catch(() => undefined))?.stop();
        },
        log,
        config.timeouts.shutdownMs + 5000,
      );
      const pool = await starting;
      roller?.start(pool);
      log(`${workers} worker(s) serving ${pool.url}`);
    }
  });

await runCli(program);
