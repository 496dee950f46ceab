/**
 * `govdata`: department IT's command line (`npm run govdata -- …`).
 *
 *   dataset init     --department D --table T --code CODE [--type TypeName] [--name NAME] [--out FILE]
 *   subgraph check   --department D [--sdl FILE] [--url URL]
 *   subgraph publish --department D [--sdl FILE] [--url URL] [--force --admin-token TOKEN]
 *   export           --dataset CODE --out FILE [--items a,b] [--filter JSON] [--format ndjson|csv]
 *                    [--since EXPORT_ID] [--resume] --token TOKEN | --api-key KEY [--purpose P]
 *   quality run      [--dataset CODE | --department D] [--batch-size N]
 *   serve            --department D | --platform [--port P] [--no-seed]
 *   keys init        [--department D]...
 *
 * (`govdata --help`, and `--help` on each command, say the same with examples.)
 *
 * `dataset init` describes an existing table of the department's database and
 * writes a catalogue entry skeleton (register it through the platform API).
 * `subgraph check` composes the department's subgraph — generated from its
 * published catalogue entries, or a hand-written SDL — with everything in the
 * registry, lists breaking changes and the consumers they would hit, and checks
 * that every field is an item of a published entry. `subgraph publish` runs the
 * check and records the new version; running gateways follow within seconds.
 * Exit code 1 when the check fails or publication is refused. `quality run`
 * inspects published datasets now, as the schedule does (see quality/runInspection).
 */
import { cliProgram, cliSubcommand, collect, runCli, wholeNumber } from './cli/index.ts';

const program = cliProgram({
  name: 'govdata',
  description:
    "Department IT's command line: describe an existing table as a catalogue entry, check and " +
    "publish a department's subgraph. Run as `npx govdata …` or `npm run govdata -- …`.",
  examples: [
    'npx govdata dataset init --department city_water --table water_meters --code CW-METER-001',
    'npx govdata subgraph check --department city_water',
    'npx govdata subgraph publish --department city_water',
  ],
});
const dataset = cliSubcommand(program, {
  name: 'dataset',
  description: 'Catalogue entries made from existing tables.',
  examples: [
    'npx govdata dataset init --department city_water --table water_meters --code CW-METER-001',
  ],
});
cliSubcommand(dataset, {
  name: 'init',
  description:
    "Describes an existing table of the department's database and writes a catalogue entry " +
    'skeleton to fill in and register through the platform API (saveCatalogueDraft).',
  examples: [
    'npx govdata dataset init --department city_water --table water_meters --code CW-METER-001 --out meters.yaml',
  ],
})
  .requiredOption('--department <code>', 'the providing department, e.g. city_water')
  .requiredOption('--table <table>', "a table of the department's database")
  .requiredOption('--code <code>', "the new entry's code, e.g. CW-METER-001")
  .option('--type <TypeName>', 'GraphQL type name of the records (default: from the table name)')
  .option('--name <name>', "the entry's title")
  .option('--out <file>', 'write the skeleton to this file (default: print it)')
  .action(async (options) => (await import('./govdata/datasetInit.ts')).datasetInit(options));

const subgraph = cliSubcommand(program, {
  name: 'subgraph',
  description: "Checking and publishing a department's subgraph in the registry.",
  examples: [
    'npx govdata subgraph check --department city_water',
    'npx govdata subgraph publish --department city_water',
  ],
});
const sdlOption = '--sdl <file>';
const sdlHelp =
  "a hand-written subgraph SDL (default: generated from the department's published entries)";
const urlHelp = "the subgraph's URL (default: the one in the registry)";
cliSubcommand(subgraph, {
  name: 'check',
  description:
    "Composes the department's subgraph with everything in the registry, lists breaking changes " +
    'and the consumers they would hit, and checks that every field is an item of a published ' +
    'entry. Exit code 1 when the check fails.',
  examples: [
    'npx govdata subgraph check --department city_water',
    'npx govdata subgraph check --department city_water --sdl city-water.graphql',
  ],
})
  .requiredOption('--department <code>', 'the providing department, e.g. city_water')
  .option(sdlOption, sdlHelp)
  .option('--url <url>', urlHelp)
  .action(async (options) =>
    (await import('./govdata/subgraphCommand.ts')).subgraphCommand('check', options),
  );
cliSubcommand(subgraph, {
  name: 'publish',
  description:
    'Runs the check and records the new version; running gateways follow within seconds. A ' +
    "breaking change needs --force and an ADMIN's token. Exit code 1 when publication is refused.",
  examples: [
    'npx govdata subgraph publish --department city_water',
    'npx govdata subgraph publish --department city_water --force --admin-token "$(npm run -s token -- -d data_office -r ADMIN)"',
  ],
})
  .requiredOption('--department <code>', 'the providing department, e.g. city_water')
  .option(sdlOption, sdlHelp)
  .option('--url <url>', urlHelp)
  .option('--force', 'publish a breaking change (needs --admin-token)')
  .option('--admin-token <token>', "an ADMIN's bearer token confirming a breaking publication")
  .action(async (options) =>
    (await import('./govdata/subgraphCommand.ts')).subgraphCommand('publish', options),
  );

const quality = cliSubcommand(program, {
  name: 'quality',
  description: 'Data quality inspections of published datasets.',
  examples: ['npx govdata quality run', 'npx govdata quality run --dataset PS-POP-001'],
});
cliSubcommand(quality, {
  name: 'run',
  description:
    "Inspects published datasets now, streaming over each table in batches: each item's rules, " +
    'copied items against their authoritative records, timeliness against the update cycle. ' +
    'Stores each run (queryable as qualityRuns) and opens data error reports for mismatches, ' +
    'then prints the rates and rows per second.',
  examples: [
    'npx govdata quality run',
    'npx govdata quality run --department public_security',
    'npx govdata quality run --dataset PS-POP-001 --batch-size 10000',
  ],
})
  .option('--dataset <code>', 'inspect this published dataset only')
  .option('--department <code>', "inspect this department's published datasets only")
  .option('--batch-size <rows>', 'rows read per query (default 5000)', wholeNumber(100, 100_000))
  .action(async (options) => (await import('./govdata/qualityRun.ts')).qualityRun(options));

cliSubcommand(program, {
  name: 'serve',
  description:
    "Serves one subgraph alone, as a department's own host does: the department's subgraph on its " +
    'own database (DEPARTMENT_DATABASE_URL, a MySQL URL or sqlite:FILE; unset: beside the ' +
    "platform's), or the platform subgraph. Reads the published catalogue, grants and registry " +
    "from the platform database (DATABASE_URL), needs only the gateway's public key " +
    '(GATEWAY_PUBLIC_KEY_FILE) and the join key (JOIN_KEY_FILE), and registers SUBGRAPH_URL (or ' +
    'its own URL) in the registry: running gateways join it within seconds. Replicas behind a ' +
    'load balancer share one SUBGRAPH_URL. With --platform, the cross-level subgraph (links with ' +
    "other levels' platforms) is served on the next port and registered too, and linked platforms' " +
    'directories are harvested. Ctrl-C or SIGTERM drains and stops.',
  examples: [
    'npx govdata serve --department city_water --port 4101',
    'DEPARTMENT_DATABASE_URL=sqlite:water/city_water.sqlite npx govdata serve --department city_water',
    'SUBGRAPH_URL=http://water-lb:4101/graphql npx govdata serve --department city_water --port 4101',
    'npx govdata serve --platform --port 4100',
  ],
})
  .option('--department <code>', "serve this department's subgraph, e.g. city_water")
  .option('--platform', 'serve the platform subgraph')
  .option(
    '--port <port>',
    'port to listen on (default: SUBGRAPH_PORT_BASE, 4001)',
    wholeNumber(0, 65535),
  )
  .option('--no-seed', "do not seed the department's demo data when its tables are empty")
  .action(async (options) => (await import('./govdata/serveCommand.ts')).serveCommand(options));

const keys = cliSubcommand(program, {
  name: 'keys',
  description: "The platform's keys, made once before a first deployment.",
  examples: ['npx govdata keys init'],
});
cliSubcommand(keys, {
  name: 'init',
  description:
    "Makes the platform's keys where the configuration puts them (DATA_DIR/keys, or " +
    'GATEWAY_PRIVATE_KEY_FILE, GATEWAY_PUBLIC_KEY_FILE, JOIN_KEY_FILE, ' +
    'DEPARTMENT_SIGNING_KEYS_DIR and DEPARTMENT_VERIFY_KEYS_DIR) without starting anything: the ' +
    "gateway's Ed25519 pair, the subgraphs' join key and each department's audit signing pair. " +
    'A key already there is kept. Prints each file and the role that needs it, to hand out as ' +
    'secrets (deploy/kubernetes/base/secrets.yaml names them).',
  examples: [
    'npx govdata keys init',
    'DATA_DIR=/secure/govdata npx govdata keys init --department city_water',
  ],
})
  .option(
    '--department <code>',
    'a department whose audit key to make, repeatable (default: every department of the catalogue)',
    collect,
  )
  .action(async (options) => (await import('./govdata/keysInit.ts')).keysInit(options));

cliSubcommand(program, {
  name: 'export',
  description:
    "A consuming department's bulk export of a dataset it holds a grant with EXPORT for, through " +
    'the gateway: the items of the grant (or fewer), masked and limited to its rows as the grant ' +
    'says, as NDJSON or CSV, with a progress bar. Resumes by itself after a broken connection ' +
    '(or later with --resume), checks the file against the manifest (records, bytes, SHA-256) and ' +
    'writes the manifest beside it. --since <exportId> sends only the records changed since that ' +
    'export started.',
  examples: [
    'npx govdata export --dataset PS-POP-001 --out people.ndjson --token "$TOKEN" --purpose statistics',
    'npx govdata export --dataset PS-POP-001 --out people.csv --format csv --items idNumber,name --token "$TOKEN" --purpose statistics',
    'npx govdata export --dataset PS-POP-001 --out people.ndjson --resume --token "$TOKEN" --purpose statistics',
    'npx govdata export --dataset PS-POP-001 --out changes.ndjson --since exp_… --token "$TOKEN" --purpose statistics',
  ],
})
  .requiredOption('--dataset <code>', 'the dataset to export, e.g. PS-POP-001')
  .requiredOption('--out <file>', 'the file to write (its manifest goes to <file>.manifest.json)')
  .option('--items <a,b>', 'items to export, comma-separated (default: all your grant gives)')
  .option(
    '--filter <json>',
    'conditions on items you read unmasked, e.g. {"regionCode":{"startsWith":"3301"}}',
  )
  .option('--format <format>', 'ndjson or csv', 'ndjson')
  .option(
    '--since <exportId>',
    'only records changed since that export of yours started (incremental)',
  )
  .option('--resume', 'continue the export that broke off into --out')
  .option('--gateway <url>', 'the gateway (default: http://127.0.0.1:PORT)')
  .option('--token <token>', 'your bearer token')
  .option('--api-key <key>', 'your API key (instead of a token)')
  .option('--purpose <purpose>', 'the purpose you declare, one your grant allows')
  .option('--grant <id>', 'the grant to export under, when you hold several')
  .action(async (options) => (await import('./govdata/exportCommand.ts')).exportCommand(options));

await runCli(program);
