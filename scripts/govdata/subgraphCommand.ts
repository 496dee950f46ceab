import { readFileSync } from 'node:fs';
import { loadConfig, loadVerifyKey } from '../../server/index.ts';
import { departmentTypeDefs } from '../../subgraphs/kit/index.ts';
import {
  catalogueReachProblem,
  checkSubgraph,
  publishSubgraph,
  selectCurrentSubgraphs,
  type SubgraphCheck,
} from '../../subgraphs/platform/registry/index.ts';
import { CliUsageError } from '../cli/index.ts';
import { openPreparedPlatformDatabase } from '../platform/openPreparedPlatformDatabase.ts';
import { hostRegistryKeys } from '../platform/registryKeys.ts';
import { departmentCatalogue } from './departmentCatalogue.ts';
import { publishedCatalogue } from './publishedCatalogue.ts';

export interface SubgraphOptions {
  department: string;
  sdl?: string;
  url?: string;
  force?: boolean;
  adminToken?: string;
}

/**
 * `govdata subgraph check|publish`: composes the department's subgraph (generated
 * from its published entries, or the given SDL) with the registry and reports
 * breaking changes and fields that are no published item; `publish` then records
 * the version. Sets exit code 1 when the check fails or publication is refused.
 */
export async function subgraphCommand(
  command: 'check' | 'publish',
  options: SubgraphOptions,
): Promise<void> {
  const { department } = options;
  if (options.force && !options.adminToken) {
    throw new CliUsageError(
      '--force needs --admin-token: an ADMIN must confirm a breaking publication',
    );
  }
  departmentCatalogue(department);
  const config = loadConfig();
  const db = await openPreparedPlatformDatabase(config);
  try {
    const catalogue = await publishedCatalogue(db);
    const generated = departmentTypeDefs(catalogue, department, {
      maxPageSize: config.maxPageSize,
    });
    const sdl = options.sdl ? readFileSync(options.sdl, 'utf8') : generated;
    const current = (await selectCurrentSubgraphs(db)).find((s) => s.name === department);
    const url = options.url ?? current?.url;
    if (!url) throw new CliUsageError(`${department} has no URL in the registry yet; give --url`);
    const candidate = { name: department, url, sdl };
    // The rule gateways hold the version to (`catalogueReachProblem`), told before publishing.
    const beyond = catalogueReachProblem(sdl, generated);
    const catalogueProblems = beyond ? [`${department}: ${beyond}`] : [];

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
    if (options.force && options.adminToken) {
      // The gateway's modules, only when an ADMIN's token is to be checked.
      const { Authenticator } = await import('../../gateway/index.ts');
      const admin = await Authenticator.create(config.auth, db).verifyToken(options.adminToken);
      if (!admin.roles.includes('ADMIN'))
        throw new Error(
          "--admin-token is not an ADMIN's token; a breaking publication needs an ADMIN",
        );
      force = { confirmedByAdmin: `${admin.department}/${admin.user ?? 'admin'}` };
    }
    // Published with the department's own key: the registry's rows are signed, since
    // anyone with the database credential could write one for any department.
    const registryKeys = hostRegistryKeys(
      config,
      department,
      await loadVerifyKey(config.auth.gatewayPublicKeyFile),
    );
    const outcome = await publishSubgraph(db, catalogue, {
      ...registryKeys,
      candidate,
      publishedBy: `${department} DEPT_IT (govdata)`,
      note: options.sdl ? `SDL from ${options.sdl}` : 'generated from the published catalogue',
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
