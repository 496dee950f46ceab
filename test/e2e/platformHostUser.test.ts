/**
 * A department host's user in the platform database, as `prepare` makes it on
 * MariaDB: where it updates, only the columns it counts or records progress in
 * (`HOST_RIGHTS`). A user an earlier version granted a whole table's UPDATE is
 * narrowed when the platform prepares again; one operators made
 * (`DEPARTMENT_DB_USERS=given`) is never changed, only refused.
 */
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensurePlatformHostUser,
  migrateDatabase,
  openDatabase,
  platformHostUserName,
} from '../../server/index.ts';
import {
  adminConnection,
  createTestDatabase,
  mysqlAvailable,
  mysqlConnection,
  type TestDatabase,
} from '../support/testDatabase.ts';

const MYSQL = await mysqlAvailable();
const MIGRATIONS = join(import.meta.dirname, '..', '..', 'subgraphs', 'platform', 'migrations');

describe.runIf(MYSQL)("a department host's platform database user on MariaDB", () => {
  let database: TestDatabase;
  let platformDb: Knex;
  let admin: Knex;
  let name: string;
  let platformUrl: URL;
  let users: { mode: 'managed' | 'given'; secretsDir: string; host: string };

  beforeAll(async () => {
    database = createTestDatabase('mysql');
    platformDb = await openDatabase(database.config, 'platform');
    await migrateDatabase(platformDb, MIGRATIONS);
    admin = adminConnection();
    if (database.config.kind !== 'mysql') throw new Error('a MariaDB test database');
    platformUrl = database.config.url;
    name = platformUrl.pathname.slice(1);
    users = { mode: 'managed', secretsDir: join(database.dir, 'keys'), host: '%' };
  });
  afterAll(async () => {
    await platformDb?.destroy();
    await admin?.destroy();
    await database?.drop();
  });

  const grantsOf = async (user: string) => {
    const [rows] = (await admin.raw('SHOW GRANTS FOR ?@?', [user, '%'])) as [
      Record<string, string>[],
    ];
    return rows.map((row) => Object.values(row)[0] ?? '');
  };

  it("narrows a whole table's UPDATE an earlier version granted to the columns a host counts in", async () => {
    const { user, password } = await ensurePlatformHostUser(admin, name, 'city_water', users);
    expect(user).toBe(platformHostUserName(name, 'city_water'));
    // As an earlier version left it: UPDATE on the whole of exports and grant_usage.
    await admin.raw('GRANT UPDATE ON ??.?? TO ?@?', [name, 'exports', user, '%']);
    await admin.raw('GRANT UPDATE ON ??.?? TO ?@?', [name, 'grant_usage', user, '%']);
    await ensurePlatformHostUser(admin, name, 'city_water', users);
    const grants = (await grantsOf(user)).filter((g) => /`(exports|grant_usage)`/.test(g));
    expect(grants).toHaveLength(2);
    for (const grant of grants) expect(grant).toMatch(/^GRANT SELECT, INSERT, UPDATE \(/);

    const url = new URL(platformUrl);
    url.username = encodeURIComponent(user);
    url.password = encodeURIComponent(password);
    const host = mysqlConnection(url);
    try {
      await platformDb('exports').insert({
        id: 'exp_1',
        consumer_department: 'tax',
        dataset_code: 'PS-POP-001',
        provider_department: 'public_security',
        plan: '{}',
        started_at: new Date().toISOString(),
        charged: 0,
      });
      // Its progress, yes; whose export it is, or which department serves it, no.
      expect(await host('exports').where({ id: 'exp_1' }).update({ charged: 5 })).toBe(1);
      for (const change of [
        { provider_department: 'city_water' },
        { consumer_department: 'city_water' },
        { plan: '{"items":["*"]}' },
      ]) {
        await expect(host('exports').update(change)).rejects.toMatchObject({
          code: 'ER_COLUMNACCESS_DENIED_ERROR',
        });
      }
      await expect(host('grant_usage').update({ grant_id: 'G-X' })).rejects.toMatchObject({
        code: 'ER_COLUMNACCESS_DENIED_ERROR',
      });
    } finally {
      await host.destroy();
    }
  });

  it('leaves a user operators made as it is, and refuses it, naming the right beyond', async () => {
    const { user } = await ensurePlatformHostUser(admin, name, 'tax', users);
    await admin.raw('GRANT UPDATE ON ??.?? TO ?@?', [name, 'exports', user, '%']);
    const before = await grantsOf(user);
    await expect(
      ensurePlatformHostUser(admin, name, 'tax', { ...users, mode: 'given' }),
    ).rejects.toThrow(
      new RegExp(`Database user ${user} has rights beyond a department host's \\(GRANT .*UPDATE`),
    );
    expect(await grantsOf(user)).toEqual(before);
  });
});
