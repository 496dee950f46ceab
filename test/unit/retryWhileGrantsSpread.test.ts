import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTestSettings } from '../../server/config/index.ts';
import { retryWhileGrantsSpread } from '../../server/database/retryWhileGrantsSpread.ts';
import { adminConnection, mysqlAvailable } from '../support/testDatabase.ts';

/**
 * On a Galera cluster a department's user and grant are made through one node
 * and reach the others moments later; a first connection routed to a lagging
 * node is refused. Played here on one real MariaDB: the user exists, its grant
 * comes 300 ms after the first connection is tried.
 */
const runMysql = await mysqlAvailable();
const id = `g${process.pid}_${Math.random().toString(36).slice(2, 7)}`;
const database = `govdata_${id}`;
const user = `govdata_${id}`;
const password = 'pw-for-this-test-only';

describe.runIf(runMysql)('retryWhileGrantsSpread (MariaDB)', () => {
  let admin: Knex;
  const opened: Knex[] = [];
  const url = new URL(loadTestSettings().mysqlUrl);

  /** A pool connecting as the test's department user, to its database. */
  function asDepartment(pass = password): Knex {
    const db = knex({
      client: 'mysql2',
      connection: {
        host: url.hostname,
        port: Number(url.port || 3306),
        user,
        password: pass,
        database,
      },
      pool: { min: 0, max: 1 },
      acquireConnectionTimeout: 10_000,
    });
    opened.push(db);
    return db;
  }

  beforeAll(async () => {
    admin = adminConnection();
    await admin.raw('CREATE DATABASE ??', [database]);
    await admin.raw('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', password]);
  });
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.destroy()));
    await admin.raw('DROP USER IF EXISTS ?@?', [user, '%']);
    await admin.raw('DROP DATABASE IF EXISTS ??', [database]);
    await admin.destroy();
  });

  it('without it, a connection before the grant has spread is refused (1044)', async () => {
    await expect(asDepartment().raw('SELECT 1')).rejects.toMatchObject({ errno: 1044 });
  });

  it('with it, the same connection waits for the grant and succeeds', async () => {
    const db = asDepartment();
    retryWhileGrantsSpread(db, 5000);
    const granted = new Promise<void>((done) =>
      setTimeout(() => {
        void admin
          .raw('GRANT ALL PRIVILEGES ON ??.* TO ?@?', [database.replace(/_/g, '\\_'), user, '%'])
          .then(() => done());
      }, 300),
    );
    const [rows] = (await db.raw('SELECT 1 AS one')) as [{ one: number }[]];
    await granted;
    expect(rows).toEqual([{ one: 1 }]);
  });

  it('after the window, a refusal fails at once: a wrong password is not retried', async () => {
    const db = asDepartment('not-the-password');
    retryWhileGrantsSpread(db, 0);
    await expect(db.raw('SELECT 1')).rejects.toMatchObject({ errno: 1045 });
  });
});
