import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemType } from '../../../../schema/index.ts';
import { loadTestSettings } from '../../../../server/index.ts';
import { mysqlAvailable } from '../../../../test/support/testDatabase.ts';
import { checkBindingAgainstDatabase, type BoundEntry } from '../index.ts';

const runMysql = await mysqlAvailable();

/** Meters with a unique serial, readings keyed by (meter, day), a view, and a table keyed by nothing. */
async function createTables(db: Knex, engine: 'sqlite' | 'mysql'): Promise<void> {
  await db.schema.createTable('meters', (t) => {
    t.integer('meter_id').primary();
    t.string('serial', 20).notNullable().unique();
    t.string('district', 6).notNullable();
    t.integer('capacity').notNullable();
    t.boolean('active').notNullable();
    t.date('installed_on').notNullable();
    t.datetime('read_at');
    if (engine === 'mysql') t.enu('kind', ['HOUSEHOLD', 'BUSINESS']);
    else t.string('kind', 10);
  });
  await db.schema.createTable('readings', (t) => {
    t.integer('meter_id').notNullable();
    t.date('day').notNullable();
    t.double('m3').notNullable();
    t.primary(['meter_id', 'day']);
  });
  await db.schema.createTable('loose', (t) => {
    t.string('code', 10);
    t.string('label', 10);
  });
  await db.raw('create view meters_view as select * from meters');
  if (engine === 'sqlite') {
    await db.raw('create table untyped (id integer primary key, anything)');
    await db.raw('create unique index loose_code_active on loose(code) where label is not null');
  }
}

function entry(
  table: string,
  items: [name: string, column: string, type: ItemType][],
  key: string[],
): BoundEntry {
  return {
    binding: { table, key },
    items: items.map(([name, column, type]) => ({ name, column, type })),
  };
}

const METER: [string, string, ItemType][] = [
  ['meterId', 'meter_id', 'INT'],
  ['serial', 'serial', 'STRING'],
  ['district', 'district', 'STRING'],
  ['active', 'active', 'BOOLEAN'],
  ['installedOn', 'installed_on', 'DATE'],
  ['readAt', 'read_at', 'DATETIME'],
];

function suite(engine: 'sqlite' | 'mysql', open: () => Knex) {
  it('passes a binding whose table, columns, types and key fit', async () => {
    expect(await checkBindingAgainstDatabase(open(), entry('meters', METER, ['meterId']))).toEqual(
      [],
    );
  });

  it('takes a unique index as a key, and a composite primary key', async () => {
    expect(await checkBindingAgainstDatabase(open(), entry('meters', METER, ['serial']))).toEqual(
      [],
    );
    const readings = entry(
      'readings',
      [
        ['meterId', 'meter_id', 'INT'],
        ['day', 'day', 'DATE'],
        ['m3', 'm3', 'FLOAT'],
      ],
      ['meterId', 'day'],
    );
    expect(await checkBindingAgainstDatabase(open(), readings)).toEqual([]);
  });

  it('refuses a key the database does not keep unique, naming binding.key', async () => {
    expect(await checkBindingAgainstDatabase(open(), entry('meters', METER, ['district']))).toEqual(
      [
        {
          field: 'binding.key',
          message: expect.stringContaining('not unique in table meters') as string,
        },
      ],
    );
    const halfKey = entry('readings', [['day', 'day', 'DATE']], ['day']);
    expect((await checkBindingAgainstDatabase(open(), halfKey)).map((p) => p.field)).toEqual([
      'binding.key',
    ]);
  });

  it('allows safe widenings and refuses the rest, naming the item', async () => {
    const widened = entry(
      'meters',
      [
        ['meterId', 'meter_id', 'INT'],
        ['capacity', 'capacity', 'FLOAT'],
        ['kind', 'kind', 'STRING'],
      ],
      ['meterId'],
    );
    expect(await checkBindingAgainstDatabase(open(), widened)).toEqual([]);
    const wrong = entry(
      'meters',
      [
        ['meterId', 'meter_id', 'INT'],
        ['district', 'district', 'INT'],
        ['installedOn', 'installed_on', 'DATETIME'],
        ['capacity', 'capacity', 'STRING'],
      ],
      ['meterId'],
    );
    expect((await checkBindingAgainstDatabase(open(), wrong)).map((p) => p.field)).toEqual([
      'items[1].type',
      'items[2].type',
      'items[3].type',
    ]);
  });

  it('refuses a change column over a table with columns no item describes, naming them', async () => {
    const described = METER.filter(([name]) => name !== 'readAt');
    const withChange: BoundEntry = {
      ...entry('meters', described, ['meterId']),
      binding: { table: 'meters', key: ['meterId'], changedAt: 'read_at' },
    };
    // An incremental export would send a meter again when only its capacity changed.
    expect(await checkBindingAgainstDatabase(open(), withChange)).toEqual([
      {
        field: 'binding.changedAt',
        message: expect.stringContaining('columns no item describes (capacity, kind)') as string,
      },
    ]);
    const everyColumn: BoundEntry = {
      ...withChange,
      items: [
        ...withChange.items,
        { name: 'capacity', column: 'capacity', type: 'INT' },
        { name: 'kind', column: 'KIND', type: 'STRING' },
      ],
    };
    expect(await checkBindingAgainstDatabase(open(), everyColumn)).toEqual([]);
    // Without a change column, columns the entry leaves out are the department's own.
    expect(
      await checkBindingAgainstDatabase(open(), entry('meters', described, ['meterId'])),
    ).toEqual([]);
  });

  it('refuses a reference with a reverse field over a column no index begins with, naming the item', async () => {
    const referring = (table: string, column: string, reverse?: string): BoundEntry => ({
      binding: { table, key: ['meterId'] },
      items: [
        { name: 'meterId', column: 'meter_id', type: 'INT' },
        { name: 'ref', column, type: 'STRING', references: { type: 'Other', reverse } },
      ],
    });
    // Every Other's meters would be looked up by district, which no index of meters begins with.
    expect(
      await checkBindingAgainstDatabase(open(), referring('meters', 'district', 'meters')),
    ).toEqual([
      {
        field: 'items[1].references.reverse',
        message: expect.stringContaining('add an index on district') as string,
      },
    ]);
    // Without a reverse field nothing looks rows up by it.
    expect(await checkBindingAgainstDatabase(open(), referring('meters', 'district'))).toEqual([]);
    // serial leads its unique index; readings' meter_id leads its composite primary key.
    expect(
      await checkBindingAgainstDatabase(open(), referring('meters', 'serial', 'meters')),
    ).toEqual([]);
    const readings: BoundEntry = {
      binding: { table: 'readings', key: ['meterId', 'day'] },
      items: [
        {
          name: 'meterId',
          column: 'meter_id',
          type: 'INT',
          references: { type: 'Meter', reverse: 'readings' },
        },
        { name: 'day', column: 'day', type: 'DATE' },
      ],
    };
    expect(await checkBindingAgainstDatabase(open(), readings)).toEqual([]);
  });

  it('refuses a missing column and a missing table', async () => {
    const problems = await checkBindingAgainstDatabase(
      open(),
      entry(
        'meters',
        [
          ['meterId', 'meter_id', 'INT'],
          ['owner', 'owner_id_number', 'STRING'],
        ],
        ['meterId'],
      ),
    );
    expect(problems).toEqual([
      {
        field: 'items[1].column',
        message: expect.stringContaining('has no column owner_id_number') as string,
      },
    ]);
    expect(
      await checkBindingAgainstDatabase(open(), entry('utility_accounts', METER, ['meterId'])),
    ).toEqual([
      {
        field: 'binding.table',
        message: expect.stringContaining('has no table utility_accounts') as string,
      },
    ]);
  });

  it('refuses a view, platform and system tables, and any table the platform database has', async () => {
    const fields = async (table: string, platformTables?: Set<string>) =>
      (await checkBindingAgainstDatabase(open(), entry(table, METER, ['meterId']), platformTables))
        .map((p) => `${p.field}: ${p.message}`)
        .join('\n');
    expect(await fields('meters_view')).toMatch(/binding\.table: meters_view is a view/);
    expect(await fields('grants')).toMatch(/platform table/);
    expect(await fields('Audit_Records')).toMatch(/platform table/);
    expect(await fields('knex_migrations')).toMatch(/migration tool/);
    expect(await fields('sqlite_master')).toMatch(/database engine/);
    expect(await fields('meters', new Set(['meters']))).toMatch(/table of the platform database/);
  });

  if (engine === 'sqlite') {
    it('refuses a column without a declared type, and does not take a partial unique index as a key', async () => {
      const untyped = entry(
        'untyped',
        [
          ['id', 'id', 'INT'],
          ['anything', 'anything', 'STRING'],
        ],
        ['id'],
      );
      expect(await checkBindingAgainstDatabase(open(), untyped)).toEqual([
        {
          field: 'items[1].type',
          message: expect.stringContaining('declared with no type') as string,
        },
      ]);
      const loose = entry('loose', [['code', 'code', 'STRING']], ['code']);
      expect((await checkBindingAgainstDatabase(open(), loose)).map((p) => p.field)).toEqual([
        'binding.key',
      ]);
    });
  }
}

describe('checkBindingAgainstDatabase on SQLite', () => {
  let db: Knex;
  beforeAll(async () => {
    db = knex({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    await createTables(db, 'sqlite');
  });
  afterAll(async () => {
    await db?.destroy();
  });
  suite('sqlite', () => db);
});

describe.runIf(runMysql)('checkBindingAgainstDatabase on MariaDB', () => {
  const url = loadTestSettings().mysqlUrl;
  const database = `binding_${Math.random().toString(36).slice(2, 10)}`;
  const connection = {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
  let admin: Knex;
  let db: Knex;
  beforeAll(async () => {
    admin = knex({ client: 'mysql2', connection, pool: { min: 0, max: 1 } });
    await admin.raw('CREATE DATABASE ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', [database]);
    db = knex({
      client: 'mysql2',
      connection: { ...connection, database },
      pool: { min: 0, max: 2 },
    });
    await createTables(db, 'mysql');
  });
  afterAll(async () => {
    await db?.destroy();
    try {
      await admin?.raw('DROP DATABASE IF EXISTS ??', [database]);
    } finally {
      await admin?.destroy();
    }
  });
  suite('mysql', () => db);
});
