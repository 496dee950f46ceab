import { ROLES, type Role } from '../identity/RequestIdentity.ts';

/** Bounds on one operation, checked at the gateway before it is planned. */
export interface OperationLimits {
  /** Deepest nesting of selections (introspection not counted). */
  depth: number;
  /** Aliased fields, fragments included. */
  aliases: number;
  /** Fields at the top of the operation, aliases counted one by one. */
  rootFields: number;
  /** Directives anywhere in the operation. */
  directives: number;
  /** Lexical tokens of the whole document. */
  tokens: number;
  /** Estimated records read: list sizes × nested selections, lookups, joins, verifications. */
  cost: number;
}

/** A consumer's share per second, counted across every gateway replica. */
export interface RateLimits {
  requestsPerSecond: number;
  costPerSecond: number;
}

/**
 * A consumer's share of one gateway process at a time (admission control):
 * requests it may have in flight, their estimated cost together, and how many
 * more may wait for room (the wait itself is bounded by `AdmissionBounds`).
 */
export interface InFlightLimits {
  inFlight: number;
  costInFlight: number;
  queued: number;
}

export type CallerLimits = OperationLimits & RateLimits & InFlightLimits;

export const LIMIT_NAMES = [
  'depth',
  'aliases',
  'rootFields',
  'directives',
  'tokens',
  'cost',
  'requestsPerSecond',
  'costPerSecond',
  'inFlight',
  'costInFlight',
  'queued',
] as const satisfies readonly (keyof CallerLimits)[];

/** The limits every caller is held to, by who it is. */
export interface LimitsConfig {
  anonymous: CallerLimits;
  authenticated: CallerLimits;
  /** Changes for callers holding a role; a caller with several gets the largest of each. */
  roles: Partial<Record<Role, Partial<CallerLimits>>>;
  /**
   * Changes for a department (`tax`) or one of its applications (`tax/levy-app`),
   * applied after the roles' (the application's after its department's).
   */
  applications: Record<string, Partial<CallerLimits>>;
  /** Largest response body the gateway sends, in bytes. */
  responseMaxBytes: number;
  /** Trusted-documents mode: the JSON safelist file, or null to accept any document. */
  trustedDocumentsFile: string | null;
  /** The second line: bounds each subgraph enforces on what reaches it. */
  subgraph: { depth: number; aliases: number };
  /** What one gateway process runs at once, whoever asks; consumers' shares are in their limits. */
  admission: AdmissionBounds;
}

/** Bounds of one gateway process, over every consumer together. */
export interface AdmissionBounds {
  /** Requests in flight at once. */
  inFlight: number;
  /** Their estimated cost together (an operation costlier than this runs alone). */
  costInFlight: number;
  /** Requests waiting for room, all consumers together. */
  queued: number;
  /** Longest a request waits for room before it is refused with 429. */
  queueWaitMs: number;
}

/**
 * The documented defaults (README, "Admission"), sized on a 2-core machine
 * running the whole platform in one process: one of the costliest operations
 * the authenticated limits allow in flight at a time (a second one in flight
 * served fewer a second and slowed other callers' lookups sevenfold), with
 * many light ones beside it.
 */
export const DEFAULT_ADMISSION: AdmissionBounds = {
  inFlight: 64,
  costInFlight: 10_000,
  queued: 1000,
  queueWaitMs: 3000,
};

/** The documented defaults (README, "Operation limits"). */
export const DEFAULT_LIMITS: Pick<LimitsConfig, 'anonymous' | 'authenticated'> = {
  anonymous: {
    depth: 6,
    aliases: 10,
    rootFields: 5,
    directives: 5,
    tokens: 1000,
    cost: 2500,
    requestsPerSecond: 50,
    costPerSecond: 20_000,
    inFlight: 2,
    costInFlight: 2500,
    queued: 8,
  },
  authenticated: {
    depth: 10,
    aliases: 30,
    rootFields: 20,
    directives: 20,
    tokens: 3000,
    cost: 10_000,
    requestsPerSecond: 500,
    costPerSecond: 200_000,
    inFlight: 4,
    costInFlight: 10_000,
    queued: 32,
  },
};

/**
 * Reads `name=value,name=value` (e.g. `depth=8,cost=5000`) into limits; throws
 * an Error saying what is wrong, for the caller to report with the variable.
 */
export function parseLimitList(text: string): Partial<CallerLimits> {
  const limits: Partial<CallerLimits> = {};
  for (const part of text.split(',').map((p) => p.trim())) {
    if (part === '') continue;
    const match = /^(\w+)\s*=\s*(\d{1,9})$/.exec(part);
    if (!match) throw new Error(`"${part}" is not name=whole number`);
    const name = match[1] as keyof CallerLimits;
    if (!LIMIT_NAMES.includes(name)) {
      throw new Error(`"${match[1]}" is not a limit; limits are ${LIMIT_NAMES.join(', ')}`);
    }
    const value = Number(match[2]);
    if (value < 1) throw new Error(`${name} must be at least 1`);
    limits[name] = value;
  }
  return limits;
}

/**
 * Reads `KEY:name=value,...;KEY:...` (e.g. `ADMIN:cost=20000;REVIEWER:depth=12`)
 * into changes by key; `key` checks each key.
 */
export function parseKeyedLimits(
  text: string,
  key: (name: string) => string | null,
): Record<string, Partial<CallerLimits>> {
  const byKey: Record<string, Partial<CallerLimits>> = {};
  for (const entry of text.split(';').map((e) => e.trim())) {
    if (entry === '') continue;
    const colon = entry.indexOf(':');
    if (colon < 1) throw new Error(`"${entry}" is not KEY:name=value,...`);
    const name = entry.slice(0, colon).trim();
    const problem = key(name);
    if (problem) throw new Error(problem);
    byKey[name] = { ...byKey[name], ...parseLimitList(entry.slice(colon + 1)) };
  }
  return byKey;
}

/** A role name's problem, or null when it is one. */
export function roleProblem(name: string): string | null {
  return ROLES.includes(name as Role)
    ? null
    : `"${name}" is not a role; roles are ${ROLES.join(', ')}`;
}

/** A `department` or `department/application` key's problem, or null when it is one. */
export function applicationProblem(name: string): string | null {
  return /^[a-z][a-z0-9_]{0,63}(\/[^\s/;:,]{1,100})?$/.test(name)
    ? null
    : `"${name}" is not department or department/application`;
}
