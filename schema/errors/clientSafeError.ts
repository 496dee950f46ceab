import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from './ErrorCode.ts';

/**
 * Codes whose messages are written for the client: ours (but INTERNAL_SERVER_ERROR)
 * and the GraphQL server's own request errors, which speak only of the request.
 */
const CLIENT_CODES: ReadonlySet<unknown> = new Set<unknown>([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Whether an error with this code was written for the client, and so may be shown as it is. */
export function isClientError(code: unknown): boolean {
  return CLIENT_CODES.has(code);
}

/** Why an error is being hidden from the client: our failure, or a dependency that did not answer. */
export type HiddenErrorKind = 'INTERNAL' | 'UNAVAILABLE';

/**
 * What a client sees in place of an error that was not written for it (a
 * driver's SQL text with bound values, an address, a stack): a code, a message
 * that says what to do, and the request id under which the operator's log has
 * the whole error. The path and locations stay, so the client knows which part
 * of its answer is missing; so does the `serviceName` the gateway adds.
 */
export function clientSafeError(
  formatted: GraphQLFormattedError,
  kind: HiddenErrorKind,
  requestId: string | null,
): GraphQLFormattedError {
  const quote = requestId
    ? ` The operators' log has the details under request id ${requestId}.`
    : " The operators' log has the details.";
  const message =
    kind === 'UNAVAILABLE'
      ? 'A service this answer needs did not respond, so its part is missing. Try again in a moment.'
      : 'This part of the answer failed on our side; nothing about the failure is shown here. Try again later, or report the request id.';
  const serviceName = formatted.extensions?.serviceName;
  return {
    message: message + quote,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: {
      code: kind === 'UNAVAILABLE' ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL_SERVER_ERROR,
      ...(typeof serviceName === 'string' ? { serviceName } : {}),
      ...(requestId ? { requestId } : {}),
    },
  };
}
