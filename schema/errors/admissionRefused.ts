import { GraphQLError } from 'graphql';
import { ErrorCode } from './ErrorCode.ts';

/**
 * The bounds a gateway process admits requests under: a consumer's share of it
 * (`inFlight`, `costInFlight`) and the process's own (`gatewayInFlight`,
 * `gatewayCostInFlight`).
 */
export type InFlightLimitName =
  'inFlight' | 'costInFlight' | 'gatewayInFlight' | 'gatewayCostInFlight';

/** Why a request was not admitted: a queue was full, or it waited its longest. */
export type AdmissionLimitName = 'queued' | 'gatewayQueued' | 'queueWaitMs';

export interface AdmissionRefusalDetails {
  limit: AdmissionLimitName;
  /** The limit's value: requests a queue holds, or milliseconds a request may wait. */
  maximum: number;
  /** The bound the request was waiting on when it was refused. */
  waitingOn: InFlightLimitName;
  /** Whole seconds after which a retry may find room. */
  retryAfterSeconds: number;
  requestId: string;
}

const REASONS: Record<AdmissionLimitName, (maximum: number) => string> = {
  queued: (maximum) =>
    `This consumer already has as many requests in flight on this gateway as its share allows, ` +
    `and ${maximum} more waiting (its queue is full).`,
  gatewayQueued: (maximum) =>
    `This gateway is at capacity: ${maximum} requests of all consumers are already waiting.`,
  queueWaitMs: (maximum) =>
    `This request waited ${maximum} ms for room on this gateway, its longest.`,
};

const WAITING_ON: Record<InFlightLimitName, string> = {
  inFlight: "this consumer's requests in flight",
  costInFlight: "the estimated cost of this consumer's requests in flight",
  gatewayInFlight: "the gateway's requests in flight, all consumers together",
  gatewayCostInFlight: 'the estimated cost in flight on the gateway, all consumers together',
};

/**
 * The error a request is refused with when its consumer's share of a gateway
 * process (or the process itself) is busy and the request cannot wait: HTTP
 * 429 with `Retry-After`, code RATE_LIMITED, `limit` naming the queue or the
 * wait bound, and `waitingOn` the bound that was full. Nothing was planned or
 * fetched.
 */
export function admissionRefused(details: AdmissionRefusalDetails): GraphQLError {
  const { limit, maximum, waitingOn, retryAfterSeconds, requestId } = details;
  return new GraphQLError(
    `${REASONS[limit](maximum)} It was waiting on ${WAITING_ON[waitingOn]}. ` +
      `Retry after ${retryAfterSeconds} s, and send fewer requests at once or cheaper ones ` +
      '(fewer records each).',
    {
      extensions: {
        code: ErrorCode.RATE_LIMITED,
        limit,
        maximum,
        waitingOn,
        retryAfter: retryAfterSeconds,
        requestId,
        http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
      },
    },
  );
}

/** Which bound on exports in flight refused one: the consumer's, or the gateway process's. */
export type ExportLimitName = 'exportsInFlight' | 'gatewayExportsInFlight';

/**
 * The error an export is refused with when its consumer already has as many
 * exports streaming from this gateway process as allowed, or the process is
 * streaming its most: HTTP 429 with `Retry-After`, code RATE_LIMITED. An
 * export runs for minutes, so it does not queue: the caller retries.
 */
export function exportsInFlight(
  limit: ExportLimitName,
  maximum: number,
  retryAfterSeconds: number,
  requestId: string,
): GraphQLError {
  const reason =
    limit === 'exportsInFlight'
      ? `This consumer already has ${maximum} export${maximum === 1 ? '' : 's'} streaming from this gateway, the most at once: let one finish, then start or resume this one.`
      : `This gateway is streaming ${maximum} exports, its most at once.`;
  return new GraphQLError(`${reason} Retry after ${retryAfterSeconds} s.`, {
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      limit,
      maximum,
      retryAfter: retryAfterSeconds,
      requestId,
      http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
    },
  });
}
