import { badUserInput, forbidden } from '../../../schema/index.ts';
import { actorFor, callerOf, hasRole, type PlatformContext } from '../api/PlatformContext.ts';
import { runInspection, type InspectionEnvironment } from '../quality/index.ts';
import { selectQualityRuns, type QualityRun } from '../store/index.ts';
import { publishedEntry } from './grantAdministration.ts';
import { actsFor } from './serviceUnits.ts';

const MAX_RUNS = 100;

/** The inspection environment of a request. */
export function inspectionEnvironment(ctx: PlatformContext): InspectionEnvironment {
  return {
    db: ctx.db,
    catalogue: ctx.catalogue.catalogue,
    departmentDatabases: ctx.departmentDatabases,
    timeZone: ctx.settings.timeZone,
    errorReportReplyWorkingDays: ctx.settings.errorReportReplyWorkingDays,
    now: () => new Date(),
  };
}

/**
 * Quality results name failing record keys, so they are read by the data
 * management office (reviewers, admins) and by the providing department's IT
 * (or a unit it authorizes to operate its subgraph); never by consumers. The
 * rules have already refused every role but DEPT_IT, REVIEWER and ADMIN.
 */
async function requireQualityAccess(
  ctx: PlatformContext,
  department: string,
  what: string,
): Promise<void> {
  if (hasRole(ctx, 'REVIEWER', 'ADMIN')) return;
  if (hasRole(ctx, 'DEPT_IT') && (await actsFor(ctx, department, 'OPERATING_SUBGRAPH'))) return;
  throw forbidden(
    `You are ${callerOf(ctx).department}; only ${department}'s IT, a unit it authorizes, reviewers and admins may ${what}.`,
    `DEPT_IT of ${department}, REVIEWER or ADMIN`,
  );
}

/** Runs of a dataset, or of a department's datasets, newest first. */
export async function qualityRuns(
  ctx: PlatformContext,
  filter: { dataset?: string | null; department?: string | null; first: number },
): Promise<QualityRun[]> {
  if (!Number.isInteger(filter.first) || filter.first < 1 || filter.first > MAX_RUNS)
    throw badUserInput(`first must be between 1 and ${MAX_RUNS}.`, 'first');
  if (filter.dataset) {
    const entry = publishedEntry(ctx, filter.dataset);
    await requireQualityAccess(ctx, entry.department, `read the quality of ${entry.code}`);
    return selectQualityRuns(ctx.db, { dataset: entry.code, limit: filter.first });
  }
  if (!filter.department) throw badUserInput('Name a dataset or a department.', 'dataset');
  await requireQualityAccess(ctx, filter.department, `read the quality of its datasets`);
  return selectQualityRuns(ctx.db, { department: filter.department, limit: filter.first });
}

/** Inspects one published dataset now, as the caller (recorded on the run). */
export async function inspectNow(ctx: PlatformContext, dataset: string): Promise<QualityRun> {
  const entry = publishedEntry(ctx, dataset);
  await requireQualityAccess(ctx, entry.department, `inspect ${entry.code}`);
  return runInspection(inspectionEnvironment(ctx), entry, actorFor(ctx, entry.department));
}
