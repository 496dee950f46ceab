import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Knex migrations read from one folder of timestamped TypeScript files. The
 * source lists them explicitly so knex never guesses a loader for ESM `.ts`.
 */
class FolderMigrationSource implements Knex.MigrationSource<string> {
  constructor(private readonly dir: string) {}

  async getMigrations(): Promise<string[]> {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => /^\d{14}_[\w-]+\.ts$/.test(f))
      .sort();
  }

  getMigrationName(migration: string): string {
    return migration;
  }

  async getMigration(migration: string): Promise<MigrationModule> {
    return (await import(pathToFileURL(join(this.dir, migration)).href)) as MigrationModule;
  }
}

/** Brings `db` up to the latest migration in `dir`; returns the names applied. */
export async function migrateDatabase(db: Knex, dir: string): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({
    migrationSource: new FolderMigrationSource(dir),
  })) as [number, string[]];
  return applied;
}

/** Rolls back every migration of `dir` (used by tests and `npm run migrate -- --rollback`). */
export async function rollbackDatabase(db: Knex, dir: string): Promise<void> {
  await db.migrate.rollback({ migrationSource: new FolderMigrationSource(dir) }, true);
}
