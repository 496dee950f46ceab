import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import type { Catalogue } from '../../schema/index.ts';
import {
  databaseName,
  ensurePlatformHostUser,
  ensurePlatformRoleUser,
  platformGatewayRole,
  platformSubgraphRole,
  insertMissingDatasetPolicies,
  migrateDatabase,
  MODULE_EXTENSION,
  openDatabase,
  type PlatformConfig,
} from '../../server/index.ts';
import {
  CHINA_HOLIDAYS_2026,
  loadWorkingCalendar,
  upsertCalendarDay,
} from '../../subgraphs/platform/calendar/index.ts';
import { PLATFORM_MIGRATIONS } from './openPreparedPlatformDatabase.ts';
import { importCatalogueFiles } from '../../subgraphs/platform/catalogue/index.ts';

/** The platform's own folder: its migrations and seeds (grants, registry, audit later). */
export const PLATFORM_DIR = join(import.meta.dirname, '..', '..', 'subgraphs', 'platform');

/**
 * Opens the platform database (the one every replica shares), applies its
 * migrations, fills the holiday calendar on first start, records the catalogue
 * files' entries as published versions (see `importCatalogueFiles`) and their
 * sharing decisions, and seeds the demo grants when asked (or on first start).
 * On MySQL it makes (or, with DEPARTMENT_DB_USERS=given, checks) each
 * department's host user, the gateways' user and the platform subgraph's, each
 * with the rights its role needs in the platform database and no more
 * (`HOST_RIGHTS`, `GATEWAY_RIGHTS`, `PLATFORM_SUBGRAPH_RIGHTS`).
 */
export async function preparePlatformData(
  config: PlatformConfig,
  catalogue: Catalogue,
  seed: 'if-empty' | 'always' | 'never',
  log: (message: string) => void = () => {},
): Promise<Knex> {
  const db = await openDatabase(config.database, 'platform');
  try {
    const applied = await migrateDatabase(db, PLATFORM_MIGRATIONS);
    if (applied.length > 0) log(`platform: applied ${applied.length} migration(s)`);
    if (!(await db('holidays').first(db.raw('1 as present')))) {
      for (const day of CHINA_HOLIDAYS_2026) await upsertCalendarDay(db, day, 'platform');
      log(`platform: recorded ${CHINA_HOLIDAYS_2026.length} holidays and make-up working days`);
    }
    const imported = await importCatalogueFiles(db, catalogue, await loadWorkingCalendar(db), log);
    if (imported > 0)
      log(
        `platform: registered ${imported} catalogue entr${imported === 1 ? 'y' : 'ies'} from files`,
      );
    const recorded = await insertMissingDatasetPolicies(db, catalogue.entries);
    if (recorded > 0) log(`platform: recorded the sharing decision of ${recorded} dataset(s)`);
    const { database } = config;
    if (database.kind === 'mysql' && database.departmentUsers) {
      const platformDatabase = databaseName(database, 'platform');
      for (const department of catalogue.departments) {
        const { user } = await ensurePlatformHostUser(
          db,
          platformDatabase,
          department.code,
          database.departmentUsers,
        );
        // Whose host it is: the platform database holds its writes to that department's rows.
        await db('platform_host_departments')
          .insert({ user_name: user, department: department.code })
          .onConflict('user_name')
          .merge();
      }
      for (const role of [platformGatewayRole, platformSubgraphRole]) {
        await ensurePlatformRoleUser(
          db,
          platformDatabase,
          role(platformDatabase),
          database.departmentUsers,
        );
      }
    }
    const empty = !(await db('grants').first(db.raw('1 as present')));
    if (seed === 'always' || (seed === 'if-empty' && empty)) {
      const module = (await import(
        pathToFileURL(join(PLATFORM_DIR, 'seeds', `demoGrants${MODULE_EXTENSION}`)).href
      )) as {
        seed(knex: Knex): Promise<number>;
      };
      log(`platform: seeded ${await module.seed(db)} demo grants`);
    }
    return db;
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
