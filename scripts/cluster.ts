/**
 * `npm run cluster -- [--base-port P] [--dir D] [--department X] [--no-other-departments]`
 *
 * A platform across processes on real engines, on this machine: a three-node
 * MariaDB Galera cluster, HAProxy in front of it, of two gateway replicas and
 * of two replicas of one department's subgraph, every other subgraph once,
 * migrated and seeded once through HAProxy. Runs until Ctrl-C or SIGTERM
 * (or `--lifetime`), which stop everything.
 */
import { resolve } from 'node:path';
import { cliProgram, CliUsageError, runCli, wholeNumber } from './cli/index.ts';
import { clusterSummary } from './cluster/clusterSummary.ts';

const log = (message: string) => console.log(`[cluster] ${message}`);

const program = cliProgram({
  name: 'npm run cluster --',
  description:
    'Starts a three-node MariaDB Galera cluster on 127.0.0.1 (each node its own ports and data ' +
    'folder; the MariaDB on 3306 is not touched), HAProxy in front of the nodes, of two gateway ' +
    "replicas and of two replicas of one department's subgraph, the platform subgraph and every " +
    'other department once — all govdata processes reaching the database through HAProxy — ' +
    'migrates and seeds once through HAProxy, and prints the URLs. Ctrl-C or SIGTERM stops ' +
    'everything. Needs mariadb-server, galera-4, rsync and haproxy (Debian packages).',
  examples: [
    'npm run cluster',
    'npm run cluster -- --base-port 5300 --no-other-departments',
    'npm run cluster -- --lifetime 120   # stop by itself after two minutes',
  ],
})
  .option(
    '--base-port <port>',
    "HAProxy's GraphQL endpoint; the other ports follow it, up to base+89 (0: any free ports)",
    wholeNumber(0, 65_000),
    4300,
  )
  .option('--dir <folder>', "the cluster's folder, emptied at each start", 'data/cluster')
  .option('--department <code>', 'the department served by two replicas', 'city_water')
  .option(
    '--no-other-departments',
    'serve no other department (a query then reaches the platform and the replicated one only)',
  )
  .option('--seed-scale <people>', 'people in the demo data', wholeNumber(1, 1_000_000), 1000)
  .option('--lifetime <seconds>', 'stop by itself after this long', wholeNumber(1, 86_400))
  .action(async (options) => {
    const { loadConfig } = await import('../server/index.ts');
    const { startCluster } = await import('./cluster/startCluster.ts');
    const { loadPlatformCatalogue } = await import('./platform/index.ts');
    const { stopOnSignals } = await import('./platform/runWorkers.ts');
    const catalogue = loadPlatformCatalogue({}, loadConfig());
    const codes = catalogue.departments.map((d) => d.code);
    if (!codes.includes(options.department)) {
      throw new CliUsageError(
        `--department ${options.department} is not a department; departments are ${codes.join(', ')}`,
      );
    }
    const starting = startCluster({
      dir: resolve(options.dir),
      basePort: options.basePort,
      department: options.department,
      otherDepartments: options.otherDepartments
        ? codes.filter((code) => code !== options.department)
        : [],
      seedScale: options.seedScale,
      log,
    });
    // Installed before anything starts, so a signal during start-up stops it too.
    stopOnSignals(
      async () => {
        await (await starting.catch(() => undefined))?.stop();
        log('stopped; no process of the cluster is left');
      },
      log,
      180_000,
    );
    const cluster = await starting;
    console.log(clusterSummary(cluster, resolve(options.dir)));
    if (options.lifetime !== undefined) {
      setTimeout(() => process.kill(process.pid, 'SIGTERM'), options.lifetime * 1000);
    }
  });

await runCli(program);
