import { randomUUID } from 'node:crypto';
import {
  badUserInput,
  conflict,
  forbidden,
  notFound,
  type CatalogueEntry,
  type CatalogueItem,
} from '../../../schema/index.ts';
import { selectDatasetPoliciesByCode } from '../../../server/index.ts';
import { actorOf, callerOf, hasRole, today, type PlatformContext } from '../api/PlatformContext.ts';
import { loadWorkingCalendar } from '../calendar/index.ts';
import {
  answerErrorReport,
  insertErrorReport,
  selectErrorReport,
  selectErrorReports,
  type ErrorReport,
  type ErrorReportOutcome,
  type ErrorReportStatus,
} from '../store/index.ts';
import { grantsInForce } from './givenUnmasked.ts';
import { publishedEntry, requireReason } from './grantAdministration.ts';

/** What a consuming department reports. */
export interface ErrorReportInput {
  dataset: string;
  recordKey: string;
  item: string;
  description: string;
}

/** Longest record key and description accepted, in characters (code points). */
const MAX_RECORD_KEY_LENGTH = 200;
const MAX_DESCRIPTION_LENGTH = 2000;
/**
 * Open reports one department may have on one dataset at a time. Each counts
 * against the provider's deadlines until answered, so without a bound anyone
 * given an item could fill the provider's queue and fail its compliance
 * figures with made-up keys (which are not looked up: existence is told to
 * nobody).
 */
export const MAX_OPEN_REPORTS = 100;

/**
 * A consuming department reports a suspected error in one item of one record
 * of a published dataset (数据纠错). The provider must answer within the
 * configured number of working days. The provider itself corrects its own data
 * and does not report to itself, so its reports are refused.
 */
export async function reportDataError(
  ctx: PlatformContext,
  input: ErrorReportInput,
): Promise<ErrorReport> {
  const caller = callerOf(ctx);
  const entry = publishedEntry(ctx, input.dataset);
  if (caller.department === entry.department) {
    throw badUserInput(
      `${entry.department} provides ${entry.code}; a provider corrects its own data and does not report errors to itself.`,
      'dataset',
    );
  }
  const problems: string[] = [];
  const recordKey = input.recordKey.trim();
  if (recordKey === '') problems.push('recordKey: name the record by its key value');
  if ([...recordKey].length > MAX_RECORD_KEY_LENGTH)
    problems.push(`recordKey: at most ${MAX_RECORD_KEY_LENGTH} characters`);
  if (!entry.items.some((i) => i.name === input.item)) {
    problems.push(
      `item: ${entry.code} has no item ${input.item} (items: ${entry.items.map((i) => i.name).join(', ')})`,
    );
  }
  const description = input.description.trim();
  if (description === '') problems.push('description: say what looks wrong');
  if ([...description].length > MAX_DESCRIPTION_LENGTH)
    problems.push(`description: at most ${MAX_DESCRIPTION_LENGTH} characters`);
  if (problems.length > 0)
    throw badUserInput(`The error report is not valid:\n- ${problems.join('\n- ')}`, 'input');
  await requireGiven(
    ctx,
    caller.department,
    entry,
    entry.items.find((i) => i.name === input.item)!,
  );

  const open = await ctx
    .db('error_reports')
    .where({ dataset_code: entry.code, reporter_department: caller.department, status: 'OPEN' })
    .count({ n: '*' })
    .first();
  if (Number(open?.n ?? 0) >= MAX_OPEN_REPORTS) {
    throw conflict(
      `${caller.department} already has ${MAX_OPEN_REPORTS} open error reports on ${entry.code}, the most one department may have on one dataset; report more once ${entry.department} has answered some.`,
    );
  }
  const calendar = await loadWorkingCalendar(ctx.db);
  const now = ctx.now.toISOString();
  const report: ErrorReport = {
    id: `ERR-${randomUUID()}`,
    datasetCode: entry.code,
    providerDepartment: entry.department,
    reporterDepartment: caller.department,
    reporter: actorOf(ctx),
    recordKey,
    item: input.item,
    description,
    status: 'OPEN',
    deadline: calendar.addWorkingDays(today(ctx), ctx.settings.errorReportReplyWorkingDays),
    reportedAt: now,
    answeredBy: null,
    answeredAt: null,
    answerReason: null,
    updatedAt: now,
  };
  await insertErrorReport(ctx.db, report);
  return report;
}

/**
 * Refuses a report on an item the reporting department is not given: a report
 * is about data the department read, so an item of a dataset not shared with
 * it (NOT_SHARED, or shared on conditions and none of its grants in force
 * lists the item) holds no error of its to report. Without this, anyone signed
 * in could fill a provider's queue and its overdue figures with reports on
 * data they never saw. The record is not looked up: whether a key exists is
 * told to nobody.
 */
async function requireGiven(
  ctx: PlatformContext,
  department: string,
  entry: CatalogueEntry,
  item: CatalogueItem,
): Promise<void> {
  const [policy] = await selectDatasetPoliciesByCode(ctx.db, [entry.code]);
  const datasetType = policy?.sharingType ?? 'NOT_SHARED';
  const refuse = (why: string) =>
    forbidden(
      `${department} may not report errors in item ${item.name} of ${entry.code}: ${why}. A report is about data your department was given.`,
      `the item given to ${department}`,
    );
  if (datasetType === 'NOT_SHARED' || item.sharingType === 'NOT_SHARED') {
    throw refuse(`it is not shared outside ${entry.department}`);
  }
  if (
    datasetType === 'UNCONDITIONAL' &&
    (item.sharingType ?? 'UNCONDITIONAL') === 'UNCONDITIONAL'
  ) {
    return;
  }
  const giving = (await grantsInForce(ctx.db, department, entry.code, ctx.now)).some((g) =>
    g.items.includes(item.name),
  );
  if (!giving) throw refuse('it is shared on conditions, and no grant of yours in force gives it');
}

/**
 * DEPT_IT of the provider answers an OPEN report, once. CORRECTED may carry a
 * note; REJECTED and NOT_AN_ERROR must say why, since the reporter has to be
 * able to act on the answer. Anything else changes nothing.
 */
export async function answerDataError(
  ctx: PlatformContext,
  id: string,
  outcome: ErrorReportOutcome,
  reason: string | null,
): Promise<ErrorReport> {
  const report = await selectErrorReport(ctx.db, id);
  if (!report) throw notFound(`No data error report ${id}.`);
  if (report.providerDepartment !== callerOf(ctx).department) {
    throw forbidden(
      `Only ${report.providerDepartment}, which provides ${report.datasetCode}, may answer ${id}.`,
      `DEPT_IT of ${report.providerDepartment}`,
    );
  }
  if (report.status !== 'OPEN') throw alreadyAnswered(id, report.status);
  const why = outcome === 'CORRECTED' && !reason?.trim() ? null : requireReason(reason ?? '');
  const answered = await answerErrorReport(ctx.db, id, {
    status: outcome,
    by: actorOf(ctx),
    at: ctx.now.toISOString(),
    reason: why,
  });
  if (!answered) {
    // Someone answered it between the read above and this update.
    throw alreadyAnswered(id, (await selectErrorReport(ctx.db, id))?.status ?? 'answered');
  }
  return (await selectErrorReport(ctx.db, id))!;
}

/**
 * Reports the caller may see, optionally in one status: reviewers and admins
 * all, anyone else those their department made or received.
 */
export async function visibleErrorReports(
  ctx: PlatformContext,
  status: ErrorReportStatus | null,
  page: { offset: number; limit: number | null } = { offset: 0, limit: null },
): Promise<ErrorReport[]> {
  return selectErrorReports(ctx.db, { ...scope(ctx), ...(status ? { status } : {}), ...page });
}

/** The OPEN reports the caller may see whose deadline has passed. */
export async function overdueErrorReports(ctx: PlatformContext): Promise<ErrorReport[]> {
  return selectErrorReports(ctx.db, { ...scope(ctx), status: 'OPEN', dueBefore: today(ctx) });
}

function scope(ctx: PlatformContext): { department?: string } {
  return hasRole(ctx, 'REVIEWER', 'ADMIN') ? {} : { department: callerOf(ctx).department };
}

function alreadyAnswered(id: string, status: string) {
  return conflict(
    `Data error report ${id} is already ${status}; only an OPEN report can be answered. Nothing was changed.`,
    { status },
  );
}
