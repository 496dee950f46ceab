import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { MODULE_EXTENSION } from './moduleExtension.ts';

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Knex migrations read from one folder of timestamped TypeScript files (or the
 * JavaScript the build made of them). The source lists them explicitly so knex
 * never guesses a loader for ESM `.ts`. Each is recorded under its source name
 * (`….ts`) either way, so a database migrated from the sources and one
 * migrated by the built image agree on what has been applied.
 */
class FolderMigrationSource implements Knex.MigrationSource<string> {
  constructor(private readonly dir: string) {}

  async getMigrations(): Promise<string[]> {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => /^\d{14}_[\w-]+\.[jt]s$/.test(f) && f.endsWith(MODULE_EXTENSION))
      .sort();
  }

  getMigrationName(migration: string): string {
    return migration.replace(/\.js$/, '.ts');
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

/**
 * The migrations of `dir` not yet applied to `db` (all of them on an empty
 * database). Reads only: knex's own listing would create its tables first.
 */
export async function pendingMigrations(db: Knex, dir: string): Promise<string[]> {
  const source = new FolderMigrationSource(dir);
  const all = (await source.getMigrations()).map((m) => source.getMigrationName(m));
  if (!(await db.schema.hasTable('knex_migrations'))) return all;
  const rows = await db('knex_migrations').select<{ name: string }[]>('name');
  const applied = new Set(rows.map((r) => r.name));
  return all.filter((name) => !applied.has(name));
}

/** Rolls back every migration of `dir` (used by tests and `npm run migrate -- --rollback`). */
export async function rollbackDatabase(db: Knex, dir: string): Promise<void> {
  await db.migrate.rollback({ migrationSource: new FolderMigrationSource(dir) }, true);
}
