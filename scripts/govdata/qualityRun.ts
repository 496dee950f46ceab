import type { Knex } from 'knex';
import { loadConfig, openDatabase } from '../../server/index.ts';
import { runInspection } from '../../subgraphs/platform/quality/index.ts';
import { CliUsageError } from '../cli/index.ts';
import { openPreparedPlatformDatabase } from '../platform/openPreparedPlatformDatabase.ts';
import { publishedCatalogue } from './publishedCatalogue.ts';

export interface QualityRunOptions {
  dataset?: string;
  department?: string;
  batchSize?: number;
}

/**
 * `govdata quality run`: inspects the chosen published datasets now, as the
 * schedule does, and prints each run's rates and speed.
 */
export async function qualityRun(options: QualityRunOptions): Promise<void> {
  const config = loadConfig();
  const db = await openPreparedPlatformDatabase(config);
  const departmentDatabases = new Map<string, Knex>();
  try {
    const catalogue = await publishedCatalogue(db);
    const entries = catalogue.entries.filter(
      (e) =>
        (!options.dataset || e.code === options.dataset) &&
        (!options.department || e.department === options.department),
    );
    if (entries.length === 0) {
      throw new CliUsageError(
        `no published dataset matches; published: ${catalogue.entries.map((e) => e.code).join(', ')}`,
      );
    }
    for (const code of new Set(catalogue.entries.map((e) => e.department)))
      departmentDatabases.set(code, await openDatabase(config.database, code));
    const env = {
      db,
      catalogue,
      departmentDatabases,
      timeZone: config.timeZone,
      errorReportReplyWorkingDays: 5,
      now: () => new Date(),
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    };
    const percent = (t: { passed: number; checked: number }) =>
      t.checked === 0 ? '-' : `${((100 * t.passed) / t.checked).toFixed(2)}%`;
    for (const entry of entries) {
      const started = performance.now();
      const run = await runInspection(env, entry, 'govdata quality run');
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `${run.dataset}: ${run.records} records in ${seconds.toFixed(1)} s (${Math.round(run.records / seconds)} rows/s); ` +
          `completeness ${percent(run.completeness)}, validity ${percent(run.validity)}, ` +
          `consistency ${percent(run.consistency)}, timeliness ${percent(run.timeliness)}; ` +
          `${run.reportsOpened} error reports opened; run ${run.id}`,
      );
      for (const f of run.failures)
        console.log(
          `  ${f.item} ${f.rule}: ${f.records} records, e.g. ${f.sampleKeys.slice(0, 3).join(' ')}`,
        );
    }
  } finally {
    await Promise.all([...departmentDatabases.values()].map((d) => d.destroy()));
    await db.destroy();
  }
}
