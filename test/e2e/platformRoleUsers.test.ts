/**
 * The platform database's users of its roles, as `prepare` makes them on
 * MariaDB. A department host's: where it updates, only the columns it counts
 * or records progress in (`HOST_RIGHTS`); a user an earlier version granted a
 * whole table's UPDATE is narrowed when the platform prepares again; one
 * operators made (`DEPARTMENT_DB_USERS=given`) is never changed, only refused.
 * The gateways' (`GATEWAY_RIGHTS`): what a gateway does works, through the
 * platform's own functions, and nothing a taken-over gateway could use to
 * widen access or hide its reads does.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { SignedOutTokens } from '../../gateway/auth/SignedOutTokens.ts';
import {
  ensurePlatformHostUser,
  ensurePlatformRoleUser,
  migrateDatabase,
  openDatabase,
  HOST_RIGHTS,
  platformGatewayRole,
  platformHostRole,
  platformHostUserName,
  platformSubgraphRole,
  reserveRateUnits,
  deleteRateWindowsBefore,
} from '../../server/index.ts';
import { useLinkToken } from '../../server/links/linkQueries.ts';
import { storeComposition } from '../../subgraphs/platform/registry/composeShared.ts';
import {
  adminConnection,
  createTestDatabase,
  mysqlAvailable,
  mysqlConnection,
  type TestDatabase,
} from '../support/testDatabase.ts';
import { unrefused } from '../support/refusedAttempts.ts';

const MYSQL = await mysqlAvailable();
const MIGRATIONS = join(import.meta.dirname, '..', '..', 'subgraphs', 'platform', 'migrations');

describe.runIf(MYSQL)("the platform database's role users on MariaDB", () => {
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

  const connectAs = ({ user, password }: { user: string; password: string }) => {
    const url = new URL(platformUrl);
    url.username = encodeURIComponent(user);
    url.password = encodeURIComponent(password);
    return mysqlConnection(url);
  };

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

    const host = connectAs({ user, password });
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
      new RegExp(`Database user ${user} has rights beyond the host of tax's \\(GRANT .*UPDATE`),
    );
    expect(await grantsOf(user)).toEqual(before);
  });
  it("a gateway's user does what a gateway does, and cannot widen access or hide its reads", async () => {
    const credentials = await ensurePlatformRoleUser(admin, name, platformGatewayRole(name), users);
    expect(credentials.user).toBe(platformGatewayRole(name).user);
    const gateway = connectAs(credentials);
    try {
      // What a gateway does: sign a token out everywhere, count rate windows and forget old
      // ones, record a link token's use (a replay refused), store a composition it signed.
      const tokens = new SignedOutTokens(gateway);
      await tokens.signOut('a.console.token', Math.floor(Date.now() / 1000) + 600);
      expect(await reserveRateUnits(gateway, 'tax', 1000, 3, 10)).toBe(3);
      expect(await deleteRateWindowsBefore(gateway, 2000)).toBe(1);
      expect(await useLinkToken(gateway, 'jti-1', 'province', Date.now() + 60_000)).toBe(true);
      expect(await useLinkToken(gateway, 'jti-1', 'province', Date.now() + 60_000)).toBe(false);
      const signing = generateKeyPairSync('ed25519').privateKey;
      await storeComposition(gateway, 'k'.repeat(64), 'type Query { a: Int }', signing);
      await storeComposition(gateway, 'k'.repeat(64), 'type Query { b: Int }', signing);
      await gateway('audit_records').select('id').limit(1);

      const [grant] = await platformDb('grants').select('*').limit(1);
      const attempts: [string, () => Promise<unknown>][] = [
        ['an API key minted', () => gateway('api_keys').insert({ id: 'k1' })],
        ['an API key revived', () => gateway('api_keys').update({ revoked_at: null })],
        ['a grant of its own', () => gateway('grants').insert({ ...grant, id: 'G-GW' })],
        ['a grant widened', () => gateway('grants').update({ status: 'ACTIVE' })],
        ['a sharing decision', () => gateway('dataset_policies').update({ sharing_type: 'OPEN' })],
        ['a catalogue entry', () => gateway('catalogue_entries').update({ status: 'PUBLISHED' })],
        ['a link widened', () => gateway('platform_links').update({ status: 'ACTIVE' })],
        ['its reads deleted', () => gateway('audit_records').where('id', '>', 0).delete()],
        ['its reads rewritten', () => gateway('audit_records').update({ decision: 'DENIED' })],
        ["a chain's role rewritten", () => gateway('audit_chains').update({ role: 'x' })],
        ['a rate window moved', () => gateway('rate_counters').update({ window_start: 0 })],
        ['a registry row written', () => gateway('subgraph_versions').delete()],
        [
          "an export's owner changed",
          () => gateway('exports').update({ consumer_department: 'x' }),
        ],
        ['a quota reset', () => gateway('grant_usage').delete()],
        ['a table dropped', () => gateway.schema.dropTable('grants')],
      ];
      expect(await unrefused(attempts)).toEqual([]);
    } finally {
      await gateway.destroy();
    }
  });
  it("the platform subgraph's user writes what its API writes, and cannot delete or rewrite the audit trail or the registry", async () => {
    const credentials = await ensurePlatformRoleUser(
      admin,
      name,
      platformSubgraphRole(name),
      users,
    );
    const platform = connectAs(credentials);
    try {
      // Its API's tables, any of them: a calendar day recorded, changed and removed.
      const day = { date: '2026-12-31', kind: 'HOLIDAY', name: '测试' };
      const by = { updated_at: new Date().toISOString(), updated_by: 'platform' };
      await platform('holidays').insert({ ...day, ...by });
      expect(await platform('holidays').where(day).update({ name: '测试二' })).toBe(1);
      expect(await platform('holidays').where({ date: day.date }).delete()).toBe(1);
      await platform('audit_records').select('id').limit(1);
      const attempts: [string, () => Promise<unknown>][] = [
        ['records deleted', () => platform('audit_records').where('id', '>', 0).delete()],
        ['records rewritten', () => platform('audit_records').update({ decision: 'DENIED' })],
        ['the attestation start moved', () => platform('audit_attestation_start').delete()],
        ["a chain's role rewritten", () => platform('audit_chains').update({ role: 'x' })],
        ['registry rows deleted', () => platform('subgraph_versions').delete()],
        ['a signature stripped', () => platform('subgraph_versions').update({ signature: null })],
        ['a migration', () => platform.schema.createTable('intruder', (t) => t.string('x'))],
        ['a user made', () => platform.raw("CREATE USER 'intruder'@'%'")],
      ];
      expect(await unrefused(attempts)).toEqual([]);
    } finally {
      await platform.destroy();
    }
  });
  it("tells an operator making a role's user itself the exact statements, and names a right it lacks", async () => {
    const role = platformHostRole(name, 'civil_affairs');
    const given = { ...users, mode: 'given' as const, secretsDir: join(database.dir, 'given') };
    const error = await ensurePlatformRoleUser(admin, name, role, given).then(
      () => null,
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    expect(error).toContain(`No password for database user ${role.user}`);
    const statements = (error ?? '')
      .split('\n')
      .filter((line) => /^(CREATE USER|GRANT) /.test(line));
    expect(statements.length).toBe(Object.keys(HOST_RIGHTS).length + 1);
    // Run as printed (a password in place of the ellipsis), they make a user the check accepts.
    for (const statement of statements) await admin.raw(statement.replace('…', 'given-secret'));
    mkdirSync(given.secretsDir, { recursive: true });
    writeFileSync(join(given.secretsDir, `mysql-${role.user}.password`), 'given-secret');
    await expect(ensurePlatformRoleUser(admin, name, role, given)).resolves.toMatchObject({
      user: role.user,
    });
    // A right it needs taken away: named, with the statement that gives it back.
    await admin.raw('REVOKE INSERT ON ??.?? FROM ?@?', [name, 'audit_records', role.user, '%']);
    await expect(ensurePlatformRoleUser(admin, name, role, given)).rejects.toThrow(
      `lacks rights the host of civil_affairs needs; grant them:\nGRANT INSERT ON \`${name}\`.\`audit_records\` TO '${role.user}'@'%';`,
    );
  });
});
