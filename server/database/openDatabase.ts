import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import type { DatabaseConfig } from '../config/index.ts';

/**
 * The name of one logical database: `platform` or a department code. On SQLite
 * it is a file in the data folder; on MySQL a database named after the one in
 * DATABASE_URL with the name appended (`govdata` → `govdata_public_security`).
 */
export function databaseName(config: DatabaseConfig, name: string): string {
  if (config.kind === 'sqlite') return join(config.dir, `${name}.sqlite`);
  const base = config.url.pathname.replace(/^\//, '');
  return name === 'platform' ? base : `${base}_${name}`;
}

/**
 * Opens (and on MySQL creates if missing) the database `name`. Every value
 * reaches SQL as a bound parameter; dates come back as 'YYYY-MM-DD' strings on
 * both engines so the same data answers the same way.
 */
export async function openDatabase(config: DatabaseConfig, name: string): Promise<Knex> {
  if (config.kind === 'sqlite') {
    mkdirSync(config.dir, { recursive: true });
    const db = knex({
      client: 'better-sqlite3',
      connection: { filename: databaseName(config, name) },
      useNullAsDefault: true,
      pool: {
        afterCreate(conn: { pragma(s: string): unknown }, done: (err: Error | null) => void) {
          conn.pragma('journal_mode = WAL');
          conn.pragma('synchronous = NORMAL');
          conn.pragma('busy_timeout = 5000');
          done(null);
        },
      },
    });
    return db;
  }
  const database = databaseName(config, name);
  const connection = {
    host: config.url.hostname,
    port: Number(config.url.port || 3306),
    user: decodeURIComponent(config.url.username),
    password: decodeURIComponent(config.url.password),
    dateStrings: true,
    supportBigNumbers: true,
    charset: 'utf8mb4',
  };
  const admin = knex({ client: 'mysql2', connection, pool: { min: 0, max: 1 } });
  try {
    await admin.raw('CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', [
      database,
    ]);
  } finally {
    await admin.destroy();
  }
  return knex({
    client: 'mysql2',
    connection: { ...connection, database },
    pool: { min: 0, max: 10 },
  });
}
