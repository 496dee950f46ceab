/**
 * `govdata`: department IT's command line (`npm run govdata -- …`).
 *
 *   dataset init     --department D --table T --code CODE [--type TypeName] [--name NAME] [--out FILE]
 *   subgraph check   --department D [--sdl FILE] [--url URL]
 *   subgraph publish --department D [--sdl FILE] [--url URL] [--force --admin-token TOKEN]
 *
 * `dataset init` describes an existing table of the department's database and
 * writes a catalogue entry skeleton (register it through the platform API).
 * `subgraph check` composes the department's subgraph — generated from its
 * published catalogue entries, or a hand-written SDL — with everything in the
 * registry, lists breaking changes and the consumers they would hit, and checks
 * that every field is an item of a published entry. `subgraph publish` runs the
 * check and records the new version; running gateways follow within seconds.
 * Exit code 1 when the check fails or publication is refused.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Authenticator } from '../gateway/index.ts';
import { assembleCatalogue, type Catalogue } from '../schema/index.ts';
import { loadConfig, openDatabase } from '../server/index.ts';
import { buildDepartmentSubgraph } from '../subgraphs/kit/index.ts';
import { describeTable, entrySkeleton } from '../subgraphs/kit/introspection/index.ts';
import { selectPublishedEntries } from '../subgraphs/platform/catalogue/index.ts';
import {
  checkSubgraph,
  publishSubgraph,
  selectCurrentSubgraphs,
  type SubgraphCheck,
} from '../subgraphs/platform/registry/index.ts';
import { catalogueFieldProblems } from './govdata/catalogueFieldProblems.ts';
import { loadPlatformCatalogue } from './platform/index.ts';

const USAGE = `usage:
  npm run govdata -- dataset init --department D --table T --code CODE [--type TypeName] [--name NAME] [--out FILE]
  npm run govdata -- subgraph check --department D [--sdl FILE] [--url URL]
  npm run govdata -- subgraph publish --department D [--sdl FILE] [--url URL] [--force --admin-token TOKEN]`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    department: { type: 'string' },
    table: { type: 'string' },
    code: { type: 'string' },
    type: { type: 'string' },
    name: { type: 'string' },
    out: { type: 'string' },
    sdl: { type: 'string' },
    url: { type: 'string' },
    force: { type: 'boolean', default: false },
    'admin-token': { type: 'string' },
  },
});
const [group, command] = positionals;
const config = loadConfig();

class UsageError extends Error {}

try {
  if (!values.department) throw new UsageError('--department is required');
  if (group === 'dataset' && command === 'init') await datasetInit(values.department);
  else if (group === 'subgraph' && (command === 'check' || command === 'publish')) {
    await subgraphCommand(command, values.department);
  } else throw new UsageError(`unknown command: ${positionals.join(' ') || '(none)'}`);
} catch (error) {
  console.error(
    error instanceof UsageError
      ? `${error.message}\n${USAGE}`
      : error instanceof Error
        ? error.message
        : error,
  );
  process.exitCode = 1;
}

async function datasetInit(department: string): Promise<void> {
  if (!values.table || !values.code) throw new UsageError('dataset init needs --table and --code');
  const db = await openDatabase(config.database, department);
  try {
    const yaml = entrySkeleton(await describeTable(db, values.table), {
      department,
      code: values.code,
      ...(values.type ? { type: values.type } : {}),
      ...(values.name ? { name: values.name } : {}),
    });
    if (values.out) {
      writeFileSync(values.out, yaml);
      console.log(`wrote ${values.out}: fill in the TODOs, then register it (saveCatalogueDraft)`);
    } else process.stdout.write(yaml);
  } finally {
    await db.destroy();
  }
}

async function subgraphCommand(command: 'check' | 'publish', department: string): Promise<void> {
  const db = await openDatabase(config.database, 'platform');
  try {
    const files = loadPlatformCatalogue({}, config);
    const catalogue: Catalogue = assembleCatalogue(
      files.departments,
      (await selectPublishedEntries(db)).map((e) => ({
        source: `${e.code}@v${e.version}`,
        data: e.document,
      })),
    );
    if (!catalogue.department(department))
      throw new UsageError(`${department} is not a department of the platform`);
    const generated = buildDepartmentSubgraph(catalogue, department, {
      maxPageSize: config.maxPageSize,
    }).typeDefs;
    const sdl = values.sdl ? readFileSync(values.sdl, 'utf8') : generated;
    const current = (await selectCurrentSubgraphs(db)).find((s) => s.name === department);
    const url = values.url ?? current?.url;
    if (!url) throw new UsageError(`${department} has no URL in the registry yet; give --url`);
    const candidate = { name: department, url, sdl };
    const catalogueProblems = catalogueFieldProblems(sdl, generated);

    if (command === 'check') {
      const check = await checkSubgraph(db, catalogue, candidate);
      const ok = report(check, catalogueProblems);
      console.log(ok ? `${department}: the check passes` : `${department}: the check fails`);
      process.exitCode = ok ? 0 : 1;
      return;
    }
    if (catalogueProblems.length > 0) {
      report(null, catalogueProblems);
      console.log(`${department}: not published`);
      process.exitCode = 1;
      return;
    }
    let force: { confirmedByAdmin: string } | undefined;
    if (values.force) {
      if (!values['admin-token'])
        throw new UsageError(
          '--force needs --admin-token: an ADMIN must confirm a breaking publication',
        );
      const admin = await Authenticator.create(config.auth, db).verifyToken(values['admin-token']);
      if (!admin.roles.includes('ADMIN'))
        throw new Error(
          "--admin-token is not an ADMIN's token; a breaking publication needs an ADMIN",
        );
      force = { confirmedByAdmin: `${admin.department}/${admin.user ?? 'admin'}` };
    }
    const outcome = await publishSubgraph(db, catalogue, {
      candidate,
      publishedBy: `${department} DEPT_IT (govdata)`,
      note: values.sdl ? `SDL from ${values.sdl}` : 'generated from the published catalogue',
      force,
    });
    report(outcome.check, []);
    if (outcome.published)
      console.log(`${department}: published version ${outcome.version.version}`);
    else if (outcome.unchanged)
      console.log(
        `${department}: version ${outcome.version.version} is already in force; nothing to publish`,
      );
    else {
      console.log(`${department}: not published: ${outcome.refusal}`);
      process.exitCode = 1;
    }
  } finally {
    await db.destroy();
  }
}

/** Prints a check's findings; true when nothing fails. */
function report(check: SubgraphCheck | null, catalogueProblems: string[]): boolean {
  for (const problem of catalogueProblems) console.log(`catalogue: ${problem}`);
  if (!check) return catalogueProblems.length === 0;
  for (const error of check.compositionErrors) console.log(`composition: ${error}`);
  for (const change of check.breakingChanges) {
    console.log(`breaking: ${change.type}: ${change.description}`);
    for (const consumer of change.affected)
      console.log(`  hits ${consumer.department}: ${consumer.because}`);
  }
  return check.ok && catalogueProblems.length === 0;
}
