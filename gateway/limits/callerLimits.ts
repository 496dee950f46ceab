import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
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
 * network address — for IPv6, its /64 (see `addressBlock`). Long keys are
 * hashed to fit the shared counter's column.
 */
export function consumerKey(caller: Caller | null, clientAddress: string | null): string {
  const key = caller
    ? `consumer:${caller.department}/${caller.application ?? '-'}`
    : `anonymous:${addressBlock(clientAddress)}`;
  return key.length <= 120 ? key : `hashed:${createHash('sha256').update(key).digest('hex')}`;
}

/**
 * The addresses one anonymous share covers: an IPv4 address itself (an
 * IPv4-mapped IPv6 one as IPv4), and for IPv6 the /64 it lies in — one
 * network is given a /64 at least, so counting each of its 2^64 addresses
 * apart would give one client as many shares as it cares to use.
 */
export function addressBlock(address: string | null): string {
  if (address === null || address === '') return 'unknown';
  const bare = address.split('%')[0]!.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (mapped) return mapped[1]!;
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return bare;
  const [head = '', tail] = bare.split('::') as [string, string | undefined];
  const groups = (part: string) =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [group];
          const [a, b, c, d] = group.split('.').map(Number) as [number, number, number, number];
          return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
        });
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${all
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
