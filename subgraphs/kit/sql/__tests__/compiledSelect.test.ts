import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../server/index.ts';
import {
  createTestDatabase,
  availableEngines,
  type TestDatabase,
} from '../../../../test/support/testDatabase.ts';
import { compiledSelect } from '../compiledSelect.ts';

/**
 * The hot lookups run remembered statement text instead of knex's builder:
 * the same rows as the builder, the builder run once per shape, values always
 * bound (metacharacters are data), and never remembered text for a builder
 * that binds anything but the values it was given.
 */
const ENGINES = await availableEngines();

describe.each(ENGINES)('compiledSelect on %s', (engine) => {
  let database: TestDatabase;
  let db: Knex;
  const statements: string[] = [];

  beforeAll(async () => {
    database = createTestDatabase(engine);
    db = await openDatabase(database.config, 'compiled');
    await db.schema.createTable('licences', (t) => {
      t.string('licence_no', 20).primary();
      t.string('holder', 40).notNullable();
      t.integer('grade').notNullable();
    });
    await db('licences').insert([
      { licence_no: 'L1', holder: '张三', grade: 1 },
      { licence_no: 'L2', holder: "O'Brien", grade: 2 },
      { licence_no: 'L3', holder: 'x', grade: 3 },
    ]);
    db.on('query', (query: { sql: string }) => statements.push(query.sql));
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  const byNumber = (keys: string[]) => () =>
    db('licences')
      .select({ licenceNo: 'licence_no', holder: 'holder' })
      .whereIn('licence_no', keys);

  it('answers what the builder answers, running the builder once per shape', async () => {
    const owner = {};
    let built = 0;
    const select = async (keys: string[]) => {
      const rows = await compiledSelect(db, owner, `×${keys.length}`, keys, () => {
        built++;
        return byNumber(keys)();
      });
      return rows.sort((a, b) => String(a.licenceNo).localeCompare(String(b.licenceNo)));
    };
    expect(await select(['L1', 'L2'])).toEqual([
      { licenceNo: 'L1', holder: '张三' },
      { licenceNo: 'L2', holder: "O'Brien" },
    ]);
    expect(await select(['L3', 'L1'])).toEqual([
      { licenceNo: 'L1', holder: '张三' },
      { licenceNo: 'L3', holder: 'x' },
    ]);
    expect(await select(['nobody', 'L2'])).toEqual([{ licenceNo: 'L2', holder: "O'Brien" }]);
    expect(built).toBe(1);
    expect(await select(['L3'])).toEqual([{ licenceNo: 'L3', holder: 'x' }]);
    expect(built).toBe(2);
    // The same text each time: on SQLite the connection reuses its prepared statement.
    expect(new Set(statements.slice(-4, -1)).size).toBe(1);
  });

  it('binds values: SQL metacharacters find nothing and change nothing', async () => {
    const owner = {};
    for (const attack of ["' OR '1'='1", 'L1; DROP TABLE licences; --', '?', '??', '\\', '%']) {
      expect(await compiledSelect(db, owner, '×1', [attack], byNumber([attack]))).toEqual([]);
    }
    expect(await db('licences').count({ n: '*' })).toEqual([{ n: 3 }]);
  });

  it('keeps texts apart by owner: another table model never gets this one’s text', async () => {
    const grades = () => db('licences').select({ grade: 'grade' }).whereIn('licence_no', ['L1']);
    await compiledSelect(db, {}, '×1', ['L1'], byNumber(['L1']));
    expect(await compiledSelect(db, {}, '×1', ['L1'], grades)).toEqual([{ grade: 1 }]);
  });

  it('runs the builder every time for a query that binds more than its values', async () => {
    const owner = {};
    let built = 0;
    const scoped = (keys: string[]) => () => {
      built++;
      return byNumber(keys)().where('grade', '<', 3);
    };
    expect(await compiledSelect(db, owner, '×1', ['L1'], scoped(['L1']))).toHaveLength(1);
    expect(await compiledSelect(db, owner, '×1', ['L3'], scoped(['L3']))).toEqual([]);
    expect(built).toBe(2);
  });
});
