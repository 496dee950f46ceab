/**
 * `npm run bench -- [--scale 20000] [--rounds 5] [--seconds 5] [--connections 10]`
 *
 * Benchmarks that print numbers; never a timed test. Seeds the demo data at the
 * chosen scale into its own data folder (once per scale), runs each contender in
 * alternating rounds after a warm-up, prints a markdown table and writes it with
 * the JSON figures and the machine to bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, loadOrCreateSigningKeys } from '../server/index.ts';
import { runRulesBench } from './bench/rulesBench.ts';
import { machine, markdownTable } from './bench/summarize.ts';
import {
  loadPlatformCatalogue,
  prepareDepartmentData,
  preparePlatformData,
} from './platform/index.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
  },
});
const scale = Number(values.scale);
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
for (const [name, value] of Object.entries({ scale, rounds, seconds, connections })) {
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} must be a positive whole number`);
    process.exit(1);
  }
}

const log = (message: string) => console.log(`[bench] ${message}`);
const base = loadConfig();
const config = {
  ...loadConfig({
    DATA_DIR: join(base.database.kind === 'sqlite' ? base.database.dir : 'data', `bench-${scale}`),
  }),
  seedScale: scale,
};
const catalogue = loadPlatformCatalogue({}, config);
const keys = await loadOrCreateSigningKeys(
  config.auth.gatewayPrivateKeyFile,
  config.auth.gatewayPublicKeyFile,
);
const platformDb = await preparePlatformData(config, catalogue, 'if-empty', log);
const departments = await prepareDepartmentData(config, catalogue, 'if-empty', log);

try {
  log(
    `rules on/off: public_security answering _entities for 100 people, ${rounds} rounds × ${seconds} s, ${connections} connections`,
  );
  const rules = await runRulesBench({
    config,
    catalogue,
    platformDb,
    departmentDb: departments.get('public_security')!,
    keys,
    rounds,
    seconds,
    connections,
    log,
  });
  const host = machine();
  const date = new Date().toISOString().slice(0, 10);
  const table = markdownTable(rules, 'rules off');
  const ratio = rules[0]!.requestsPerSecond / rules[1]!.requestsPerSecond;
  const report = [
    `### Sharing rules on and off (${date})`,
    '',
    `One department subgraph (public_security) answering the gateway's \`_entities\` fetch for 100 people, as a grantee with a masked item; ${rounds} alternating rounds of ${seconds} s after a warm-up, ${connections} connections, ${scale} people seeded (SQLite). Medians over rounds. Machine: ${host.cpu}, ${host.cores} cores, Node ${host.node}.`,
    '',
    table,
    '',
    `Rules on / off: **${ratio.toFixed(2)}×** (target ≥ 0.85×).`,
  ].join('\n');
  console.log(`\n${report}\n`);
  mkdirSync(join(import.meta.dirname, '..', 'bench', 'results'), { recursive: true });
  const file = join(import.meta.dirname, '..', 'bench', 'results', `${date}-rules`);
  writeFileSync(
    `${file}.json`,
    JSON.stringify({ date, machine: host, scale, rounds, seconds, connections, rules }, null, 2),
  );
  writeFileSync(`${file}.md`, `${report}\n`);
  log(`wrote ${file}.json and .md`);
} finally {
  await Promise.all([platformDb, ...departments.values()].map((db) => db.destroy()));
}
