import type { CatalogueItem, DenialReason, SharingMode } from '../../../schema/index.ts';
import type { Grant, GrantMask, RequestIdentity } from '../../../server/index.ts';
import type { PolicySnapshot } from './PolicySnapshot.ts';

/** Whether a caller may use a dataset in a mode, and on what basis. */
export type AccessDecision =
  | { allowed: true; basis: 'PROVIDER' | 'UNCONDITIONAL' | 'GRANT'; grant: Grant | null }
  | { allowed: false; reason: DenialReason; message: string };

/** What a caller gets of one item once the dataset is allowed. */
export type ItemAccess =
  | { kind: 'READ' }
  | { kind: 'MASK'; mask: GrantMask }
  | { kind: 'DENY'; reason: DenialReason; message: string };

const READ: ItemAccess = { kind: 'READ' };

export interface AccessQuestion {
  identity: RequestIdentity;
  snapshot: PolicySnapshot;
  dataset: { code: string; department: string };
  mode: SharingMode;
  now: Date;
}

/**
 * The access semantics of the catalogue, for one dataset and mode:
 * UNCONDITIONAL — any authenticated department; CONDITIONAL — the provider, or a
 * department holding an active grant within all its conditions; NOT_SHARED — the
 * provider only. Anonymous callers read nothing. A dataset with no recorded
 * sharing decision is treated as NOT_SHARED. Quotas are checked by the caller
 * of this function, which alone can count.
 */
export function decideAccess({
  identity,
  snapshot,
  dataset,
  mode,
  now,
}: AccessQuestion): AccessDecision {
  const caller = identity.caller;
  if (!caller) {
    return deny(
      'UNAUTHENTICATED',
      `Sign in to read ${dataset.code}: send a bearer token or an API key.`,
    );
  }
  if (caller.department === dataset.department)
    return { allowed: true, basis: 'PROVIDER', grant: null };

  const policy = snapshot.policy(dataset.code);
  if (!policy) {
    return deny(
      'NOT_SHARED',
      `${dataset.code} has no sharing decision yet; it is not shared until it has one.`,
    );
  }
  switch (policy.sharingType) {
    case 'NOT_SHARED':
      return deny('NOT_SHARED', `${dataset.code} is not shared outside ${dataset.department}.`);
    case 'UNCONDITIONAL':
      return policy.modes.includes(mode)
        ? { allowed: true, basis: 'UNCONDITIONAL', grant: null }
        : deny(
            'MODE_NOT_ALLOWED',
            `${dataset.code} is not shared in ${mode} mode (modes: ${policy.modes.join(', ')}).`,
          );
    case 'CONDITIONAL':
      return decideByGrant(identity, snapshot, dataset.code, mode, now);
  }
}

function decideByGrant(
  identity: RequestIdentity,
  snapshot: PolicySnapshot,
  code: string,
  mode: SharingMode,
  now: Date,
): AccessDecision {
  const caller = identity.caller!;
  let grants = snapshot
    .grantsOf(caller.department, code)
    .filter((g) => g.consumerApplication === null || g.consumerApplication === caller.application);
  if (identity.grantId !== null) grants = grants.filter((g) => g.id === identity.grantId);
  if (grants.length === 0) {
    const named = identity.grantId ? ` Grant ${identity.grantId} is not one of them.` : '';
    return deny(
      'NO_GRANT',
      `${code} is CONDITIONAL: ${caller.department} holds no grant for it.${named} Apply for access through the platform.`,
    );
  }
  let best: AccessDecision | undefined;
  for (const grant of grants) {
    const decision = checkGrant(grant, identity, mode, now);
    if (decision.allowed) return decision;
    if (!best || rank(decision) > rank(best)) best = decision;
  }
  return best!;
}

/** Failures further down the checks are more useful to report: the grant nearly fits. */
const ORDER: readonly DenialReason[] = [
  'NO_GRANT',
  'GRANT_EXPIRED',
  'GRANT_NOT_YET_VALID',
  'MODE_NOT_ALLOWED',
  'PURPOSE_NOT_ALLOWED',
];
const rank = (d: AccessDecision) => (d.allowed ? ORDER.length : ORDER.indexOf(d.reason));

function checkGrant(
  grant: Grant,
  identity: RequestIdentity,
  mode: SharingMode,
  now: Date,
): AccessDecision {
  const time = now.toISOString();
  if (grant.status === 'REVOKED') {
    return deny(
      'NO_GRANT',
      `Grant ${grant.id} was revoked at ${grant.revokedAt ?? 'an earlier time'}: ${grant.revokedReason ?? 'no reason given'}.`,
    );
  }
  if (time >= grant.validUntil)
    return deny('GRANT_EXPIRED', `Grant ${grant.id} expired at ${grant.validUntil}.`);
  if (time < grant.validFrom)
    return deny('GRANT_NOT_YET_VALID', `Grant ${grant.id} is valid from ${grant.validFrom}.`);
  if (!grant.modes.includes(mode)) {
    return deny(
      'MODE_NOT_ALLOWED',
      `Grant ${grant.id} allows ${grant.modes.join(', ')}, not ${mode}.`,
    );
  }
  if (identity.purpose === null || !grant.purposes.includes(identity.purpose)) {
    const declared =
      identity.purpose === null
        ? 'no purpose was declared'
        : `"${identity.purpose}" is not one of them`;
    return deny(
      'PURPOSE_NOT_ALLOWED',
      `Grant ${grant.id} allows the purposes ${grant.purposes.join(', ')}; ${declared}. Declare one with the X-Purpose header.`,
    );
  }
  return { allowed: true, basis: 'GRANT', grant };
}

/** What the caller gets of `item`, given an allowing dataset decision. */
export function decideItem(
  decision: AccessDecision & { allowed: true },
  item: CatalogueItem,
): ItemAccess {
  const grant = decision.grant;
  if (!grant || item.isKey) return READ;
  if (!grant.items.includes(item.name)) {
    return {
      kind: 'DENY',
      reason: 'NO_GRANT',
      message: `Item ${item.name} is not among the items of grant ${grant.id} (${grant.items.join(', ')}).`,
    };
  }
  const mask = grant.masks[item.name];
  return mask ? { kind: 'MASK', mask } : READ;
}

function deny(reason: DenialReason, message: string): AccessDecision {
  return { allowed: false, reason, message };
}
