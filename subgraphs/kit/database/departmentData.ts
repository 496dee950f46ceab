import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import type { CatalogueDepartment } from '../../../schema/index.ts';
import { migrateDatabase, MODULE_EXTENSION } from '../../../server/index.ts';

/** A department's seed module: clears what it inserts, so running it twice is safe. */
interface SeedModule {
  seed(knex: Knex, options: { scale: number }): Promise<number>;
}

/** Applies the department's `migrations/` to its database; returns the names applied. */
export function migrateDepartment(db: Knex, department: CatalogueDepartment): Promise<string[]> {
  return migrateDatabase(db, join(department.dir, 'migrations'));
}

/**
 * Runs every seed in the department's `seeds/` at `scale` people, in file order.
 * Returns rows written per seed file.
 */
export async function seedDepartment(
  db: Knex,
  department: CatalogueDepartment,
  scale: number,
): Promise<Record<string, number>> {
  const dir = join(department.dir, 'seeds');
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(MODULE_EXTENSION))
        .sort()
    : [];
  const counts: Record<string, number> = {};
  for (const file of files) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as SeedModule;
    counts[file] = await module.seed(db, { scale });
  }
  return counts;
}

/** True when any dataset table of the department has no rows: a first start. */
export async function needsSeed(db: Knex, department: CatalogueDepartment): Promise<boolean> {
  for (const entry of department.entries) {
    const row = (await db(entry.binding.table).first(db.raw('1 as present'))) as unknown;
    if (!row) return true;
  }
  return false;
}
