import { GraphQLError } from 'graphql';
import { ErrorCode } from './ErrorCode.ts';

/** The limits an operation is measured against before it is planned. */
export type OperationLimitName =
  'depth' | 'aliases' | 'rootFields' | 'directives' | 'tokens' | 'cost' | 'responseBytes';

/** The per-second shares a consumer is held to. */
export type RateLimitName = 'requestsPerSecond' | 'costPerSecond';

/** What each limit measures and what a caller over it can do instead. */
const OPERATION_LIMITS: Record<OperationLimitName, { what: string; todo: string }> = {
  depth: {
    what: 'nesting depth',
    todo: 'Nest fewer selections: fetch the inner records in a second request, by their keys.',
  },
  aliases: {
    what: 'number of aliases',
    todo: 'Use fewer aliases: ask one list with a filter (e.g. `in`) instead of one aliased lookup per record.',
  },
  rootFields: {
    what: 'number of top-level fields',
    todo: 'Ask for fewer top-level fields in one operation, or split it into several requests.',
  },
  directives: {
    what: 'number of directives',
    todo: 'Use fewer directives (@include, @skip) in one operation.',
  },
  tokens: {
    what: 'document size in tokens',
    todo: 'Send a shorter document: repeat selections through fragments and pass values as variables.',
  },
  cost: {
    what: 'estimated cost (records it may read: list sizes × nested selections, lookups, verifications)',
    todo: 'Ask for fewer records: lower `first` and page with `after`, or select fewer nested lists.',
  },
  responseBytes: {
    what: 'response size in bytes',
    todo: 'Ask for fewer records or items per request and page through the rest.',
  },
};

export interface OperationLimitDetails {
  limit: OperationLimitName;
  measured: number;
  maximum: number;
  /** True when measuring stopped past the limit: `measured` is a lower bound. */
  measuredAtLeast?: boolean;
  /**
   * For an anonymous caller, a signed-in caller's limit where it is higher: the
   * message says that signing in is another way through.
   */
  signedInMaximum?: number;
  /** Null where the request id is not known yet (a subgraph's validation). */
  requestId: string | null;
}

/**
 * The error an operation over one of the caller's limits is refused with (HTTP
 * 400): `limit` names it, `measured` and `maximum` say by how much, and the
 * message what to send instead. Nothing was planned or fetched.
 */
export function operationLimitExceeded(details: OperationLimitDetails): GraphQLError {
  const { limit, measured, maximum, requestId } = details;
  const { what, todo } = OPERATION_LIMITS[limit];
  const size = details.measuredAtLeast ? `at least ${measured}` : String(measured);
  const signIn =
    details.signedInMaximum !== undefined && details.signedInMaximum > maximum
      ? ` Or sign in (a bearer token or an API key): a signed-in caller's limit is ${details.signedInMaximum}.`
      : '';
  return new GraphQLError(
    `The operation's ${what} is ${size}, over this caller's limit of ${maximum}. ${todo}${signIn}`,
    {
      extensions: {
        code: ErrorCode.OPERATION_LIMIT,
        limit,
        measured,
        maximum,
        ...(requestId ? { requestId } : {}),
        http: { status: 400 },
      },
    },
  );
}

export interface RateLimitDetails {
  limit: RateLimitName;
  /** The consumer's share per second. */
  maximum: number;
  /** Whole seconds until the share is renewed. */
  retryAfterSeconds: number;
  requestId: string;
}

/**
 * The error a request over its consumer's per-second share is refused with:
 * HTTP 429 with `Retry-After`. Nothing was planned or fetched.
 */
export function rateLimited(details: RateLimitDetails): GraphQLError {
  const { limit, maximum, retryAfterSeconds, requestId } = details;
  const what = limit === 'requestsPerSecond' ? 'requests' : 'estimated cost';
  return new GraphQLError(
    `Too many ${what} per second from this consumer (its share is ${maximum} a second, ` +
      `shared by every gateway). Retry after ${retryAfterSeconds} s, and spread or batch requests.`,
    {
      extensions: {
        code: ErrorCode.RATE_LIMITED,
        limit,
        maximum,
        retryAfter: retryAfterSeconds,
        requestId,
        http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
      },
    },
  );
}

/** The error of a document that is not on the caller's safelist, in trusted-documents mode. */
export function operationNotTrusted(requestId: string): GraphQLError {
  return new GraphQLError(
    'This gateway answers trusted documents only, and this operation is not on your ' +
      "application's safelist. Send an operation from the safelist (its hash in " +
      'extensions.persistedQuery.sha256Hash), or ask the platform operators to add this one.',
    {
      extensions: { code: ErrorCode.OPERATION_NOT_TRUSTED, requestId, http: { status: 403 } },
    },
  );
}

/**
 * The error of a document whose operation to run is not known (HTTP 400): it
 * has several and `operationName` names none of them, or names one it lacks.
 */
export function operationNotChosen(operationName: string | null, requestId: string): GraphQLError {
  const message =
    operationName === null
      ? 'The document has more than one operation: name the one to run in operationName.'
      : 'The document has no operation of that operationName: give the name of one of its operations, or leave operationName out when it has only one.';
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, requestId, http: { status: 400 } },
  });
}
