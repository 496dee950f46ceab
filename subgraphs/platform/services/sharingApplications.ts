import { randomUUID } from 'node:crypto';
import {
  badUserInput,
  conflict,
  forbidden,
  isCalendarDate,
  notFound,
  type SharingMode,
} from '../../../schema/index.ts';
import { inTransaction, selectDatasetPolicies } from '../../../server/index.ts';
import { loadWorkingCalendar } from '../calendar/index.ts';
import {
  actorFor,
  actorOf,
  callerOf,
  today,
  type PlatformContext,
} from '../api/PlatformContext.ts';
import {
  decideApplication,
  insertApplication,
  selectApplication,
  type SharingApplication,
} from '../store/index.ts';
import { createGrant, publishedEntry, requireReason } from './grantAdministration.ts';
import { actsFor } from './serviceUnits.ts';
import {
  checkWithinApplication,
  PURPOSE_PATTERN,
  type GrantConditionsInput,
} from './grantConditions.ts';

export interface ApplicationInput {
  dataset: string;
  items: string[];
  purpose: string;
  scenario: string;
  legalBasis: string;
  requestedFrom: string;
  requestedUntil: string;
  modes: SharingMode[];
  consumerApplication?: string | null;
}

/**
 * An application developer's department applies for a CONDITIONAL dataset.
 * UNCONDITIONAL data needs no application and NOT_SHARED data cannot be had;
 * both are refused with a clear reason. The provider must answer within the
 * configured number of working days.
 */
export async function applyForAccess(
  ctx: PlatformContext,
  input: ApplicationInput,
): Promise<SharingApplication> {
  const caller = callerOf(ctx);
  const entry = publishedEntry(ctx, input.dataset);
  const policy = (await selectDatasetPolicies(ctx.db)).find((p) => p.code === entry.code);
  const sharingType = policy?.sharingType ?? 'NOT_SHARED';
  if (sharingType === 'UNCONDITIONAL') {
    throw badUserInput(
      `${entry.code} is UNCONDITIONAL: every department may read it without applying.`,
      'dataset',
    );
  }
  if (sharingType === 'NOT_SHARED') {
    throw badUserInput(
      `${entry.code} is NOT_SHARED: it is not shared outside ${entry.department}, so it cannot be applied for.`,
      'dataset',
    );
  }
  if (caller.department === entry.department) {
    throw badUserInput(
      `${entry.department} provides ${entry.code}; a provider needs no application for its own data.`,
      'dataset',
    );
  }
  const problems: string[] = [];
  const names = new Set(entry.items.map((i) => i.name));
  const items = [...new Set(input.items)];
  if (items.length === 0) problems.push('items: ask for at least one item');
  for (const item of items)
    if (!names.has(item)) problems.push(`items: ${entry.code} has no item ${item}`);
  if (!PURPOSE_PATTERN.test(input.purpose.trim()))
    problems.push('purpose: a short purpose word, e.g. social-assistance');
  if (input.scenario.trim() === '') problems.push('scenario: describe how the data will be used');
  if (input.legalBasis.trim() === '')
    problems.push('legalBasis: cite the law or regulation the use rests on');
  const modes = [...new Set(input.modes)];
  if (modes.length === 0) problems.push('modes: ask for at least one mode');
  for (const mode of modes) {
    if (!entry.sharing.modes.includes(mode))
      problems.push(`modes: ${entry.code} is not shared in ${mode} mode`);
  }
  if (
    !isCalendarDate(input.requestedFrom) ||
    !isCalendarDate(input.requestedUntil) ||
    input.requestedFrom >= input.requestedUntil
  ) {
    problems.push(
      'requestedFrom and requestedUntil must be dates (YYYY-MM-DD), the first before the second',
    );
  }
  if (problems.length > 0)
    throw badUserInput(`The application is not valid:\n- ${problems.join('\n- ')}`, 'input');

  const calendar = await loadWorkingCalendar(ctx.db);
  const now = ctx.now.toISOString();
  const application: SharingApplication = {
    id: `APP-${randomUUID()}`,
    datasetCode: entry.code,
    providerDepartment: entry.department,
    consumerDepartment: caller.department,
    consumerApplication: input.consumerApplication ?? caller.application,
    applicant: actorOf(ctx),
    items,
    purpose: input.purpose.trim(),
    scenario: input.scenario.trim(),
    legalBasis: input.legalBasis.trim(),
    requestedFrom: input.requestedFrom,
    requestedUntil: input.requestedUntil,
    modes,
    status: 'SUBMITTED',
    deadline: calendar.addWorkingDays(today(ctx), ctx.settings.applicationReplyWorkingDays),
    submittedAt: now,
    decidedBy: null,
    decidedAt: null,
    decisionReason: null,
    grantId: null,
    updatedAt: now,
  };
  await insertApplication(ctx.db, application);
  return application;
}

/**
 * The provider approves with conditions; the grant the rules enforce is created
 * with it. The grant is at most what was applied for (see
 * `checkWithinApplication`); anything wider is refused and nothing is created.
 */
export async function approveApplication(
  ctx: PlatformContext,
  id: string,
  conditions: GrantConditionsInput,
): Promise<SharingApplication> {
  const application = await answerable(ctx, id, 'approve');
  checkWithinApplication(
    publishedEntry(ctx, application.datasetCode),
    application,
    conditions,
    ctx.settings.timeZone,
    'approval',
  );
  let result: SharingApplication | undefined;
  await inTransaction(ctx.db, async (trx) => {
    const scoped = { ...ctx, db: trx };
    const grant = await createGrant(
      scoped,
      {
        consumerDepartment: application.consumerDepartment,
        consumerApplication: application.consumerApplication,
        dataset: application.datasetCode,
        conditions,
      },
      `approved application ${application.id}`,
    );
    const decided = await decideApplication(trx, id, {
      status: 'APPROVED',
      by: actorFor(ctx, application.providerDepartment),
      at: ctx.now.toISOString(),
      reason: null,
      grantId: grant.id,
    });
    if (!decided) throw alreadyAnswered(id, 'approve');
    result = await selectApplication(trx, id);
  });
  return result!;
}

/** The provider rejects, and must say why. */
export async function rejectApplication(
  ctx: PlatformContext,
  id: string,
  reason: string,
): Promise<SharingApplication> {
  const why = requireReason(reason);
  const application = await answerable(ctx, id, 'reject');
  const decided = await decideApplication(ctx.db, id, {
    status: 'REJECTED',
    by: actorFor(ctx, application.providerDepartment),
    at: ctx.now.toISOString(),
    reason: why,
    grantId: null,
  });
  if (!decided) throw alreadyAnswered(id, 'reject');
  return (await selectApplication(ctx.db, id))!;
}

/** The applying department withdraws an application nobody has answered yet. */
export async function withdrawApplication(
  ctx: PlatformContext,
  id: string,
): Promise<SharingApplication> {
  const application = await selectApplication(ctx.db, id);
  if (!application) throw notFound(`No sharing application ${id}.`);
  if (application.consumerDepartment !== callerOf(ctx).department) {
    throw forbidden(`Only ${application.consumerDepartment}, which applied, may withdraw ${id}.`);
  }
  const decided = await decideApplication(ctx.db, id, {
    status: 'WITHDRAWN',
    by: actorOf(ctx),
    at: ctx.now.toISOString(),
    reason: null,
    grantId: null,
  });
  if (!decided) throw alreadyAnswered(id, 'withdraw', application.status);
  return (await selectApplication(ctx.db, id))!;
}

async function answerable(
  ctx: PlatformContext,
  id: string,
  verb: string,
): Promise<SharingApplication> {
  const application = await selectApplication(ctx.db, id);
  if (!application) throw notFound(`No sharing application ${id}.`);
  // The provider, or a technical service unit it has authorized to answer applications.
  if (!(await actsFor(ctx, application.providerDepartment, 'ANSWERING_APPLICATIONS'))) {
    throw forbidden(
      `Only ${application.providerDepartment}, which provides ${application.datasetCode}, or a unit it authorizes to answer applications, may ${verb} ${id}.`,
    );
  }
  if (application.status !== 'SUBMITTED') throw alreadyAnswered(id, verb, application.status);
  return application;
}

function alreadyAnswered(id: string, verb: string, status?: string) {
  return conflict(
    `Application ${id} is ${status ?? 'no longer SUBMITTED'}; only a SUBMITTED application can be ${verb === 'withdraw' ? 'withdrawn' : `${verb}d`}. Nothing was changed.`,
  );
}
