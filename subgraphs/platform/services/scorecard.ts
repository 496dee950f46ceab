import { badUserInput, forbidden, isCalendarDate } from '../../../schema/index.ts';
import { callerOf, hasRole, today, type PlatformContext } from '../api/PlatformContext.ts';
import { loadWorkingCalendar, type WorkingCalendar } from '../calendar/index.ts';
import { selectEntriesByStatus } from '../catalogue/index.ts';
import {
  countAccessRequests,
  countActiveGrants,
  countDeniedRequests,
  countExports,
  selectApplicationsReceived,
  selectErrorReportsReceived,
  type AccessRequestCount,
  type DatasetExportCount,
  type DenialRequestCount,
  type Period,
  type ReceivedApplication,
  type ReceivedErrorReport,
} from '../store/index.ts';
import { isOverdue } from './catalogueRegistration.ts';

/** Accesses to one dataset, in distinct requests (platform request ids). */
export interface DatasetAccessFigures {
  dataset: string;
  /** Requests answered under the rules (ALLOWED, MASKED or PARTIAL). */
  served: number;
  /** Of the served, those answered with masked items. */
  masked: number;
  /** Of the served, those also denied some of what they asked. */
  partial: number;
  /** Requests answered nothing of the dataset, with a denial. */
  denied: number;
}

/**
 * A department's supervision figures (监督考核) for the period [from, to).
 * Flows (applications, accesses, error reports) count what arrived in the
 * period, with its outcome as of now; stocks (registered datasets, overdue
 * catalogue changes, active grants) are as of now.
 */
export interface Scorecard {
  department: string;
  from: string;
  to: string;
  computedAt: string;
  catalogue: {
    datasetsRegistered: number;
    overdueUpdates: number;
    overdueDatasets: string[];
  };
  applications: {
    received: number;
    answered: number;
    medianReplyWorkingDays: number | null;
    replyDeadlineWorkingDays: number;
    answeredLate: number;
    unansweredOverdue: number;
  };
  activeGrants: number;
  accesses: Omit<DatasetAccessFigures, 'dataset'> & {
    /** Denied requests by the reason recorded (null when a record names none). */
    deniedByReason: { reason: string | null; requests: number }[];
    byDataset: DatasetAccessFigures[];
  };
  /** Bulk exports of the department's datasets: all of them, and per dataset. */
  exports: Omit<DatasetExportCount, 'dataset'> & { byDataset: DatasetExportCount[] };
  dataErrors: {
    received: number;
    open: number;
    overdue: number;
    answered: number;
    medianTurnaroundWorkingDays: number | null;
  };
}

/**
 * The scorecard of `department` for [from, to). Reviewers and admins may see
 * any department's; DEPT_IT only its own, since the figures name the
 * department's backlog. The rules have already refused every other role.
 */
export async function departmentScorecard(
  ctx: PlatformContext,
  department: string,
  from: string,
  to: string,
): Promise<Scorecard> {
  if (!hasRole(ctx, 'REVIEWER', 'ADMIN') && callerOf(ctx).department !== department) {
    throw forbidden(
      `You are DEPT_IT of ${callerOf(ctx).department}; only reviewers and admins see another department's scorecard.`,
      'REVIEWER or ADMIN',
    );
  }
  if (!isCalendarDate(from) || !isCalendarDate(to) || from >= to) {
    throw badUserInput(
      'from and to must be dates (YYYY-MM-DD), from before to; the period is [from, to).',
      from >= to && isCalendarDate(from) ? 'to' : 'from',
    );
  }
  const catalogue = ctx.catalogue.catalogue;
  if (!catalogue.department(department)) {
    throw badUserInput(
      `${department} is not a department that provides data on the platform; those are: ${catalogue.departments.map((d) => d.code).join(', ')}.`,
      'department',
    );
  }
  const period: Period = { from, to };
  const day = today(ctx);
  const [calendar, versions, applications, accesses, denials, reports, exports] = await Promise.all(
    [
      loadWorkingCalendar(ctx.db),
      selectEntriesByStatus(ctx.db, ['PUBLISHED', 'DRAFT', 'REJECTED'], department),
      selectApplicationsReceived(ctx.db, department, period),
      countAccessRequests(ctx.db, department, period),
      countDeniedRequests(ctx.db, department, period),
      selectErrorReportsReceived(ctx.db, department, period),
      countExports(ctx.db, department, period),
    ],
  );
  const datasets = versions.filter((v) => v.status === 'PUBLISHED').map((v) => v.code);
  const overdue = versions.filter((v) => isOverdue(ctx, v));
  return {
    department,
    from,
    to,
    computedAt: ctx.now.toISOString(),
    catalogue: {
      datasetsRegistered: datasets.length,
      overdueUpdates: overdue.length,
      overdueDatasets: [...new Set(overdue.map((v) => v.code))].sort(),
    },
    applications: applicationFigures(ctx, calendar, applications, day),
    activeGrants: await countActiveGrants(ctx.db, datasets, ctx.now.toISOString()),
    accesses: accessFigures(accesses, denials),
    exports: {
      started: exports.reduce((n, e) => n + e.started, 0),
      completed: exports.reduce((n, e) => n + e.completed, 0),
      records: exports.reduce((n, e) => n + e.records, 0),
      refused: exports.reduce((n, e) => n + e.refused, 0),
      byDataset: exports,
    },
    dataErrors: errorReportFigures(calendar, reports, day),
  };
}

/** Received, answered (approved or rejected), reply times, late and overdue answers. */
function applicationFigures(
  ctx: PlatformContext,
  calendar: WorkingCalendar,
  applications: readonly ReceivedApplication[],
  day: string,
): Scorecard['applications'] {
  const answered = applications.filter(
    (a) => (a.status === 'APPROVED' || a.status === 'REJECTED') && a.decidedAt !== null,
  );
  return {
    received: applications.length,
    answered: answered.length,
    medianReplyWorkingDays: median(
      answered.map((a) => calendar.workingDaysBetween(dateOf(a.submittedAt), dateOf(a.decidedAt!))),
    ),
    replyDeadlineWorkingDays: ctx.settings.applicationReplyWorkingDays,
    // Late against the deadline the applicant was given, not today's setting.
    answeredLate: answered.filter((a) => dateOf(a.decidedAt!) > a.deadline).length,
    unansweredOverdue: applications.filter((a) => a.status === 'SUBMITTED' && a.deadline < day)
      .length,
  };
}

/** Served, masked, partial and denied requests per dataset and in all, and the denials by reason. */
function accessFigures(
  counts: readonly AccessRequestCount[],
  denials: readonly DenialRequestCount[],
): Scorecard['accesses'] {
  const byDataset = new Map<string, DatasetAccessFigures>(
    counts.map((figures) => [figures.dataset, { ...figures }]),
  );
  const byReason = new Map<string | null, number>();
  for (const { reason, requests } of denials)
    byReason.set(reason, (byReason.get(reason) ?? 0) + requests);
  const datasets = [...byDataset.values()].sort((a, b) => (a.dataset < b.dataset ? -1 : 1));
  const sum = (pick: (f: DatasetAccessFigures) => number) =>
    datasets.reduce((total, f) => total + pick(f), 0);
  return {
    served: sum((f) => f.served),
    masked: sum((f) => f.masked),
    partial: sum((f) => f.partial),
    denied: sum((f) => f.denied),
    deniedByReason: [...byReason]
      .map(([reason, requests]) => ({ reason, requests }))
      .sort((a, b) => b.requests - a.requests || String(a.reason).localeCompare(String(b.reason))),
    byDataset: datasets,
  };
}

/** Received, still open, overdue, answered, and the working days answers took. */
function errorReportFigures(
  calendar: WorkingCalendar,
  reports: readonly ReceivedErrorReport[],
  day: string,
): Scorecard['dataErrors'] {
  const answered = reports.filter((r) => r.status !== 'OPEN' && r.answeredAt !== null);
  return {
    received: reports.length,
    open: reports.filter((r) => r.status === 'OPEN').length,
    overdue: reports.filter((r) => r.status === 'OPEN' && r.deadline < day).length,
    answered: answered.length,
    medianTurnaroundWorkingDays: median(
      answered.map((r) => calendar.workingDaysBetween(dateOf(r.reportedAt), dateOf(r.answeredAt!))),
    ),
  };
}

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The UTC date of a stored ISO 8601 instant. */
function dateOf(instant: string): string {
  return instant.slice(0, 10);
}
