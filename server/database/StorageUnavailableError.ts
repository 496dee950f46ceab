import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../schema/errors/index.ts';

/**
 * A database stayed locked (or its connections busy) for longer than the
 * configured bound, so the step was given up: nothing was written by it. It is
 * a client error (`UNAVAILABLE`, HTTP 503 when it ends the request) naming the
 * logical database (`platform` or a department code), never a file or host.
 */
export class StorageUnavailableError extends GraphQLError {
  override name = 'StorageUnavailableError';

  constructor(
    readonly database: string,
    readonly waitedMs: number,
  ) {
    const message =
      `The ${database === 'platform' ? 'platform' : `${database} department's`} database is busy ` +
      `(locked by another process) and did not answer within ${waitedMs} ms; nothing was done. ` +
      'Try again shortly; if it persists, tell the platform operator.';
    super(message, { extensions: { code: ErrorCode.UNAVAILABLE, reason: 'STORAGE_BUSY' } });
    // knex prefixes the message of every error a query throws with the SQL and
    // its bound values; this message is written for clients, so it stays as is.
    Object.defineProperty(this, 'message', { get: () => message, set: () => {} });
  }
}
