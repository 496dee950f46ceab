import type { Knex } from 'knex';
import type { InspectionFindings, RuleFailures, Tally } from '../quality/inspectDataset.ts';

/** One stored inspection of one dataset: what it found (less the mismatches it reported), and when and by whom. */
export interface QualityRun extends Omit<InspectionFindings, 'mismatches'> {
  id: string;
  /** Who ran it: department/user, or `schedule` / `govdata quality run`. */
  triggeredBy: string;
  startedAt: string;
  finishedAt: string;
  /** Data error reports the run opened to authoritative providers. */
  reportsOpened: number;
}

const MEASURES = ['completeness', 'validity', 'consistency', 'timeliness'] as const;

type QualityRunRow = Record<string, unknown>;

const table = (db: Knex) => db<QualityRunRow>('quality_runs');

function fromRow(r: QualityRunRow): QualityRun {
  const tally = (m: string): Tally => ({
    passed: Number(r[`${m}_passed`]),
    checked: Number(r[`${m}_checked`]),
  });
  return {
    id: String(r.id),
    dataset: String(r.dataset_code),
    department: String(r.department),
    triggeredBy: String(r.triggered_by),
    startedAt: String(r.started_at),
    finishedAt: String(r.finished_at),
    records: Number(r.records),
    completeness: tally('completeness'),
    validity: tally('validity'),
    consistency: tally('consistency'),
    timeliness: tally('timeliness'),
    newestUpdate: (r.newest_update as string | null) ?? null,
    failures: JSON.parse(String(r.failures)) as RuleFailures[],
    reportsOpened: Number(r.reports_opened),
  };
}

export async function insertQualityRun(db: Knex, run: QualityRun): Promise<void> {
  await table(db).insert({
    id: run.id,
    dataset_code: run.dataset,
    department: run.department,
    triggered_by: run.triggeredBy,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    records: run.records,
    ...Object.fromEntries(
      MEASURES.flatMap((m) => [
        [`${m}_passed`, run[m].passed],
        [`${m}_checked`, run[m].checked],
      ]),
    ),
    newest_update: run.newestUpdate,
    failures: JSON.stringify(run.failures),
    reports_opened: run.reportsOpened,
  });
}

/** Runs, newest first, of one dataset or of one department's datasets. */
export async function selectQualityRuns(
  db: Knex,
  filter: { dataset?: string; department?: string; limit: number },
): Promise<QualityRun[]> {
  const query = table(db);
  if (filter.dataset) query.where({ dataset_code: filter.dataset });
  if (filter.department) query.where({ department: filter.department });
  const rows = await query
    .orderBy([
      { column: 'finished_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(filter.limit);
  return rows.map(fromRow);
}

/** The latest run of each of a department's datasets. */
export async function selectLatestQualityRuns(db: Knex, department: string): Promise<QualityRun[]> {
  const runs = await selectQualityRuns(db, { department, limit: 1000 });
  const latest = new Map<string, QualityRun>();
  for (const run of runs) if (!latest.has(run.dataset)) latest.set(run.dataset, run);
  return [...latest.values()].sort((a, b) => (a.dataset < b.dataset ? -1 : 1));
}
