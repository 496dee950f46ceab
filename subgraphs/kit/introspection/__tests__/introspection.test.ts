import knex, { type Knex } from 'knex';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { catalogueEntrySchema } from '../../../../schema/index.ts';
import { loadTestSettings } from '../../../../server/index.ts';
import { mysqlAvailable } from '../../../../test/support/testDatabase.ts';
import { describeTable, entrySkeleton } from '../index.ts';
import type { TableDescription } from '../index.ts';

const runMysql = await mysqlAvailable();

/** A table with one column of every kind, one with a composite key, one without a key. */
async function createTables(db: Knex): Promise<void> {
  await db.schema.createTable('residence_permits', (t) => {
    t.string('permit_no', 20).primary();
    t.string('holder_id_number', 18).notNullable();
    t.specificType('country_code', 'char(3)').notNullable();
    t.text('remarks');
    t.integer('valid_years').notNullable();
    t.bigInteger('fee_cents');
    t.tinyint('level');
    t.smallint('grade');
    t.float('fee');
    t.double('score');
    t.decimal('amount', 10, 2);
    t.specificType('ratio', 'real');
    t.specificType('share', 'numeric(5,1)');
    t.boolean('revoked').notNullable();
    t.date('issued_on').notNullable();
    t.datetime('issued_at');
    t.timestamp('updated_at').nullable();
    t.time('office_hours');
    t.index(['country_code', 'valid_years']);
  });
  await db.schema.createTable('permit_renewals', (t) => {
    t.integer('renewal_no').notNullable();
    t.string('permit_no', 20).notNullable();
    t.date('renewed_on').notNullable();
    t.primary(['permit_no', 'renewal_no']);
  });
  await db.schema.createTable('audit_log', (t) => {
    t.string('message', 255);
    t.datetime('logged_at');
  });
}

/** The item type every column of residence_permits must get, on either engine. */
const expectedTypes = {
  permitNo: 'STRING',
  holderIdNumber: 'STRING',
  countryCode: 'STRING',
  remarks: 'STRING',
  validYears: 'INT',
  feeCents: 'INT',
  level: 'INT',
  grade: 'INT',
  fee: 'FLOAT',
  score: 'FLOAT',
  amount: 'FLOAT',
  ratio: 'FLOAT',
  share: 'FLOAT',
  revoked: 'BOOLEAN',
  issuedOn: 'DATE',
  issuedAt: 'DATETIME',
  updatedAt: 'DATETIME',
  officeHours: 'STRING',
};

const injections = [
  'persons; drop table x',
  'persons`; drop table x; --',
  "persons' or '1'='1",
  'persons drop',
  '1persons',
  '',
  'p'.repeat(65),
];

/** The same checks on SQLite and on MariaDB: introspection must answer alike on both. */
function introspectionSuite(engine: 'sqlite' | 'mysql', open: () => Knex) {
  it('describes the columns in table order with declared type, nullability and length', async () => {
    const d = await describeTable(open(), 'residence_permits');
    expect(d.table).toBe('residence_permits');
    expect(d.primaryKey).toEqual(['permit_no']);
    expect(d.columns.map((c) => c.name)).toEqual([
      'permit_no',
      'holder_id_number',
      'country_code',
      'remarks',
      'valid_years',
      'fee_cents',
      'level',
      'grade',
      'fee',
      'score',
      'amount',
      'ratio',
      'share',
      'revoked',
      'issued_on',
      'issued_at',
      'updated_at',
      'office_hours',
    ]);
    const byName = new Map(d.columns.map((c) => [c.name, c]));
    expect(byName.get('holder_id_number')).toEqual({
      name: 'holder_id_number',
      sqlType: 'varchar(18)',
      nullable: false,
      maxLength: 18,
    });
    expect(byName.get('country_code')).toMatchObject({ sqlType: 'char(3)', maxLength: 3 });
    expect(byName.get('remarks')).toMatchObject({ sqlType: 'text', nullable: true });
    expect(byName.get('valid_years')).toMatchObject({ nullable: false, maxLength: null });
    expect(byName.get('issued_on')).toMatchObject({ sqlType: 'date', nullable: false });
    expect(byName.get('revoked')!.sqlType).toBe(engine === 'mysql' ? 'tinyint(1)' : 'boolean');
    expect(byName.get('level')!.sqlType).toMatch(/^tinyint(\(4\))?$/);
    expect(byName.get('amount')!.sqlType).toBe(engine === 'mysql' ? 'decimal(10,2)' : 'float');
  });

  it('gives the columns an index begins with, the primary key’s first among them', async () => {
    expect((await describeTable(open(), 'residence_permits')).indexedColumns.sort()).toEqual([
      'country_code',
      'permit_no',
    ]);
    expect((await describeTable(open(), 'permit_renewals')).indexedColumns).toEqual(['permit_no']);
    expect((await describeTable(open(), 'audit_log')).indexedColumns).toEqual([]);
  });

  it('gives a composite primary key in key order, not column order', async () => {
    const d = await describeTable(open(), 'permit_renewals');
    expect(d.primaryKey).toEqual(['permit_no', 'renewal_no']);
    expect(d.columns.map((c) => c.name)).toEqual(['renewal_no', 'permit_no', 'renewed_on']);
  });

  it('writes a skeleton that parses and passes the catalogue entry schema', async () => {
    const yamlText = entrySkeleton(await describeTable(open(), 'residence_permits'), {
      department: 'public_security',
      code: 'PS-RP-001',
    });
    expect(yamlText.split('\n')[0]).toMatch(/^# /);
    const parsed = catalogueEntrySchema.safeParse(parse(yamlText));
    expect(parsed.error?.issues ?? []).toEqual([]);
    const entry = parsed.data!;
    expect(entry.binding).toEqual({
      table: 'residence_permits',
      type: 'ResidencePermit',
      key: ['permitNo'],
    });
    expect(Object.fromEntries(entry.items.map((i) => [i.name, i.type]))).toEqual(expectedTypes);
    expect(entry.items.map((i) => i.column)).toEqual(
      Object.keys(expectedTypes).map((name) =>
        name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      ),
    );
    const holder = entry.items.find((i) => i.name === 'holderIdNumber')!;
    expect(holder).toMatchObject({
      title: 'TODO: 信息项名称 of holder_id_number',
      description: 'TODO: describe holder_id_number',
      column: 'holder_id_number',
      nullable: false,
      sensitivity: 'INTERNAL',
    });
    expect(entry.items.find((i) => i.name === 'remarks')!.nullable).toBe(true);
    expect(entry.items.find((i) => i.name === 'officeHours')!.description).toBe(
      'TODO: describe office_hours; TODO: SQL type time mapped to STRING',
    );
  });

  it('keys a composite-key skeleton by the key columns’ item names in key order', async () => {
    const yamlText = entrySkeleton(await describeTable(open(), 'permit_renewals'), {
      department: 'public_security',
      code: 'PS-RP-002',
    });
    const entry = catalogueEntrySchema.parse(parse(yamlText));
    expect(entry.binding).toEqual({
      table: 'permit_renewals',
      type: 'PermitRenewal',
      key: ['permitNo', 'renewalNo'],
    });
  });

  it('refuses table names that are not plain identifiers before any SQL runs', async () => {
    const db = open();
    const statements: string[] = [];
    const listen = (q: { sql: string }) => statements.push(q.sql);
    db.on('query', listen);
    try {
      for (const name of injections) {
        await expect(describeTable(db, name), name).rejects.toThrow(/is not allowed/);
      }
      expect(statements).toEqual([]);
    } finally {
      db.off('query', listen);
    }
    expect((await describeTable(db, 'residence_permits')).columns.length).toBe(18);
  });

  it('says so when the table does not exist, and lists the tables there are', async () => {
    const refusal = describeTable(open(), 'no_such_table');
    await expect(refusal).rejects.toThrow('no table no_such_table in the department database');
    await expect(refusal).rejects.toThrow(/its tables are: .*permit_renewals.*residence_permits/);
    await expect(refusal).rejects.not.toThrow(/knex_|sqlite_/);
  });

  it('describes a table without a primary key, and refuses to make a dataset of it', async () => {
    const d = await describeTable(open(), 'audit_log');
    expect(d.primaryKey).toEqual([]);
    expect(d.columns.map((c) => c.name)).toEqual(['message', 'logged_at']);
    expect(() => entrySkeleton(d, { department: 'public_security', code: 'PS-LOG-001' })).toThrow(
      'table audit_log has no primary key; a dataset needs a key',
    );
  });
}

describe('introspection on SQLite', () => {
  let db: Knex;
  beforeAll(async () => {
    db = knex({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    await createTables(db);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  introspectionSuite('sqlite', () => db);

  it('gives a text primary key declared without NOT NULL as not nullable (SQLite would let it be)', async () => {
    await db.raw('CREATE TABLE meters (meter_no TEXT PRIMARY KEY, model TEXT)');
    const d = await describeTable(db, 'meters');
    expect(d.columns.map((c) => [c.name, c.nullable])).toEqual([
      ['meter_no', false],
      ['model', true],
    ]);
    const entry = parse(entrySkeleton(d, { department: 'city_water', code: 'CW-MT-001' }));
    expect(entry.items.find((i: { name: string }) => i.name === 'meterNo').nullable).toBe(false);
  });

  it('reads a SQLite tinyint(1) as a boolean and a plain tinyint as an integer', async () => {
    await db.schema.createTable('flags', (t) => {
      t.integer('id').primary();
      t.specificType('active', 'tinyint(1)');
      t.specificType('rank', 'TINYINT');
    });
    const d = await describeTable(db, 'flags');
    expect(d.columns.map((c) => c.sqlType)).toEqual(['integer', 'tinyint(1)', 'tinyint']);
    const entry = parse(entrySkeleton(d, { department: 'public_security', code: 'PS-FL-001' }));
    expect(entry.items.map((i: { type: string }) => i.type)).toEqual(['INT', 'BOOLEAN', 'INT']);
  });
});

describe.runIf(runMysql)('introspection on MariaDB', () => {
  const url = loadTestSettings().mysqlUrl;
  const database = `intro_${Math.random().toString(36).slice(2, 10)}`;
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
    await createTables(db);
  });
  afterAll(async () => {
    await db?.destroy();
    try {
      await admin?.raw('DROP DATABASE IF EXISTS ??', [database]);
    } finally {
      await admin?.destroy();
    }
  });

  introspectionSuite('mysql', () => db);

  it('does not see a table of the same name in another database', async () => {
    const other = `${database}_other`;
    await admin.raw('CREATE DATABASE ??', [other]);
    try {
      await admin.raw('CREATE TABLE ??.?? (id int primary key, extra int)', [other, 'elsewhere']);
      await expect(describeTable(db, 'elsewhere')).rejects.toThrow(
        'no table elsewhere in the department database',
      );
    } finally {
      await admin.raw('DROP DATABASE ??', [other]);
    }
  });
});

describe('entrySkeleton', () => {
  const description: TableDescription = {
    table: 'residence_permits',
    kind: 'table',
    columns: [
      { name: 'permit_no', sqlType: 'varchar(20)', nullable: false, maxLength: 20 },
      { name: 'ID_NUMBER', sqlType: 'char(18)', nullable: false, maxLength: 18 },
      { name: 'years', sqlType: 'int(10) unsigned', nullable: true, maxLength: null },
      { name: 'level', sqlType: 'tinyint(4)', nullable: true, maxLength: null },
      { name: 'active', sqlType: 'tinyint(1)', nullable: true, maxLength: null },
      { name: 'flag', sqlType: 'bool', nullable: true, maxLength: null },
      { name: 'weight', sqlType: 'double precision', nullable: true, maxLength: null },
      { name: 'notes', sqlType: 'longtext', nullable: true, maxLength: 4294967295 },
      { name: 'kind', sqlType: "enum('a','b')", nullable: true, maxLength: 1 },
      { name: 'blob_data', sqlType: '', nullable: true, maxLength: null },
    ],
    primaryKey: ['permit_no'],
    uniqueKeys: [['permit_no']],
    indexedColumns: ['permit_no'],
  };
  const options = { department: 'public_security', code: 'PS-RP-001' };

  afterEach(() => {
    vi.useRealTimers();
  });

  it('defaults to nothing shared, department classification and today’s UTC date', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T23:30:00-08:00'));
    const text = entrySkeleton(description, options);
    expect(text).toMatch(/^publishedOn: '2026-03-02'$/m);
    expect(text).toMatch(/^ {2}modes: \[QUERY\]$/m);
    const entry = parse(text);
    expect(entry).toMatchObject({
      code: 'PS-RP-001',
      name: 'TODO: name of the dataset',
      classification: 'DEPARTMENT',
      department: 'public_security',
      format: 'DATABASE',
      updateCycle: 'IRREGULAR',
      publishedOn: '2026-03-02',
      sharing: {
        type: 'NOT_SHARED',
        legalBasis: 'TODO: cite the legal basis',
        conditions: '',
        modes: ['QUERY'],
      },
    });
    expect(entry.summary).toMatch(/^TODO: /);
    expect(entry.theme).toMatch(/^TODO: /);
    expect(catalogueEntrySchema.safeParse(entry).success).toBe(true);
  });

  it('maps declared types, and notes in the description those it cannot map', () => {
    const entry = catalogueEntrySchema.parse(parse(entrySkeleton(description, options)));
    expect(entry.items.map((i) => [i.name, i.type])).toEqual([
      ['permitNo', 'STRING'],
      ['idNumber', 'STRING'],
      ['years', 'INT'],
      ['level', 'INT'],
      ['active', 'BOOLEAN'],
      ['flag', 'BOOLEAN'],
      ['weight', 'FLOAT'],
      ['notes', 'STRING'],
      ['kind', 'STRING'],
      ['blobData', 'STRING'],
    ]);
    const todo = entry.items.filter((i) => i.description.includes('mapped to STRING'));
    expect(todo.map((i) => i.description)).toEqual([
      "TODO: describe kind; TODO: SQL type enum('a','b') mapped to STRING",
      'TODO: describe blob_data; TODO: SQL type (none declared) mapped to STRING',
    ]);
  });

  it('names the type and the dataset from the options when given', () => {
    const text = entrySkeleton(description, {
      ...options,
      type: 'Permit',
      name: 'Residence permits',
    });
    const entry = catalogueEntrySchema.parse(parse(text));
    expect(entry.binding.type).toBe('Permit');
    expect(entry.name).toBe('Residence permits');
    const header = text.split('\n').filter((l) => l.startsWith('#'));
    expect(header.join('\n')).not.toMatch(/\bname,/);
    expect(header.join('\n')).toMatch(/summary, theme, sharing\.legalBasis/);
  });

  it.each([
    ['residence_permits', 'ResidencePermit'],
    ['persons', 'Person'],
    ['licenses', 'License'],
    ['addresses', 'Address'],
    ['utility_entries', 'UtilityEntry'],
    ['tax_boxes', 'TaxBox'],
    ['RESIDENCE_PERMITS', 'ResidencePermit'],
    ['land_parcel', 'LandParcel'],
    ['status', 'Status'],
  ])('derives the type of table %s as %s', (table, type) => {
    const entry = parse(entrySkeleton({ ...description, table }, options));
    expect(entry.binding.type).toBe(type);
  });

  it('refuses options the catalogue schema would refuse, saying which', () => {
    expect(() => entrySkeleton(description, { ...options, code: 'bad code' })).toThrow(/code:/);
    expect(() => entrySkeleton(description, { ...options, department: 'Public-Security' })).toThrow(
      /department:/,
    );
    expect(() => entrySkeleton(description, { ...options, type: 'permit' })).toThrow(
      /binding\.type:/,
    );
  });

  it('refuses columns the catalogue cannot bind or that collide as item names', () => {
    const odd = { ...description, columns: [{ ...description.columns[0]!, name: 'permit no' }] };
    expect(() => entrySkeleton(odd, options)).toThrow(/column "permit no"/);
    const clash = {
      ...description,
      columns: [
        ...description.columns,
        { name: 'permitNo', sqlType: 'text', nullable: true, maxLength: null },
      ],
    };
    expect(() => entrySkeleton(clash, options)).toThrow(
      'columns permit_no and permitNo of table residence_permits would both be item permitNo',
    );
  });
});
