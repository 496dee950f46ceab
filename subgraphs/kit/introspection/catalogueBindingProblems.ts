import type { Knex } from 'knex';
import type { CatalogueEntry, CatalogueProblem } from '../../../schema/index.ts';
import { checkBindingAgainstDatabase } from './checkBindingAgainstDatabase.ts';

/**
 * Checks the binding of every entry against its department's database (see
 * `checkBindingAgainstDatabase`) and returns the problems by the entry's file
 * and field, as catalogue validation reports them: what stops the platform
 * starting with a file entry its subgraph could not serve, or could serve only
 * from a table that is not the department's data.
 */
export async function catalogueBindingProblems(
  entries: readonly CatalogueEntry[],
  databaseOf: (department: string) => Knex | undefined,
  platformTables: ReadonlySet<string> = new Set(),
): Promise<CatalogueProblem[]> {
  const problems: CatalogueProblem[] = [];
  for (const entry of entries) {
    const db = databaseOf(entry.department);
    if (!db) {
      problems.push({
        file: entry.file,
        field: 'department',
        message: `no database is open for ${entry.department}, so the binding cannot be checked`,
      });
      continue;
    }
    for (const problem of await checkBindingAgainstDatabase(db, entry, platformTables)) {
      problems.push({ file: entry.file, ...problem });
    }
  }
  return problems;
}
