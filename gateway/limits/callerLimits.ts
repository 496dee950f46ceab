import { createHash } from 'node:crypto';
import type { CallerLimits, Caller, LimitsConfig } from '../../server/index.ts';

/**
 * The limits `caller` is held to: the anonymous ones without a credential;
 * otherwise the authenticated ones, changed by each of the caller's roles (the
 * largest value of any role wins), then by its department's entry, then by its
 * application's (`department/application`).
 */
export function limitsFor(config: LimitsConfig, caller: Caller | null): CallerLimits {
  if (!caller) return config.anonymous;
  const limits = { ...config.authenticated };
  const byRoles: Partial<CallerLimits> = {};
  for (const role of caller.roles) {
    for (const [name, value] of Object.entries(config.roles[role] ?? {})) {
      const key = name as keyof CallerLimits;
      byRoles[key] = Math.max(byRoles[key] ?? 0, value);
    }
  }
  Object.assign(limits, byRoles, config.applications[caller.department]);
  if (caller.application) {
    Object.assign(limits, config.applications[`${caller.department}/${caller.application}`]);
  }
  return limits;
}

/**
 * Whose share a request counts against: an authenticated caller's department
 * and application (`dept/app`, or `dept/-` without one), an anonymous caller's
 * network address. Long keys are hashed to fit the shared counter's column.
 */
export function consumerKey(caller: Caller | null, clientAddress: string | null): string {
  const key = caller
    ? `consumer:${caller.department}/${caller.application ?? '-'}`
    : `anonymous:${clientAddress ?? 'unknown'}`;
  return key.length <= 120 ? key : `hashed:${createHash('sha256').update(key).digest('hex')}`;
}
