/**
 * `npm start`: migrate and seed on first run, start every department subgraph and
 * the gateway, print the URLs. Ctrl-C or SIGTERM (what a container runtime
 * sends), even during start-up, stops everything cleanly: `/ready` turns 503,
 * requests under way get up to SHUTDOWN_TIMEOUT_MS to finish, then it exits 0.
 */
import { loadConfig } from '../server/index.ts';
import { startPlatform } from './platform/index.ts';
import { stopOnSignals } from './platform/runWorkers.ts';

const config = loadConfig();
const log = (message: string) => console.log(`[govdata] ${message}`);
const where =
  config.database.kind === 'sqlite'
    ? `SQLite in ${config.database.dir}`
    : `MySQL at ${config.database.url.host}`;
log(`starting on ${where}`);

const starting = startPlatform(config, { log });
stopOnSignals(
  async () => (await starting.catch(() => undefined))?.stop(),
  log,
  config.timeouts.shutdownMs + 5000,
);
try {
  const platform = await starting;
  for (const subgraph of [...platform.subgraphs, platform.platformSubgraph]) {
    log(`subgraph ${subgraph.name.padEnd(22)} ${subgraph.url}`);
  }
  log(`gateway  ${platform.gateway.url}`);
  log(`GraphiQL ${platform.gateway.url.replace(/\/graphql$/, '/')}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
