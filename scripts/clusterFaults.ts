/**
 * `npm run cluster:faults -- [--duration S] [--concurrency N] [--report FILE]`
 *
 * Starts the cluster of `npm run cluster`, runs a bounded mixed load through
 * HAProxy, kills (SIGKILL) one Galera node, one gateway replica and one
 * subgraph replica in the middle and starts each again, then checks every
 * answered request against the audit trail of each node and verifies every
 * chain. Prints the figures (as the README shows them), writes them as JSON,
 * stops the cluster, and exits 1 if an answered request lacks its records or
 * a chain does not verify.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { cliProgram, runCli, wholeNumber } from './cli/index.ts';
import { faultReportMarkdown } from './cluster/faultReportMarkdown.ts';

const log = (message: string) => console.log(`[faults] ${message}`);

const program = cliProgram({
  name: 'npm run cluster:faults --',
  description:
    'Starts the cluster of `npm run cluster`, runs a bounded mixed load through HAProxy, kills ' +
    '(SIGKILL) one Galera node, one gateway replica and one subgraph replica in the middle and ' +
    'starts each again; then checks every answered request against the audit trail of each ' +
    'Galera node, verifies every chain, prints the figures and stops the cluster. Exit code 1 ' +
    'if an answered request lacks its audit records or a chain does not verify.',
  examples: [
    'npm run cluster:faults',
    'npm run cluster:faults -- --duration 120 --concurrency 16 --report data/faults.json',
  ],
})
  .option(
    '--base-port <port>',
    'as for npm run cluster (0: any free ports)',
    wholeNumber(0, 65_000),
    4300,
  )
  .option('--dir <folder>', "the cluster's folder, emptied at start", 'data/cluster')
  .option('--department <code>', 'the department served by two replicas', 'city_water')
  .option('--no-other-departments', 'serve no other department')
  .option('--seed-scale <people>', 'people in the demo data', wholeNumber(1, 1_000_000), 1000)
  .option('--concurrency <clients>', 'requests in flight at once', wholeNumber(1, 256), 8)
  .option(
    '--duration <seconds>',
    'the shortest run; it lasts until every killed process is back plus 10 s',
    wholeNumber(30, 3600),
    60,
  )
  .option('--report <file>', 'where to write the figures as JSON', 'data/cluster-faults.json')
  .action(async (options) => {
    const { loadConfig } = await import('../server/index.ts');
    const { runFaults } = await import('./cluster/faultRun.ts');
    const { startCluster } = await import('./cluster/startCluster.ts');
    const { loadPlatformCatalogue } = await import('./platform/index.ts');
    const { stopOnSignals } = await import('./platform/runWorkers.ts');
    const codes = loadPlatformCatalogue({}, loadConfig()).departments.map((d) => d.code);
    const starting = startCluster({
      dir: resolve(options.dir),
      basePort: options.basePort,
      department: options.department,
      otherDepartments: options.otherDepartments
        ? codes.filter((c) => c !== options.department)
        : [],
      seedScale: options.seedScale,
      log,
    });
    stopOnSignals(async () => (await starting.catch(() => undefined))?.stop(), log, 180_000);
    const cluster = await starting;
    try {
      const report = await runFaults({
        cluster,
        department: options.department,
        otherDepartments: options.otherDepartments,
        seedScale: options.seedScale,
        concurrency: options.concurrency,
        minDurationMs: options.duration * 1000,
        log,
      });
      mkdirSync(dirname(resolve(options.report)), { recursive: true });
      writeFileSync(resolve(options.report), `${JSON.stringify(report, null, 2)}\n`);
      console.log(`\n${faultReportMarkdown(report)}`);
      log(`figures written to ${options.report}`);
      const lacking = report.nodes.some(
        (n) =>
          n.answeredWithoutRequestRecord > 0 || n.answeredWithoutAccessRecord > 0 || !n.chains.ok,
      );
      process.exitCode = lacking ? 1 : 0;
    } finally {
      await cluster.stop();
      log('cluster stopped');
    }
  });

await runCli(program);
