import type { DenialReason, SharingMode } from '../../../schema/index.ts';
import type { Grant, RequestIdentity } from '../../../server/index.ts';
import type { PolicySnapshot } from './PolicySnapshot.ts';

/**
 * Whether a caller may use a dataset in a mode, and on what basis. `grants` are
 * the caller's grants that apply right now (valid, mode, purpose, application,
 * the grant named in the request), oldest first: the order every tie between
 * grants is broken in. A CONDITIONAL dataset is allowed only with at least one;
 * an UNCONDITIONAL dataset lists them too, for its CONDITIONAL items.
 */
export type AccessDecision =
  | {
      allowed: true;
      basis: 'PROVIDER' | 'UNCONDITIONAL' | 'GRANT';
      grants: readonly Grant[];
    }
  | { allowed: false; reason: DenialReason; message: string };

export interface AccessQuestion {
  identity: RequestIdentity;
  snapshot: PolicySnapshot;
  dataset: { code: string; department: string };
  mode: SharingMode;
  now: Date;
}

const NO_GRANTS: readonly Grant[] = [];

/**
 * The access semantics of the catalogue, for one dataset and mode:
 * UNCONDITIONAL — any authenticated department; CONDITIONAL — the provider, or a
 * department holding an active grant within all its conditions; NOT_SHARED — the
 * provider only. Anonymous callers read nothing. A dataset with no recorded
 * sharing decision is treated as NOT_SHARED. Items are decided afterwards
 * (`ItemDecider`), quotas by the request (`RequestAccess`), which alone can count.
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
  if (caller.department === dataset.department) {
    return { allowed: true, basis: 'PROVIDER', grants: NO_GRANTS };
  }

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
    case 'UNCONDITIONAL': {
      if (!policy.modes.includes(mode)) {
        return deny(
          'MODE_NOT_ALLOWED',
          `${dataset.code} is not shared in ${mode} mode (modes: ${policy.modes.join(', ')}).`,
        );
      }
      const applicable = applicableGrants(identity, snapshot, dataset.code, mode, now);
      return {
        allowed: true,
        basis: 'UNCONDITIONAL',
        grants: isGrantList(applicable) ? applicable : NO_GRANTS,
      };
    }
    case 'CONDITIONAL': {
      const applicable = applicableGrants(identity, snapshot, dataset.code, mode, now);
      return isGrantList(applicable)
        ? { allowed: true, basis: 'GRANT', grants: applicable }
        : applicable;
    }
  }
}

/**
 * Every grant of the caller on `code` that holds now in `mode` for the declared
 * purpose, oldest first; or, when none does, the denial of the grant that came
 * nearest (the most useful thing to tell the caller).
 */
function applicableGrants(
  identity: RequestIdentity,
  snapshot: PolicySnapshot,
  code: string,
  mode: SharingMode,
  now: Date,
): readonly Grant[] | (AccessDecision & { allowed: false }) {
  const caller = identity.caller!;
  const held = snapshot
    .grantsOf(caller.department, code)
    .filter((g) => g.consumerApplication === null || g.consumerApplication === caller.application);
  if (held.length === 0) {
    return deny(
      'NO_GRANT',
      `${code} is CONDITIONAL: ${caller.department} holds no grant for it. Apply for access through the platform.`,
    );
  }
  const grants = identity.grantId === null ? held : held.filter((g) => g.id === identity.grantId);
  if (grants.length === 0) {
    // The same words whether that grant is another's or none at all: nothing learned of others.
    return deny(
      'NO_GRANT',
      `${code} is CONDITIONAL, and X-Grant-Id names ${identity.grantId}, which is not a grant of ` +
        `${caller.department} on it: name one of its own grants for ${code}, or leave the header out.`,
    );
  }
  const holding: Grant[] = [];
  let nearest: (AccessDecision & { allowed: false }) | undefined;
  for (const grant of grants) {
    const refusal = checkGrant(grant, identity, mode, now);
    if (!refusal) holding.push(grant);
    else if (!nearest || rank(refusal) > rank(nearest)) nearest = refusal;
  }
  if (holding.length === 0) return nearest!;
  return holding.sort(olderFirst);
}

function isGrantList(value: readonly Grant[] | AccessDecision): value is readonly Grant[] {
  return Array.isArray(value);
}

/** Grants in the order ties are broken in: created first, then by id. */
export function olderFirst(a: Grant, b: Grant): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Failures further down the checks are more useful to report: the grant nearly fits. */
const ORDER: readonly DenialReason[] = [
  'NO_GRANT',
  'GRANT_EXPIRED',
  'GRANT_NOT_YET_VALID',
  'MODE_NOT_ALLOWED',
  'PURPOSE_NOT_ALLOWED',
];
const rank = (d: { reason: DenialReason }) => ORDER.indexOf(d.reason);

/** Why `grant` does not hold for this request now, or null when it does. */
function checkGrant(
  grant: Grant,
  identity: RequestIdentity,
  mode: SharingMode,
  now: Date,
): (AccessDecision & { allowed: false }) | null {
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
  return null;
}

function deny(reason: DenialReason, message: string): AccessDecision & { allowed: false } {
  return { allowed: false, reason, message };
}
