import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
// The database modules alone: a gateway worker opens the database through here, and the
// server's index would load what it never uses.
import { databaseName, openDatabase, pendingMigrations } from '../../server/database/index.ts';
import type { PlatformConfig } from '../../server/config/index.ts';

/** The platform database's migrations (`preparePlatformData` applies them; this checks them). */
export const PLATFORM_MIGRATIONS = join(
  import.meta.dirname,
  '..',
  '..',
  'subgraphs',
  'platform',
  'migrations',
);

/**
 * Opens the platform database for a process or command that works on a
 * platform already set up (`npm start`, or the migrations job `npm run
 * migrate`) and migrates nothing itself: a gateway replica, a subgraph host,
 * `govdata subgraph`, `quality run`, `audit:verify`. Where it is not set up —
 * a SQLite folder without the file (nothing is created there), or a database
 * with migrations not applied — it refuses with what to do, instead of a
 * query failing later on a table that is not there.
 */
export async function openPreparedPlatformDatabase(config: PlatformConfig): Promise<Knex> {
  const setUp =
    'run npm run migrate (or start the platform once, npm start) with the same ' +
    'DATA_DIR or DATABASE_URL';
  if (config.database.kind === 'sqlite') {
    const file = databaseName(config.database, 'platform');
    if (!existsSync(file)) {
      throw new Error(
        `No platform database at ${file}: ${setUp}, or point DATA_DIR at the folder that holds it ` +
          '(relative to where the command runs).',
      );
    }
  }
  const db = await openDatabase(config.database, 'platform');
  try {
    const pending = await pendingMigrations(db, PLATFORM_MIGRATIONS);
    if (pending.length > 0) {
      throw new Error(
        `The platform database is not set up: ${pending.length} migration(s) not applied ` +
          `(the first: ${pending[0]}); ${setUp}.`,
      );
    }
    return db;
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
