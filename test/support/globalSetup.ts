import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { adminConnection } from './testDatabase.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where this run's database templates are made (test/support/platformTemplate.ts). */
    platformTemplates: { dir: string; mysqlDatabase: string };
  }
}

/**
 * Gives the run a folder and a MySQL database name for its database templates,
 * made by the first test that starts a platform on each engine; afterwards
 * removes the folder and drops the template's MySQL databases, if any were made.
 */
export default function setup(project: TestProject): () => Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'govdata-templates-'));
  const mysqlDatabase = `govdata_tpl_${basename(dir).replace(/\W/g, '_')}`;
  project.provide('platformTemplates', { dir, mysqlDatabase });
  return async () => {
    const mysqlMade = existsSync(join(dir, 'mysql.making'));
    rmSync(dir, { recursive: true, force: true });
    if (!mysqlMade) return;
    const admin = adminConnection();
    try {
      const [rows] = (await admin.raw('SHOW DATABASES LIKE ?', [
        `${mysqlDatabase.replace(/_/g, '\\_')}%`,
      ])) as [Record<string, string>[]];
      for (const row of rows) await admin.raw('DROP DATABASE ??', [Object.values(row)[0]!]);
    } finally {
      await admin.destroy();
    }
  };
}
