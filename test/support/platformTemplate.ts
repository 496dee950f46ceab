import { existsSync, mkdirSync, readFileSync, renameSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { findDepartmentDirs } from '../../schema/index.ts';
import {
  databaseName,
  loadConfig,
  loadTestSettings,
  migrateDatabase,
  openDatabase,
  type DatabaseConfig,
  type PlatformConfig,
} from '../../server/index.ts';
import { listTables } from '../../subgraphs/kit/introspection/index.ts';
import {
  DEPARTMENTS_ROOT,
  loadPlatformCatalogue,
  PLATFORM_DIR,
  prepareDepartmentData,
  type PlatformOptions,
} from '../../scripts/platform/index.ts';
import { copyMysqlDatabase, copySqliteDatabases, type MysqlServer } from './databaseCopy.ts';
import type { Engine, TestDatabase } from './testDatabase.ts';

/**
 * The databases every test platform starts from, made once per test run and
 * engine: the platform database migrated (its rows are made as each platform
 * starts: they carry the time they were made), and each department of
 * `subgraphs/` migrated and seeded with `seedScale` people, as a first start
 * leaves them. Migrating and seeding are most of a platform's start-up on
 * MariaDB; a copy of the result is a fraction of it.
 */
export interface PlatformTemplate {
  engine: Engine;
  /** SQLite: the folder of the files. MySQL: the platform database; departments' append `_code`. */
  location: string;
  seedScale: number;
  /** Department folder → the department code whose database was made from it. */
  departments: Record<string, string>;
}

/**
 * Fills the fresh databases of `database` from this run's template of its
 * engine, when the platform `startPlatform(config, options)` would start is
 * one the template was made for: its departments' data seeded if empty, at
 * the template's scale, in the test's own databases. Departments the template
 * does not have are left to start-up to migrate and seed. Otherwise nothing
 * is copied and start-up migrates and seeds everything itself.
 */
export async function fillFromTemplate(
  database: TestDatabase,
  config: PlatformConfig,
  options: PlatformOptions,
  seedScale: number,
): Promise<void> {
  if ((options.seed ?? 'if-empty') === 'never' || config.seedScale !== seedScale) return;
  if (!sameDatabases(config.database, database.config)) return;
  const template = await platformTemplate(database.engine, seedScale);
  const dirs =
    options.departmentDirs ?? findDepartmentDirs(config.departmentsDir ?? DEPARTMENTS_ROOT);
  const names = [
    'platform',
    ...dirs.map((dir) => template.departments[dir]).filter((code) => code !== undefined),
  ];
  if (database.config.kind === 'sqlite') {
    copySqliteDatabases(template.location, database.config.dir, names);
    return;
  }
  const server = mysqlServer();
  const from = { kind: 'mysql', url: templateUrl(template.location) } as const;
  await Promise.all(
    names.map((name) =>
      copyMysqlDatabase(server, databaseName(from, name), databaseName(database.config, name)),
    ),
  );
}

function sameDatabases(a: DatabaseConfig, b: DatabaseConfig): boolean {
  if (a.only !== undefined || b.only !== undefined) return false;
  if (a.kind === 'sqlite') return b.kind === 'sqlite' && a.dir === b.dir;
  return b.kind === 'mysql' && String(a.url) === String(b.url);
}

const made = new Map<Engine, Promise<PlatformTemplate>>();

/**
 * This run's template of `engine`. The first test process to ask makes it
 * (it takes the lock folder `<engine>.making`); the others wait for its
 * outcome file, `<engine>.json`, which holds the template or the error.
 */
export function platformTemplate(engine: Engine, seedScale: number): Promise<PlatformTemplate> {
  let template = made.get(engine);
  if (!template) {
    template = obtain(inject('platformTemplates'), engine, seedScale);
    made.set(engine, template);
  }
  return template;
}

type Outcome = { template: PlatformTemplate } | { error: string };

interface TemplatePlaces {
  dir: string;
  mysqlDatabase: string;
}

async function obtain(places: TemplatePlaces, engine: Engine, seedScale: number) {
  const runDir = places.dir;
  const outcomeFile = join(runDir, `${engine}.json`);
  try {
    mkdirSync(join(runDir, `${engine}.making`));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return outcomeOf(await waitForFile(runDir, outcomeFile));
  }
  let outcome: Outcome;
  try {
    outcome = { template: await makeTemplate(places, engine, seedScale) };
  } catch (error) {
    outcome = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  // Written whole, then renamed: a waiting process never reads half of it.
  writeFileSync(`${outcomeFile}.part`, JSON.stringify(outcome));
  renameSync(`${outcomeFile}.part`, outcomeFile);
  return outcomeOf(outcome);
}

function outcomeOf(outcome: Outcome): PlatformTemplate {
  if ('error' in outcome)
    throw new Error(`making the test database template failed: ${outcome.error}`);
  return outcome.template;
}

/** Resolves with the JSON in `file` once it exists in `dir` (watched, not polled). */
function waitForFile(dir: string, file: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const watcher = watch(dir);
    const look = () => {
      if (!existsSync(file)) return;
      watcher.close();
      resolve(JSON.parse(readFileSync(file, 'utf8')) as Outcome);
    };
    watcher.on('change', look);
    watcher.on('error', (error) => {
      watcher.close();
      reject(error);
    });
    look();
  });
}

function templateUrl(base: string): URL {
  const url = new URL(loadTestSettings().mysqlUrl);
  url.pathname = `/${base}`;
  return url;
}

function mysqlServer(): MysqlServer {
  const url = loadTestSettings().mysqlUrl;
  return {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

/** Migrates the platform database, and migrates and seeds every department, as a first start does. */
async function makeTemplate(
  places: TemplatePlaces,
  engine: Engine,
  seedScale: number,
): Promise<PlatformTemplate> {
  const location = engine === 'sqlite' ? join(places.dir, 'sqlite') : places.mysqlDatabase;
  const database: DatabaseConfig =
    engine === 'sqlite'
      ? { kind: 'sqlite', dir: location }
      : { kind: 'mysql', url: templateUrl(location) };
  const config: PlatformConfig = {
    ...loadConfig({ DATA_DIR: join(places.dir, 'data') }),
    database,
    seedScale,
    logLevel: 'silent',
  };
  const catalogue = loadPlatformCatalogue({}, config);
  const platformDb = await openDatabase(database, 'platform');
  try {
    await migrateDatabase(platformDb, join(PLATFORM_DIR, 'migrations'));
    const departments = await prepareDepartmentData(
      config,
      catalogue,
      'if-empty',
      () => {},
      await listTables(platformDb),
    );
    await Promise.all([...departments.values()].map((db) => db.destroy()));
  } finally {
    await platformDb.destroy();
  }
  return {
    engine,
    location,
    seedScale,
    departments: Object.fromEntries(catalogue.departments.map((d) => [d.dir, d.code])),
  };
}
