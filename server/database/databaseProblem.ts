import type { Knex } from 'knex';
import { databaseEngine } from './databaseEngine.ts';
import { StorageUnavailableError } from './StorageUnavailableError.ts';

/**
 * Why `db` cannot be read now, or null (for `/ready`): one small read that
 * takes a connection from the pool and, on SQLite, reads the file's header.
 * Says which logical database (`label`) and what kind of failure — locked, no
 * connection in time, or a driver's error code — never SQL, a path or a host.
 */
export async function databaseProblem(db: Knex, label: string): Promise<string | null> {
  const sqlite = databaseEngine(db) === 'sqlite';
  try {
    await db.raw(sqlite ? 'pragma schema_version' : 'select 1');
    return null;
  } catch (error) {
    if (error instanceof StorageUnavailableError) {
      return `the ${label} stayed locked for ${error.waitedMs} ms`;
    }
    const { name, code } = error as { name?: unknown; code?: unknown };
    if (name === 'KnexTimeoutError') return `no connection to the ${label} was free in time`;
    return `the ${label} did not answer${typeof code === 'string' ? ` (${code})` : ''}`;
  }
}
