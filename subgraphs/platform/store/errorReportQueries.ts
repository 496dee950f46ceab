import type { Knex } from 'knex';

/** Where a data error report is: OPEN until the provider answers it, once. */
export type ErrorReportStatus = 'OPEN' | 'CORRECTED' | 'REJECTED' | 'NOT_AN_ERROR';

/** The provider's answer to a report. */
export type ErrorReportOutcome = Exclude<ErrorReportStatus, 'OPEN'>;

/** A data error report (数据纠错) as stored. */
export interface ErrorReport {
  id: string;
  datasetCode: string;
  providerDepartment: string;
  reporterDepartment: string;
  /** department/user (or department/application) of whoever reported it. */
  reporter: string;
  /** The record's key value, as text. */
  recordKey: string;
  item: string;
  description: string;
  status: ErrorReportStatus;
  /** The provider answers by this day (YYYY-MM-DD). */
  deadline: string;
  reportedAt: string;
  answeredBy: string | null;
  answeredAt: string | null;
  answerReason: string | null;
  updatedAt: string;
}

interface ErrorReportRow {
  id: string;
  dataset_code: string;
  provider_department: string;
  reporter_department: string;
  reporter: string;
  record_key: string;
  item: string;
  description: string;
  status: string;
  deadline: string;
  reported_at: string;
  answered_by: string | null;
  answered_at: string | null;
  answer_reason: string | null;
  updated_at: string;
}

const table = (db: Knex) => db<ErrorReportRow>('error_reports');

function fromRow(r: ErrorReportRow): ErrorReport {
  return {
    id: r.id,
    datasetCode: r.dataset_code,
    providerDepartment: r.provider_department,
    reporterDepartment: r.reporter_department,
    reporter: r.reporter,
    recordKey: r.record_key,
    item: r.item,
    description: r.description,
    status: r.status as ErrorReportStatus,
    deadline: r.deadline,
    reportedAt: r.reported_at,
    answeredBy: r.answered_by,
    answeredAt: r.answered_at,
    answerReason: r.answer_reason,
    updatedAt: r.updated_at,
  };
}

export async function insertErrorReport(db: Knex, report: ErrorReport): Promise<void> {
  await table(db).insert({
    id: report.id,
    dataset_code: report.datasetCode,
    provider_department: report.providerDepartment,
    reporter_department: report.reporterDepartment,
    reporter: report.reporter,
    record_key: report.recordKey,
    item: report.item,
    description: report.description,
    status: report.status,
    deadline: report.deadline,
    reported_at: report.reportedAt,
    answered_by: report.answeredBy,
    answered_at: report.answeredAt,
    answer_reason: report.answerReason,
    updated_at: report.updatedAt,
  });
}

export async function selectErrorReport(db: Knex, id: string): Promise<ErrorReport | undefined> {
  const row = await table(db).where({ id }).first();
  return row ? fromRow(row) : undefined;
}

/**
 * Reports, newest first: optionally only those a department made or received,
 * in one status, or due before a day.
 */
export async function selectErrorReports(
  db: Knex,
  filter: {
    department?: string;
    status?: ErrorReportStatus;
    dueBefore?: string;
    /** A page: skip `offset`, return at most `limit` (newest first). */
    offset?: number;
    limit?: number | null;
  },
): Promise<ErrorReport[]> {
  const query = table(db);
  if (filter.department) {
    const department = filter.department;
    query.where((q) => {
      void q
        .where({ reporter_department: department })
        .orWhere({ provider_department: department });
    });
  }
  if (filter.status) query.where({ status: filter.status });
  if (filter.dueBefore) query.where('deadline', '<', filter.dueBefore);
  if (filter.limit !== undefined && filter.limit !== null) query.limit(filter.limit);
  if (filter.offset) query.offset(filter.offset);
  return (await query.orderBy([{ column: 'reported_at', order: 'desc' }, 'id'])).map(fromRow);
}

/**
 * Records the provider's answer to a report that is still OPEN; false (nothing
 * changed) when it no longer is, so a report is answered once even when two
 * people answer at the same moment.
 */
export async function answerErrorReport(
  db: Knex,
  id: string,
  answer: { status: ErrorReportOutcome; by: string; at: string; reason: string | null },
): Promise<boolean> {
  const changed = await table(db).where({ id, status: 'OPEN' }).update({
    status: answer.status,
    answered_by: answer.by,
    answered_at: answer.at,
    answer_reason: answer.reason,
    updated_at: answer.at,
  });
  return changed === 1;
}
