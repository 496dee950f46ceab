/**
 * `npm start`: migrate and seed on first run, start every department subgraph and
 * the gateway, print the URLs. Ctrl-C or SIGTERM (what a container runtime
 * sends), even during start-up, stops everything cleanly: `/ready` turns 503,
 * requests under way get up to SHUTDOWN_TIMEOUT_MS to finish, then it exits 0.
 */
import { cliProgram, runCli } from './cli/index.ts';
import { lifecycleLog } from '../server/logging/lifecycleLog.ts';

const log = lifecycleLog('govdata');

const program = cliProgram({
  name: 'npm start --',
  description:
    'Starts the whole platform in one process: migrates and seeds the demo data on first run ' +
    '(SQLite in DATA_DIR, or MySQL at DATABASE_URL), serves every department subgraph and the ' +
    'gateway with GraphiQL, and prints their URLs. Configured by environment variables ' +
    '(README, "Configuration"), e.g. PORT (gateway, 4000) and SUBGRAPH_PORT_BASE (subgraphs, 4001 on). ' +
    'Ctrl-C or SIGTERM drains and stops.',
  examples: ['npm start', 'PORT=5000 SUBGRAPH_PORT_BASE=5001 npm start'],
}).action(async () => {
  const { loadConfig } = await import('../server/index.ts');
  const { startPlatform } = await import('./platform/index.ts');
  const { stopOnSignals } = await import('./platform/runWorkers.ts');
  const config = loadConfig();
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
  const platform = await starting;
  for (const subgraph of [...platform.subgraphs, platform.platformSubgraph]) {
    log(`subgraph ${subgraph.name.padEnd(22)} ${subgraph.url}`);
  }
  log(`gateway  ${platform.gateway.url}`);
  log(`GraphiQL ${platform.gateway.url.replace(/\/graphql$/, '/')}`);
  log(`console  ${platform.gateway.url.replace(/\/graphql$/, '/console')}`);
});

await runCli(program);
