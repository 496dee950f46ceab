import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import type { DatabaseConfig } from '../../server/index.ts';
import { loadTestSettings } from '../../server/config/index.ts';

export type Engine = 'sqlite' | 'mysql';

export interface TestDatabase {
  engine: Engine;
  config: DatabaseConfig;
  /** A private folder for the test's keys and files. */
  dir: string;
  /** Removes every database the test made. */
  drop(): Promise<void>;
}

const settings = loadTestSettings();

/** Whether MariaDB answers; under CI it must, elsewhere its tests are skipped loudly. */
export async function mysqlAvailable(): Promise<boolean> {
  const admin = adminConnection();
  try {
    await admin.raw('select 1');
    return true;
  } catch (error) {
    if (settings.ci)
      throw new Error(
        `CI=true but MariaDB is unreachable at ${settings.mysqlUrl.host}: ${String(error)}`,
      );
    console.warn(
      `\n*** MariaDB is unreachable at ${settings.mysqlUrl.host}: SKIPPING the MySQL tests. ` +
        `Start it, or set TEST_MYSQL_URL. Under CI=true these tests fail instead. ***\n`,
    );
    return false;
  } finally {
    await admin.destroy();
  }
}

/** The engines a test runs on: SQLite always, MariaDB when it answers (always under CI). */
export async function availableEngines(): Promise<Engine[]> {
  return (await mysqlAvailable()) ? ['sqlite', 'mysql'] : ['sqlite'];
}

/** A fresh, empty set of databases on `engine`, unique to this test. */
export function createTestDatabase(engine: Engine): TestDatabase {
  const id = `t${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const dir = mkdtempSync(join(tmpdir(), 'govdata-'));
  if (engine === 'sqlite') {
    return {
      engine,
      config: { kind: 'sqlite', dir },
      dir,
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = new URL(settings.mysqlUrl);
  url.pathname = `/govdata_${id}`;
  return {
    engine,
    // Departments connect as their own users, as `npm start` makes them.
    config: {
      kind: 'mysql',
      url,
      departmentUsers: { mode: 'managed', secretsDir: join(dir, 'keys'), host: '%' },
    },
    dir,
    async drop() {
      rmSync(dir, { recursive: true, force: true });
      const admin = adminConnection();
      try {
        const rows = (await admin.raw('SHOW DATABASES LIKE ?', [`govdata\\_${id}%`])) as [
          Record<string, string>[],
        ];
        for (const row of rows[0]) await admin.raw('DROP DATABASE ??', [Object.values(row)[0]!]);
        const [users] = (await admin.raw(
          'SELECT User AS user, Host AS host FROM mysql.user WHERE User LIKE ?',
          [`govdata\\_${id}%`],
        )) as [{ user: string; host: string }[]];
        for (const { user, host } of users) await admin.raw('DROP USER ?@?', [user, host]);
      } finally {
        await admin.destroy();
      }
    },
  };
}

/** A connection to the test MariaDB as its administrator (no database chosen). */
export function adminConnection(): Knex {
  const url = new URL(settings.mysqlUrl);
  url.pathname = '';
  return mysqlConnection(url);
}

/** One connection as `url`'s user, to its database if it names one. */
export function mysqlConnection(url: URL): Knex {
  const database = url.pathname.slice(1);
  return knex({
    client: 'mysql2',
    connection: {
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      connectTimeout: 3000,
      ...(database ? { database } : {}),
    },
    pool: { min: 0, max: 1 },
  });
}
