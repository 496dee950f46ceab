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
