import type { ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { clientSafeError, ErrorCode, isClientError } from '../../schema/errors/index.ts';
import type { Logger } from '../logging/index.ts';
import { sendJson } from './sendJson.ts';

/** The HTTP status of each client error code outside GraphQL (plain routes: exports). */
const STATUS: Partial<Record<string, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.UNAVAILABLE]: 503,
};

/**
 * Answers a plain route's failure as GraphQL errors are answered: `{ errors:
 * [{ message, extensions: { code, …, requestId } }] }`, with the status of
 * the code. An error not written for the client (a driver's, a bug) is logged
 * whole under the request id and answered 500 with a message that says what
 * to do and nothing of the failure.
 */
export function sendError(
  res: ServerResponse,
  error: unknown,
  requestId: string | null,
  logger?: Logger,
): void {
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  if (error instanceof GraphQLError && isClientError(code)) {
    const extensions: Record<string, unknown> = { ...error.extensions };
    // The status and headers the error asks for (Retry-After on a 429), as Apollo Server sends a
    // GraphQL error's.
    const http = extensions.http as { status?: unknown; headers?: unknown } | undefined;
    if (http?.headers instanceof Map) {
      for (const [name, value] of http.headers as Map<string, string>) res.setHeader(name, value);
    }
    delete extensions.http;
    const status = typeof http?.status === 'number' ? http.status : STATUS[code as string];
    sendJson(res, status ?? 400, {
      errors: [{ message: error.message, extensions: { ...extensions, requestId } }],
    });
    return;
  }
  logger?.error({ err: error, requestId }, 'route failed');
  sendJson(res, 500, {
    errors: [clientSafeError({ message: '' }, 'INTERNAL', requestId)],
  });
}
