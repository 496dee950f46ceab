import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { civilDateIn, type Catalogue, type CatalogueEntry } from '../../../schema/index.ts';
import { loadWorkingCalendar } from '../calendar/index.ts';
import {
  insertErrorReport,
  insertQualityRun,
  selectReportedRecordKeys,
  type QualityRun,
} from '../store/index.ts';
import { comparisonScope } from './comparisonScope.ts';
import { inspectDataset, type SourceMismatch } from './inspectDataset.ts';

/** The reporter of the error reports inspections open. */
export const INSPECTION_REPORTER = 'quality_inspection';

/** What an inspection needs: no request, so the CLI and the schedule can run one too. */
export interface InspectionEnvironment {
  db: Knex;
  catalogue: Catalogue;
  departmentDatabases: ReadonlyMap<string, Knex>;
  timeZone: string;
  errorReportReplyWorkingDays: number;
  now: () => Date;
  /** Rows read per query (default 5,000). */
  batchSize?: number;
}

/**
 * Inspects one published dataset, stores the run, and opens a data error
 * report to the authoritative provider for each copied value found to differ
 * from its record, once per record and item (a later run finding the same
 * mismatch opens none).
 */
export async function runInspection(
  env: InspectionEnvironment,
  entry: CatalogueEntry,
  triggeredBy: string,
): Promise<QualityRun> {
  const startedAt = env.now();
  const findings = await inspectDataset(env.catalogue, entry, env.departmentDatabases, {
    batchSize: env.batchSize ?? 5000,
    sampleSize: 10,
    maxMismatches: 1000,
    today: civilDateIn(startedAt, env.timeZone),
    scopeOf: (comparison) =>
      comparisonScope(
        env.db,
        entry.department,
        comparison.source,
        comparison.sourceItem,
        comparison.sourceKey,
        startedAt,
        env.timeZone,
      ),
  });
  const id = `QR-${randomUUID()}`;
  const reportsOpened = await openMismatchReports(env, entry, id, findings.mismatches);
  const run: QualityRun = {
    dataset: findings.dataset,
    department: findings.department,
    records: findings.records,
    completeness: findings.completeness,
    validity: findings.validity,
    consistency: findings.consistency,
    timeliness: findings.timeliness,
    newestUpdate: findings.newestUpdate,
    failures: findings.failures,
    id,
    triggeredBy,
    startedAt: startedAt.toISOString(),
    finishedAt: env.now().toISOString(),
    reportsOpened,
  };
  await insertQualityRun(env.db, run);
  return run;
}

/** Every published dataset (or one department's), one after another. */
export async function runInspections(
  env: InspectionEnvironment,
  triggeredBy: string,
  department: string | null = null,
): Promise<QualityRun[]> {
  const runs: QualityRun[] = [];
  for (const entry of env.catalogue.entries) {
    if (department !== null && entry.department !== department) continue;
    runs.push(await runInspection(env, entry, triggeredBy));
  }
  return runs;
}

async function openMismatchReports(
  env: InspectionEnvironment,
  entry: CatalogueEntry,
  runId: string,
  mismatches: readonly SourceMismatch[],
): Promise<number> {
  if (mismatches.length === 0) return 0;
  const calendar = await loadWorkingCalendar(env.db);
  const now = env.now();
  const deadline = calendar.addWorkingDays(
    civilDateIn(now, env.timeZone),
    env.errorReportReplyWorkingDays,
  );
  let opened = 0;
  const groups = new Map<string, SourceMismatch[]>();
  for (const m of mismatches) {
    const id = `${m.sourceDataset}\u0000${m.sourceItem}`;
    groups.set(id, [...(groups.get(id) ?? []), m]);
  }
  for (const group of groups.values()) {
    const { sourceDataset, sourceItem, sourceDepartment } = group[0]!;
    const reported = await selectReportedRecordKeys(
      env.db,
      { dataset: sourceDataset, item: sourceItem, reporterDepartment: INSPECTION_REPORTER },
      group.map((m) => m.sourceKey),
    );
    for (const m of group) {
      if (reported.has(m.sourceKey)) continue;
      reported.add(m.sourceKey);
      await insertErrorReport(env.db, {
        id: `ERR-${randomUUID()}`,
        datasetCode: sourceDataset,
        providerDepartment: sourceDepartment,
        reporterDepartment: INSPECTION_REPORTER,
        reporter: `quality inspection ${runId}`,
        recordKey: m.sourceKey,
        item: sourceItem,
        description:
          `${entry.code} (${entry.department}) record ${m.recordKey} copies ${sourceItem} of this record in ${m.item}, ` +
          'and the two differ. Check which is right: correct this record, or answer NOT_AN_ERROR so the copy is corrected.',
        status: 'OPEN',
        deadline,
        reportedAt: now.toISOString(),
        answeredBy: null,
        answeredAt: null,
        answerReason: null,
        updatedAt: now.toISOString(),
      });
      opened++;
    }
  }
  return opened;
}
