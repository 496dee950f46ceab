import type { Knex } from 'knex';

/** The engines the platform runs on: embedded SQLite, and MySQL-compatible servers. */
export type DatabaseEngine = 'sqlite' | 'mysql';

/**
 * Which engine `db` talks to, for the few statements the two write
 * differently. Anything else is refused: no other engine is supported.
 */
export function databaseEngine(db: Knex): DatabaseEngine {
  const client = (db.client as { config: Knex.Config }).config.client;
  const name = typeof client === 'string' ? client : (client?.name ?? String(client));
  if (name === 'better-sqlite3' || name === 'sqlite3' || name === 'sqlite') return 'sqlite';
  if (name === 'mysql2' || name === 'mysql') return 'mysql';
  throw new Error(`govdata supports SQLite and MySQL databases, not ${name}`);
}
