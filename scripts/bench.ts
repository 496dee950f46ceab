/**
 * `npm run bench -- [--suite gateways,fetch,governance,rules,audit,stress,observability,quality,export,province,datascale] [--scale 100000] [--rounds 5] [--seconds 5]
 *   [--connections 16] [--workers N] [--operations lookup,people,heavy] [--profile DIR] [--scales 10000,1000000]
 *   [--departments 100 --entries 10000 --grants 100000 --replicas 2] [--blocks 60] [--results bench/results]`
 *
 * Benchmarks that print numbers; never a timed test. Seeds the demo data at the
 * chosen scale into its own data folder (once per scale), checks each
 * contender answers in full, runs them in alternating rounds after a warm-up
 * with autocannon in its own process, prints a markdown table and writes it
 * with the JSON figures and the machine to bench/results/.
 */
import { join } from 'node:path';
import { InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { ensureBenchPackages } from './bench/benchPackages.ts';
import { cliProgram, runCli, wholeNumber } from './cli/index.ts';
import { defaultWorkerCount } from './platform/workerCount.ts';

/** `--scales`: whole numbers of people from 1 to 10,000,000, comma-separated, at least one. */
function peopleList(value: string): number[] {
  const parse = wholeNumber(1, 10_000_000);
  return value.split(',').map((part) => parse(part));
}

const SUITES = [
  'gateways',
  'fetch',
  'governance',
  'rules',
  'audit',
  'stress',
  'observability',
  'quality',
  'export',
  'province',
  'datascale',
];
const OPERATIONS = ['lookup', 'people', 'heavy'];
/** Suites that make their load themselves (or none), without autocannon or the peer gateways. */
const OWN_LOAD = new Set(['province', 'fetch', 'governance']);

/** A comma-separated list of some of `allowed`. */
function someOf(allowed: readonly string[]): (value: string) => string[] {
  return (value) => {
    const chosen = value.split(',');
    const unknown = chosen.filter((v) => !allowed.includes(v));
    if (unknown.length > 0)
      throw new InvalidArgumentError(
        `${unknown.join(', ')}: choose from ${allowed.join(', ')}, comma-separated.`,
      );
    return chosen;
  };
}

const program = cliProgram({
  name: 'npm run bench --',
  description:
    'Benchmarks that print numbers (never a timed test): seeds the demo data at the chosen scale ' +
    'into its own data folder, checks each contender answers in full, runs them in alternating ' +
    'rounds after a warm-up with autocannon in its own process, prints markdown tables and writes ' +
    'them with the JSON figures and the machine to bench/results/. The first run installs the ' +
    "benchmark's own packages (autocannon, Hive Gateway) into bench/node_modules.",
  examples: [
    'npm run bench -- --suite rules --scale 10000 --rounds 3',
    'npm run bench -- --suite governance --blocks 60',
    'npm run bench -- --suite gateways --operations lookup --workers 2',
    'npm run bench -- --suite stress --seconds 10',
    'npm run bench -- --suite quality --scale 1000000 --rounds 3',
    'npm run bench -- --suite export --scale 1000000 --rounds 1',
    'npm run bench -- --suite province --departments 100 --entries 10000 --grants 100000',
    'npm run bench -- --suite datascale --scales 10000,1000000 --rounds 3',
  ],
})
  .addOption(
    new Option('--suite <names>', `suites, comma-separated: ${SUITES.join(', ')}`)
      .argParser(someOf(SUITES))
      .default(['gateways', 'rules', 'audit'], 'gateways,rules,audit'),
  )
  .option('--scale <people>', 'people seeded', wholeNumber(1, 10_000_000), 100_000)
  .option('--rounds <n>', 'alternating rounds per contender', wholeNumber(1), 5)
  .option('--seconds <n>', 'seconds per round', wholeNumber(1), 5)
  .option('--connections <n>', 'concurrent connections', wholeNumber(1), 16)
  .option('--workers <n>', 'worker processes per gateway', wholeNumber(1, 64), defaultWorkerCount())
  .addOption(
    new Option(
      '--operations <names>',
      `gateway suite operations: ${OPERATIONS.join(', ')} (the observability suite runs lookup and people of them)`,
    )
      .argParser(someOf(OPERATIONS))
      .default(OPERATIONS, OPERATIONS.join(',')),
  )
  .option('--contenders <names>', 'gateway suite: only these contenders, comma-separated')
  .option(
    '--profile <dir>',
    "gateway, fetch, observability and province suites: write CPU profiles of our gateway's (the platform's) processes, in the gateway suite plain Apollo Gateway's, and in the fetch suite the subgraph worker's, to this folder",
  )
  .option(
    '--departments <n>',
    'province suite: departments (the 6 demo ones and at least one synthetic, whose spare dataset the hot reload publishes)',
    wholeNumber(7, 1000),
    100,
  )
  .option(
    '--entries <n>',
    'province suite: catalogue entries (the 7 demo ones and at least two synthetic: grants go to CONDITIONAL synthetic entries, of which the second is the first)',
    wholeNumber(9, 100_000),
    10_000,
  )
  .option('--grants <n>', 'province suite: grants', wholeNumber(1, 10_000_000), 100_000)
  .option('--replicas <n>', 'province suite: replica processes', wholeNumber(1, 16), 2)
  .option(
    '--scales <people>',
    'datascale suite: people seeded for each figure, comma-separated (each scale in its own data folder)',
    peopleList,
    [10_000, 1_000_000],
  )
  .option(
    '--blocks <n>',
    'governance suite: rounds of three blocks of 100 requests (governed, identity only, ungoverned) per fetch',
    wholeNumber(2, 10_000),
    60,
  )
  .addOption(
    new Option('--results <dir>', 'where the tables and figures are written').default(
      join(import.meta.dirname, '..', 'bench', 'results'),
      'bench/results',
    ),
  )
  .action(async (options) => {
    // The province, fetch and governance suites need none of the load generator's or the peers' packages.
    if (options.suite.some((suite) => !OWN_LOAD.has(suite))) ensureBenchPackages(log);
    const { runBenchmarks } = await import('./bench/runBenchmarks.ts');
    await runBenchmarks(options);
  });

const log = (message: string) => console.log(`[bench] ${message}`);

await runCli(program);
