import type { Knex } from 'knex';
import { EXPORT_OPERATION_NAME } from '../../../server/index.ts';
import type { ApplicationStatus } from './applicationQueries.ts';
import type { ErrorReportStatus } from './errorReportQueries.ts';

/**
 * A period of whole days, [from, to): dates as YYYY-MM-DD. Stored instants
 * (ISO 8601, UTC) compare with them as text: '2026-11-21T08:00Z' is on or after
 * '2026-11-21' and before '2026-11-22'.
 */
export interface Period {
  from: string;
  to: string;
}

/** What the reply-time figures need of an application. */
export interface ReceivedApplication {
  status: ApplicationStatus;
  deadline: string;
  submittedAt: string;
  decidedAt: string | null;
}

/** Applications for a department's datasets submitted in the period. */
export async function selectApplicationsReceived(
  db: Knex,
  department: string,
  period: Period,
): Promise<ReceivedApplication[]> {
  const rows = await db<{
    provider_department: string;
    status: string;
    deadline: string;
    submitted_at: string;
    decided_at: string | null;
  }>('applications')
    .where({ provider_department: department })
    .where('submitted_at', '>=', period.from)
    .where('submitted_at', '<', period.to)
    .select('status', 'deadline', 'submitted_at', 'decided_at');
  return rows.map((r) => ({
    status: r.status as ApplicationStatus,
    deadline: r.deadline,
    submittedAt: r.submitted_at,
    decidedAt: r.decided_at,
  }));
}

/** Grants on any of `datasets` that are ACTIVE and within their validity window at `now`. */
export async function countActiveGrants(
  db: Knex,
  datasets: readonly string[],
  now: string,
): Promise<number> {
  if (datasets.length === 0) return 0;
  const rows = await db('grants')
    .whereIn('dataset_code', datasets as string[])
    .where({ status: 'ACTIVE' })
    .where('valid_from', '<=', now)
    .where('valid_until', '>', now)
    .count<{ n: number | string }[]>({ n: '*' });
  return Number(rows[0]?.n ?? 0);
}

/** What the requests that accessed one dataset received of it, in distinct requests. */
export interface AccessRequestCount {
  dataset: string;
  /** Requests answered under the rules (ALLOWED, MASKED or PARTIAL), by platform request id. */
  served: number;
  /** Of the served, those answered with some item masked. */
  masked: number;
  /** Of the served, those also denied some of what they asked. */
  partial: number;
  /** Requests answered nothing of the dataset, with a denial. */
  denied: number;
}

/** Decisions that answered the caller something (or an allowed nothing). */
const ANSWERED = ['ALLOWED', 'MASKED', 'PARTIAL'];

/**
 * ACCESS audit records on a department's datasets in the period, as distinct
 * requests (platform request ids, never the client's X-Request-Id) per
 * dataset. A request whose plan touched a dataset in several steps wrote
 * several records and counts once, by what it received in all: served if any
 * step answered it, partial if it was also denied something, denied if no
 * step answered it and one denied it, masked if an answer masked an item.
 */
export async function countAccessRequests(
  db: Knex,
  department: string,
  period: Period,
): Promise<AccessRequestCount[]> {
  const answered = ANSWERED.map(() => '?').join(', ');
  const perRequest = accessRecords(db, department, period)
    .groupBy('dataset_code', 'request_id')
    .select(
      'dataset_code',
      db.raw(`max(case when decision in (${answered}) then 1 else 0 end) as answered`, ANSWERED),
      db.raw(`max(case when decision in ('PARTIAL', 'DENIED') then 1 else 0 end) as refused`),
      db.raw(
        `max(case when decision = 'MASKED' or (decision = 'PARTIAL' and items_masked <> '[]') then 1 else 0 end) as masked`,
      ),
    )
    .as('r');
  const rows = await db.from(perRequest).groupBy('dataset_code').orderBy('dataset_code').select<
    {
      dataset_code: string;
      served: number | string | null;
      masked: number | string | null;
      partial: number | string | null;
      denied: number | string | null;
    }[]
  >('dataset_code', db.raw('sum(answered) as served'), db.raw('sum(case when answered = 1 and masked = 1 then 1 else 0 end) as masked'), db.raw('sum(case when answered = 1 and refused = 1 then 1 else 0 end) as partial'), db.raw('sum(case when answered = 0 and refused = 1 then 1 else 0 end) as denied'));
  return rows.map((r) => ({
    dataset: r.dataset_code,
    served: Number(r.served ?? 0),
    masked: Number(r.masked ?? 0),
    partial: Number(r.partial ?? 0),
    denied: Number(r.denied ?? 0),
  }));
}

/** Denied requests per (dataset, reason). */
export interface DenialRequestCount {
  dataset: string;
  reason: string | null;
  requests: number;
}

/**
 * The denied requests of `countAccessRequests` — answered nothing of the
 * dataset — as distinct requests per (dataset, reason): the breakdown of the
 * denials by why. A request denied for two reasons counts under both.
 */
export async function countDeniedRequests(
  db: Knex,
  department: string,
  period: Period,
): Promise<DenialRequestCount[]> {
  const rows = await accessRecords(db, department, period, 'denial')
    .where({ 'denial.decision': 'DENIED' })
    .whereNotExists((answeredToo) => {
      void answeredToo
        .select(db.raw('1'))
        .from('audit_records as answer')
        .whereRaw('answer.request_id = denial.request_id')
        .whereRaw('answer.dataset_code = denial.dataset_code')
        .where('answer.kind', 'ACCESS')
        .whereIn('answer.decision', ANSWERED);
    })
    .groupBy('denial.dataset_code', 'denial.reason')
    .orderBy(['denial.dataset_code', 'denial.reason'])
    .select({ dataset_code: 'denial.dataset_code', reason: 'denial.reason' })
    .countDistinct<{ dataset_code: string; reason: string | null; requests: number | string }[]>({
      requests: 'denial.request_id',
    });
  return rows.map((r) => ({
    dataset: r.dataset_code,
    reason: r.reason,
    requests: Number(r.requests),
  }));
}

/** ACCESS records on `department`'s datasets in the period, under an optional table alias. */
function accessRecords(db: Knex, department: string, period: Period, alias?: string) {
  const column = (name: string) => (alias ? `${alias}.${name}` : name);
  return db(alias ? `audit_records as ${alias}` : 'audit_records')
    .where(column('kind'), 'ACCESS')
    .where(column('provider_department'), department)
    .whereNotNull(column('dataset_code'))
    .where(column('at'), '>=', period.from)
    .where(column('at'), '<', period.to);
}

/** Bulk exports of one dataset (EXPORT mode). */
export interface DatasetExportCount {
  dataset: string;
  /** Exports started in the period. */
  started: number;
  /** Of those, completed (every record sent, the manifest stored). */
  completed: number;
  /** Records sent by the period's deliveries (an export and each resumption of it). */
  records: number;
  /** Exports refused before any record was sent. */
  refused: number;
}

/**
 * A department's datasets' exports in the period: those started (the export
 * table) and what their deliveries sent or were refused (their ACCESS records).
 */
export async function countExports(
  db: Knex,
  department: string,
  period: Period,
): Promise<DatasetExportCount[]> {
  const [started, delivered] = await Promise.all([
    db('exports')
      .where('provider_department', department)
      .where('started_at', '>=', period.from)
      .where('started_at', '<', period.to)
      .groupBy('dataset_code')
      .select<{ dataset_code: string; started: number | string; completed: number | string }[]>(
        'dataset_code',
        db.raw('count(*) as started'),
        db.raw('count(completed_at) as completed'),
      ),
    accessRecords(db, department, period)
      .where('operation_name', EXPORT_OPERATION_NAME)
      .groupBy('dataset_code')
      .select<
        { dataset_code: string; records: number | string | null; refused: number | string | null }[]
      >(
        'dataset_code',
        db.raw("sum(case when decision = 'DENIED' then 0 else record_count end) as records"),
        db.raw("sum(case when decision = 'DENIED' then 1 else 0 end) as refused"),
      ),
  ]);
  const figures = new Map<string, DatasetExportCount>();
  const of = (dataset: string) => {
    let figure = figures.get(dataset);
    if (!figure) {
      figure = { dataset, started: 0, completed: 0, records: 0, refused: 0 };
      figures.set(dataset, figure);
    }
    return figure;
  };
  for (const row of started) {
    Object.assign(of(row.dataset_code), {
      started: Number(row.started),
      completed: Number(row.completed),
    });
  }
  for (const row of delivered) {
    Object.assign(of(row.dataset_code), {
      records: Number(row.records ?? 0),
      refused: Number(row.refused ?? 0),
    });
  }
  return [...figures.values()].sort((a, b) => a.dataset.localeCompare(b.dataset));
}

/** What the turnaround figures need of a data error report. */
export interface ReceivedErrorReport {
  status: ErrorReportStatus;
  deadline: string;
  reportedAt: string;
  answeredAt: string | null;
}

/** Data error reports on a department's datasets made in the period. */
export async function selectErrorReportsReceived(
  db: Knex,
  department: string,
  period: Period,
): Promise<ReceivedErrorReport[]> {
  const rows = await db<{
    provider_department: string;
    status: string;
    deadline: string;
    reported_at: string;
    answered_at: string | null;
  }>('error_reports')
    .where({ provider_department: department })
    .where('reported_at', '>=', period.from)
    .where('reported_at', '<', period.to)
    .select('status', 'deadline', 'reported_at', 'answered_at');
  return rows.map((r) => ({
    status: r.status as ErrorReportStatus,
    deadline: r.deadline,
    reportedAt: r.reported_at,
    answeredAt: r.answered_at,
  }));
}
