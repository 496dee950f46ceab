import type { Knex } from 'knex';
import { databaseEngine } from '../../../server/index.ts';

/**
 * The names of the tables and views of `db` (its current database on MySQL),
 * lower-cased: what a binding is compared against to keep platform tables out.
 */
export async function listTables(db: Knex): Promise<Set<string>> {
  if (databaseEngine(db) === 'mysql') {
    const [rows] = (await db.raw(
      'select TABLE_NAME as name from information_schema.TABLES where TABLE_SCHEMA = DATABASE()',
    )) as [{ name: string }[], unknown];
    return new Set(rows.map((r) => r.name.toLowerCase()));
  }
  const rows = await db.raw<{ name: string }[]>(
    "select name from sqlite_master where type in ('table', 'view')",
  );
  return new Set(rows.map((r) => r.name.toLowerCase()));
}
