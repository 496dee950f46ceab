import { randomUUID } from 'node:crypto';
import {
  badUserInput,
  conflict,
  forbidden,
  notFound,
  type CatalogueEntry,
} from '../../../schema/index.ts';
import {
  newGrant,
  inTransaction,
  insertGrant,
  revokeGrant,
  selectGrant,
  updateGrant,
  type Grant,
} from '../../../server/index.ts';
import { actorFor, actorOf, callerOf, type PlatformContext } from '../api/PlatformContext.ts';
import { insertGrantChange, selectApplicationOfGrant, selectGrantChanges } from '../store/index.ts';
import {
  checkGrantConditions,
  checkWithinApplication,
  type GrantConditions,
  type GrantConditionsInput,
} from './grantConditions.ts';

/** The published entry of a dataset, or a clear error. */
export function publishedEntry(ctx: PlatformContext, code: string): CatalogueEntry {
  const entry = ctx.catalogue.catalogue.entry(code);
  if (!entry) throw notFound(`No published catalogue entry ${code}.`);
  return entry;
}

/** Creates a grant and records the change; used by admins and by approvals. */
export async function createGrant(
  ctx: PlatformContext,
  input: {
    consumerDepartment: string;
    consumerApplication?: string | null;
    dataset: string;
    conditions: GrantConditionsInput;
  },
  reason: string,
): Promise<Grant> {
  const why = requireReason(reason);
  const entry = publishedEntry(ctx, input.dataset);
  if (input.consumerDepartment === entry.department) {
    throw badUserInput(
      `${entry.department} provides ${entry.code}; a provider needs no grant for its own data.`,
      'consumerDepartment',
    );
  }
  refuseOwnBenefit(ctx, input.consumerDepartment, 'grant access to');
  const conditions = checkGrantConditions(entry, input.conditions, ctx.settings.timeZone);
  const now = ctx.now.toISOString();
  const grant = newGrant(
    {
      id: `G-${randomUUID()}`,
      consumerDepartment: input.consumerDepartment,
      consumerApplication: input.consumerApplication ?? null,
      datasetCode: entry.code,
      ...conditions,
    },
    actorFor(ctx, entry.department),
    ctx.now,
  );
  await inTransaction(ctx.db, async (trx) => {
    await insertGrant(trx, grant);
    await insertGrantChange(trx, {
      grantId: grant.id,
      action: 'CREATE',
      actor: grant.createdBy,
      at: now,
      reason: why,
      before: null,
      after: grant,
    });
  });
  return grant;
}

/**
 * What a change takes away of the conditions a provider set on approving:
 * a mask or row condition removed or changed, a quota or verification limit
 * lifted or raised. Items left out of the grant take their masks with them;
 * an item granted again comes back under its approved mask.
 */
function loosenedFromApproval(before: Grant, after: GrantConditions): string[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const loosened: string[] = [];
  for (const [item, mask] of Object.entries(before.masks)) {
    if (after.items.includes(item) && !same(after.masks[item], mask)) {
      loosened.push(`the mask on ${item} (${mask.rule})`);
    }
  }
  for (const [item, condition] of Object.entries(before.rowFilter ?? {})) {
    if (!same(after.rowFilter?.[item], condition)) loosened.push(`the row condition on ${item}`);
  }
  const raised = (was: number | null, is: number | null) =>
    was !== null && (is === null || is > was);
  if (raised(before.dailyQuota, after.dailyQuota)) {
    loosened.push(`the daily quota of ${before.dailyQuota}`);
  }
  if (raised(before.verifyLimitPerRecord, after.verifyLimitPerRecord)) {
    loosened.push(`the verification limit of ${before.verifyLimitPerRecord} per record`);
  }
  return loosened;
}

/**
 * Nobody decides access for their own department: an admin or a provider's
 * service unit of the consuming department could otherwise give it whatever it
 * asked for. Another office member, or the provider, decides instead.
 */
function refuseOwnBenefit(ctx: PlatformContext, consumer: string, doing: string): void {
  if (callerOf(ctx).department !== consumer) return;
  throw forbidden(
    `${actorOf(ctx)} may not ${doing} ${consumer}, its own department: someone of another department must decide it.`,
    'a decider outside the consuming department',
  );
}

/**
 * Changes a grant's conditions if it is still at `expectedVersion`; otherwise
 * refuses, naming the current version, so an admin never overwrites a change
 * they have not seen.
 */
export async function changeGrant(
  ctx: PlatformContext,
  id: string,
  expectedVersion: number,
  input: GrantConditionsInput,
  reason: string,
): Promise<Grant> {
  const why = requireReason(reason);
  const before = await selectGrant(ctx.db, id);
  if (!before) throw notFound(`No grant ${id}.`);
  const stale = () =>
    conflict(
      `Grant ${id} is at version ${before.version}, not ${expectedVersion}: someone changed it since you read it. Reload it and apply your change to version ${before.version}.`,
      { currentVersion: before.version },
    );
  if (before.version !== expectedVersion) throw stale();
  if (before.status !== 'ACTIVE')
    throw conflict(`Grant ${id} is ${before.status}; only an active grant can be changed.`);
  refuseOwnBenefit(ctx, before.consumerDepartment, 'change a grant of');
  const now = ctx.now.toISOString();
  if (before.validUntil <= now) {
    throw conflict(
      `Grant ${id} ended on ${before.validUntil}; an ended grant is not brought back by editing it. The consumer applies again.`,
    );
  }
  const entry = publishedEntry(ctx, before.datasetCode);
  const conditions = checkGrantConditions(entry, input, ctx.settings.timeZone);
  // A grant made on an application stays within it, and within what the provider approved.
  const application = await selectApplicationOfGrant(ctx.db, id);
  if (application) {
    checkWithinApplication(entry, application, input, ctx.settings.timeZone, 'change');
    // Against the grant as approved, not as last edited: else one edit drops a masked item and
    // the next adds it back unmasked.
    const approved =
      (await selectGrantChanges(ctx.db, id)).find((c) => c.action === 'CREATE')?.after ?? before;
    const loosened = loosenedFromApproval(approved, conditions);
    if (loosened.length > 0) {
      throw badUserInput(
        `Grant ${id} was approved by ${application.providerDepartment} on ${application.id}; a change may add conditions but not take away what the provider set:\n- ${loosened.join('\n- ')}\nKeep them, or ask the consumer to apply again.`,
        'conditions',
      );
    }
  }
  const after: Grant = { ...before, ...conditions, version: before.version + 1, updatedAt: now };
  await inTransaction(ctx.db, async (trx) => {
    if (!(await updateGrant(trx, after, expectedVersion))) throw stale();
    await insertGrantChange(trx, {
      grantId: id,
      action: 'UPDATE',
      actor: actorOf(ctx),
      at: now,
      reason: why,
      before,
      after,
    });
  });
  return after;
}

/** Revokes an active grant, saying why; in force at every subgraph within seconds. */
export async function withdrawGrant(
  ctx: PlatformContext,
  id: string,
  reason: string,
): Promise<Grant> {
  const why = requireReason(reason);
  const before = await selectGrant(ctx.db, id);
  if (!before) throw notFound(`No grant ${id}.`);
  const actor = actorOf(ctx);
  await inTransaction(ctx.db, async (trx) => {
    if (!(await revokeGrant(trx, id, actor, why, ctx.now))) {
      throw conflict(`Grant ${id} is ${before.status}; only an active grant can be revoked.`);
    }
    const after = await selectGrant(trx, id);
    await insertGrantChange(trx, {
      grantId: id,
      action: 'REVOKE',
      actor,
      at: ctx.now.toISOString(),
      reason: why,
      before,
      after: after ?? null,
    });
  });
  return (await selectGrant(ctx.db, id))!;
}

/** A reason that says something: trimmed, not empty, not huge. */
export function requireReason(reason: string, argument = 'reason'): string {
  const text = reason.trim();
  if (text === '') throw badUserInput(`${argument} must not be empty: say why.`, argument);
  if (text.length > 2000)
    throw badUserInput(`${argument} is longer than 2000 characters.`, argument);
  return text;
}
