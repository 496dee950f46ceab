import type { Knex } from 'knex';
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

/** Distinct requests that accessed one dataset with one decision. */
export interface AccessRequestCount {
  dataset: string;
  decision: string;
  requests: number;
}

/**
 * ACCESS audit records on a department's datasets in the period, as distinct
 * requests per (dataset, decision): a request whose plan touched a dataset in
 * two steps wrote two records, and counts once.
 */
export async function countAccessRequests(
  db: Knex,
  department: string,
  period: Period,
): Promise<AccessRequestCount[]> {
  const rows = await accessRecords(db, department, period)
    .groupBy('dataset_code', 'decision')
    .orderBy(['dataset_code', 'decision'])
    .select('dataset_code', 'decision')
    .countDistinct<{ dataset_code: string; decision: string; requests: number | string }[]>({
      requests: 'request_id',
    });
  return rows.map((r) => ({
    dataset: r.dataset_code,
    decision: r.decision,
    requests: Number(r.requests),
  }));
}

/** Distinct denied requests per (dataset, reason). */
export interface DenialRequestCount {
  dataset: string;
  reason: string | null;
  requests: number;
}

/**
 * The DENIED records of `countAccessRequests`, as distinct requests per
 * (dataset, reason): the breakdown of the denials by why.
 */
export async function countDeniedRequests(
  db: Knex,
  department: string,
  period: Period,
): Promise<DenialRequestCount[]> {
  const rows = await accessRecords(db, department, period)
    .where({ decision: 'DENIED' })
    .groupBy('dataset_code', 'reason')
    .orderBy(['dataset_code', 'reason'])
    .select('dataset_code', 'reason')
    .countDistinct<{ dataset_code: string; reason: string | null; requests: number | string }[]>({
      requests: 'request_id',
    });
  return rows.map((r) => ({
    dataset: r.dataset_code,
    reason: r.reason,
    requests: Number(r.requests),
  }));
}

function accessRecords(db: Knex, department: string, period: Period) {
  return db('audit_records')
    .where({ kind: 'ACCESS', provider_department: department })
    .whereNotNull('dataset_code')
    .where('at', '>=', period.from)
    .where('at', '<', period.to);
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
