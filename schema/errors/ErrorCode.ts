/**
 * The one registry of error codes a client can see in `errors[].extensions.code`.
 * Every client-visible error carries one of these, so a caller can branch on it.
 */
export const ErrorCode = {
  /** The request's arguments are wrong; the message says which and what is allowed. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** No valid credential was presented. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The caller is known but the catalogue's sharing rules do not allow this. */
  FORBIDDEN: 'FORBIDDEN',
  /** The thing is not in a state that allows this (approving twice, a stale version); nothing changed. */
  CONFLICT: 'CONFLICT',
  /** The request is well formed but asks for something that does not exist. */
  NOT_FOUND: 'NOT_FOUND',
  /** A dependency (database, audit store, subgraph) did not answer; nothing was served. */
  UNAVAILABLE: 'UNAVAILABLE',
  /**
   * The operation is larger than the caller may send (depth, aliases, root fields,
   * directives, tokens, estimated cost, response size); `limit` names which,
   * `measured` and `maximum` say by how much. Nothing was planned or fetched.
   */
  OPERATION_LIMIT: 'OPERATION_LIMIT',
  /**
   * The caller sent more requests, or more estimated cost, per second than its
   * share, or more at once than its share of a gateway (or the gateway) has room
   * for (HTTP 429, with `Retry-After`); `limit` names which; nothing was planned
   * or fetched.
   */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The gateway serves only trusted documents, and this operation is not on the caller's safelist. */
  OPERATION_NOT_TRUSTED: 'OPERATION_NOT_TRUSTED',
  /** A bug on our side; the message carries no internals, the log does. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
