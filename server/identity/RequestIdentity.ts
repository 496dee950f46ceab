/** A department's code: lower-case letters, digits and `_`, starting with a letter. */
export const DEPARTMENT_CODE = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Whose daily budgets (key probes, verifications of one record) a caller of
 * `department` spends. A department of this platform spends its own. A
 * consumer of a linked platform is named by that platform (`<link>:<dept>`,
 * see `verifyLinkToken`), which could name a new department for every
 * day's budget: the consumers of one link share one, `<link>:*`.
 */
export function budgetHolderOf(department: string): string {
  const link = department.indexOf(':');
  return link < 0 ? department : `${department.slice(0, link)}:*`;
}

/** Roles a caller's credential may carry. */
export const ROLES = ['APP_DEVELOPER', 'DEPT_IT', 'REVIEWER', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** An authenticated caller: a department, optionally one of its applications and a user. */
export interface Caller {
  department: string;
  application: string | null;
  user: string | null;
  roles: readonly Role[];
}

/**
 * Who is asking and why, as the gateway established it and forwards it to
 * subgraphs. `caller` is null for anonymous requests.
 */
export interface RequestIdentity {
  caller: Caller | null;
  /** The purpose the caller declared for this request, if any. */
  purpose: string | null;
  /** The grant the caller asked to use, if it named one. */
  grantId: string | null;
  /** The platform's own id of this request (a UUID the gateway made); audit records carry it. */
  requestId: string;
  /**
   * The client's own id for the request (its `X-Request-Id`), kept apart from
   * `requestId` so that it can link records to the client's logs but never
   * merge or hide the platform's count of requests; null when none was sent.
   */
  correlationId: string | null;
  operationName: string | null;
}

/**
 * The roles of the data management office: reviewing the catalogue, editing
 * access rules, reading every department's audit trail. A department's own
 * identity provider (or its admin) could otherwise hand them to anyone.
 */
export const OFFICE_ROLES: readonly Role[] = ['REVIEWER', 'ADMIN'];

/** The office departments of a platform that sets none (`OFFICE_DEPARTMENTS`). */
export const DEFAULT_OFFICE_DEPARTMENTS: readonly string[] = ['data_office'];

/**
 * Why a credential giving `roles` to `department` is refused, or null: the
 * office roles belong to the platform's office departments alone, whatever
 * the credential's issuer says.
 */
export function officeRoleProblem(
  department: string,
  roles: readonly Role[],
  officeDepartments: readonly string[],
): string | null {
  const claimed = roles.filter((role) => OFFICE_ROLES.includes(role));
  if (claimed.length === 0 || officeDepartments.includes(department)) return null;
  return (
    `${claimed.join(' and ')} ${claimed.length === 1 ? 'is a role' : 'are roles'} of the data management office ` +
    `(${officeDepartments.join(', ')}) on this platform, not of ${department}. ` +
    'Ask for a credential without it; the platform sets its office departments with OFFICE_DEPARTMENTS.'
  );
}

/**
 * Why an API key carrying `roles` is refused, or null. A key is an
 * application's credential, with no person behind it: the office roles —
 * reviewing, deciding grants — are a signed-in person's, whatever the
 * department, so that two decisions are never one person with two keys.
 */
export function keyRoleProblem(roles: readonly Role[]): string | null {
  const claimed = roles.filter((role) => OFFICE_ROLES.includes(role));
  if (claimed.length === 0) return null;
  return `an API key never carries ${claimed.join(' or ')}: reviews and grants are decided by people signed in with their own token.`;
}
