import { randomUUID } from 'node:crypto';
import {
  badUserInput,
  conflict,
  forbidden,
  isCalendarDate,
  notFound,
} from '../../../schema/index.ts';
import { actorOf, callerOf, hasRole, today, type PlatformContext } from '../api/PlatformContext.ts';
import {
  insertServiceUnitAuthorization,
  revokeServiceUnitAuthorization,
  selectServiceUnitAuthorization,
  selectServiceUnitAuthorizations,
  SERVICE_UNIT_DUTIES,
  type ServiceUnitAuthorization,
  type ServiceUnitDuty,
} from '../store/index.ts';
import { selectRecordedWork, type RecordedWork } from '../store/serviceUnitWorkQueries.ts';
import { requireReason } from './grantAdministration.ts';

export interface ServiceUnitInput {
  unit: string;
  department: string;
  duties: string[];
  validFrom: string;
  validUntil: string;
}

const UNIT_CODE = /^[a-z][a-z0-9_]{1,63}$/;

/**
 * A department (its DEPT_IT) or an admin authorizes a technical service unit
 * to act for the department, for [validFrom, validUntil) and the listed
 * duties. The unit signs in as itself (its credentials name the unit as their
 * department); what it does for the department is recorded as both.
 */
export async function authorizeServiceUnit(
  ctx: PlatformContext,
  input: ServiceUnitInput,
): Promise<ServiceUnitAuthorization> {
  const caller = callerOf(ctx);
  if (!hasRole(ctx, 'ADMIN') && caller.department !== input.department) {
    throw forbidden(
      `You are DEPT_IT of ${caller.department}; only ${input.department} itself or an admin authorizes units to act for it.`,
      `DEPT_IT of ${input.department} or ADMIN`,
    );
  }
  const problems: string[] = [];
  if (!UNIT_CODE.test(input.unit))
    problems.push("unit: the unit's code as its credentials name it, e.g. zj_datatech");
  if (input.unit === input.department)
    problems.push('unit: a department does not authorize itself');
  if (!ctx.catalogue.catalogue.department(input.department))
    problems.push(`department: ${input.department} provides no data on the platform`);
  const duties = [...new Set(input.duties)];
  const unknown = duties.filter((d) => !(SERVICE_UNIT_DUTIES as readonly string[]).includes(d));
  if (duties.length === 0 || unknown.length > 0)
    problems.push(`duties: list one or more of ${SERVICE_UNIT_DUTIES.join(', ')}`);
  if (
    !isCalendarDate(input.validFrom) ||
    !isCalendarDate(input.validUntil) ||
    input.validFrom >= input.validUntil
  )
    problems.push('validFrom, validUntil: dates (YYYY-MM-DD), validFrom before validUntil');
  if (problems.length > 0)
    throw badUserInput(`The authorization is not valid:\n- ${problems.join('\n- ')}`, 'input');
  const authorization: ServiceUnitAuthorization = {
    id: `SU-${randomUUID()}`,
    unit: input.unit,
    department: input.department,
    duties: duties as ServiceUnitDuty[],
    validFrom: input.validFrom,
    validUntil: input.validUntil,
    status: 'ACTIVE',
    grantedBy: actorOf(ctx),
    grantedAt: ctx.now.toISOString(),
    revokedBy: null,
    revokedAt: null,
    revokeReason: null,
  };
  await insertServiceUnitAuthorization(ctx.db, authorization);
  return authorization;
}

/** The authorizing department or an admin revokes, and must say why; the unit is refused at once. */
export async function revokeServiceUnit(
  ctx: PlatformContext,
  id: string,
  reason: string,
): Promise<ServiceUnitAuthorization> {
  const why = requireReason(reason);
  const found = await selectServiceUnitAuthorization(ctx.db, id);
  if (!found) throw notFound(`No service unit authorization ${id}.`);
  if (!hasRole(ctx, 'ADMIN') && callerOf(ctx).department !== found.department) {
    throw forbidden(`Only ${found.department} or an admin may revoke ${id}.`);
  }
  if (
    !(await revokeServiceUnitAuthorization(ctx.db, id, actorOf(ctx), ctx.now.toISOString(), why))
  ) {
    throw conflict(`Authorization ${id} is already ${found.status}. Nothing was changed.`);
  }
  return (await selectServiceUnitAuthorization(ctx.db, id))!;
}

/** Authorizations the caller may see: admins and reviewers all, others those naming their department or unit. */
export async function visibleServiceUnitAuthorizations(
  ctx: PlatformContext,
): Promise<ServiceUnitAuthorization[]> {
  if (hasRole(ctx, 'ADMIN', 'REVIEWER')) return selectServiceUnitAuthorizations(ctx.db, {});
  const own = callerOf(ctx).department;
  const [asDepartment, asUnit] = await Promise.all([
    selectServiceUnitAuthorizations(ctx.db, { department: own }),
    selectServiceUnitAuthorizations(ctx.db, { unit: own }),
  ]);
  return [...asDepartment, ...asUnit];
}

/**
 * Whether the caller may act for `department` in `duty`: it is the department,
 * or a unit the department authorized for that duty, not revoked, today
 * within the period.
 */
export async function actsFor(
  ctx: PlatformContext,
  department: string,
  duty: ServiceUnitDuty,
): Promise<boolean> {
  const caller = ctx.identity.caller;
  if (!caller) return false;
  if (caller.department === department) return true;
  const day = today(ctx);
  const authorizations = await selectServiceUnitAuthorizations(ctx.db, {
    unit: caller.department,
    department,
    status: 'ACTIVE',
  });
  return authorizations.some(
    (a) => a.duties.includes(duty) && a.validFrom <= day && day < a.validUntil,
  );
}

/** A technical service unit's own scorecard for [from, to): what it did for which departments. */
export interface ServiceUnitScorecard {
  unit: string;
  from: string;
  to: string;
  authorizations: ServiceUnitAuthorization[];
  applicationsAnswered: number;
  /** Of those, answered after the applicant's deadline. */
  applicationsAnsweredLate: number;
  catalogueVersionsCreated: number;
  /** The departments it acted for in the period. */
  departmentsServed: string[];
}

/**
 * The unit's work evaluated on its own: reviewers and admins see any unit's,
 * a unit its own. Counts what the records name as done by the unit for a
 * department (`unit/user for department`).
 */
export async function serviceUnitScorecard(
  ctx: PlatformContext,
  unit: string,
  from: string,
  to: string,
): Promise<ServiceUnitScorecard> {
  if (!hasRole(ctx, 'ADMIN', 'REVIEWER') && callerOf(ctx).department !== unit) {
    throw forbidden(
      `Only ${unit} itself, reviewers and admins see its scorecard.`,
      'REVIEWER or ADMIN',
    );
  }
  if (!isCalendarDate(from) || !isCalendarDate(to) || from >= to)
    throw badUserInput('from and to must be dates (YYYY-MM-DD), from before to.', 'from');
  const mine = (work: RecordedWork) => work.by.startsWith(`${unit}/`) && work.by.includes(' for ');
  const { decisions, versions } = await selectRecordedWork(ctx.db, { from, to });
  const answered = decisions.filter(mine);
  const created = versions.filter(mine);
  const served = [...answered, ...created].map((w) => w.by.slice(w.by.lastIndexOf(' for ') + 5));
  return {
    unit,
    from,
    to,
    authorizations: await selectServiceUnitAuthorizations(ctx.db, { unit }),
    applicationsAnswered: answered.length,
    applicationsAnsweredLate: answered.filter((w) => w.at.slice(0, 10) > w.deadline!).length,
    catalogueVersionsCreated: created.length,
    departmentsServed: [...new Set(served)].sort(),
  };
}
