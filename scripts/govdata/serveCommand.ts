import { loadConfig } from '../../server/index.ts';
import { lifecycleLog } from '../../server/logging/lifecycleLog.ts';
import { CliUsageError } from '../cli/index.ts';
import { serveDepartment } from '../platform/serveDepartment.ts';
import { servePlatformSubgraph } from '../platform/servePlatformSubgraph.ts';
import { stopOnSignals } from '../platform/runWorkers.ts';

export interface ServeOptions {
  department?: string;
  platform?: boolean;
  port?: number;
  seed: boolean;
}

/**
 * `govdata serve`: one subgraph alone — a department's, or the platform's —
 * until SIGTERM or Ctrl-C, which drain and stop it (see `stopOnSignals`).
 */
export async function serveCommand(options: ServeOptions): Promise<void> {
  if (Boolean(options.department) === Boolean(options.platform)) {
    throw new CliUsageError('give either --department <code> or --platform');
  }
  const config = loadConfig();
  const port = options.port ?? config.subgraphPortBase;
  const name = options.department ?? 'platform';
  const log = lifecycleLog(`serve ${name}`);
  const starting = options.department
    ? serveDepartment(config, {
        department: options.department,
        port,
        seed: options.seed ? 'if-empty' : 'never',
        log,
      })
    : servePlatformSubgraph(config, { port, log });
  stopOnSignals(
    async () => (await starting.catch(() => undefined))?.stop(),
    log,
    config.timeouts.shutdownMs + 5000,
  );
  const served = await starting;
  log(`serving ${served.subgraph.url}; registered for gateways as ${served.registeredUrl}`);
}
