import { writeFileSync } from 'node:fs';
import { loadConfig, openDatabase } from '../../server/index.ts';
import { describeTable, entrySkeleton } from '../../subgraphs/kit/introspection/index.ts';
import { departmentCatalogue } from './departmentCatalogue.ts';

export interface DatasetInitOptions {
  department: string;
  table: string;
  code: string;
  type?: string;
  name?: string;
  out?: string;
}

/**
 * `govdata dataset init`: describes an existing table of the department's
 * database and writes a catalogue entry skeleton to `out` (or prints it).
 */
export async function datasetInit(options: DatasetInitOptions): Promise<void> {
  const { department } = options;
  departmentCatalogue(department);
  const db = await openDatabase(loadConfig().database, department);
  try {
    const yaml = entrySkeleton(await describeTable(db, options.table), {
      department,
      code: options.code,
      ...(options.type ? { type: options.type } : {}),
      ...(options.name ? { name: options.name } : {}),
    });
    if (options.out) {
      writeFileSync(options.out, yaml);
      console.log(`wrote ${options.out}: fill in the TODOs, then register it (saveCatalogueDraft)`);
    } else process.stdout.write(yaml);
  } finally {
    await db.destroy();
  }
}
