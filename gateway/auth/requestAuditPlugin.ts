import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../schema/index.ts';
import {
  failClosed,
  type AuditDecision,
  type AuditEntry,
  type AuditSink,
  type RequestIdentity,
} from '../../server/index.ts';
import type { GatewayContext } from './GatewayContext.ts';

/** The REQUEST record of a gateway request: who asked, for what, which operation, how it ended. */
export function requestEntry(
  identity: RequestIdentity,
  outcome: {
    decision: AuditDecision;
    reason: string | null;
    operationHash: string | null;
    latencyMs: number;
    traceId?: string | null;
  },
): AuditEntry {
  const caller = identity.caller;
  return {
    at: new Date().toISOString(),
    kind: 'REQUEST',
    requestId: identity.requestId,
    correlationId: identity.correlationId,
    subgraph: null,
    consumerDepartment: caller?.department ?? null,
    consumerApplication: caller?.application ?? null,
    userId: caller?.user ?? null,
    purpose: identity.purpose,
    grantId: identity.grantId,
    datasetCode: null,
    providerDepartment: null,
    itemsReturned: [],
    itemsMasked: [],
    itemsDenied: [],
    recordCount: 0,
    verifications: 0,
    verifiedItems: [],
    verificationsMatched: 0,
    decision: outcome.decision,
    reason: outcome.reason,
    operationName: identity.operationName,
    operationHash: outcome.operationHash,
    latencyMs: outcome.latencyMs,
    ...(outcome.traceId ? { traceId: outcome.traceId } : {}),
  };
}

/**
 * The REQUEST record of a request refused before it ran (its credential or a
 * header did not pass): no identity, since none was established, but the
 * platform's request id the client was answered with, and why.
 */
export function refusedEntry(
  requestId: string,
  error: unknown,
  latencyMs: number,
  traceId: string | null = null,
): AuditEntry {
  const code = errorCode(error);
  return requestEntry(
    {
      caller: null,
      purpose: null,
      grantId: null,
      requestId,
      correlationId: null,
      operationName: null,
    },
    {
      decision: 'REFUSED',
      reason: code ?? ErrorCode.UNAUTHENTICATED,
      operationHash: null,
      latencyMs,
      traceId,
    },
  );
}

/** The code a thrown error carries (`extensions.code`), or null. */
export function errorCode(error: unknown): string | null {
  const code = (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  return typeof code === 'string' ? code : null;
}

/** Error codes that mean the sharing rules or the caller's rights said no. */
const REFUSAL_CODES = new Set<unknown>([ErrorCode.FORBIDDEN, ErrorCode.UNAUTHENTICATED]);

/** What a caller whose request failed with `code` received: DENIED for a refusal, else ERROR. */
export function failedDecision(code: unknown): AuditDecision {
  return REFUSAL_CODES.has(code) ? 'DENIED' : 'ERROR';
}

/**
 * What the caller received, from the response it is about to get: ALLOWED or
 * MASKED (a subgraph reported a masked item) when there are no errors;
 * PARTIAL when errors came with some value; without any value, DENIED when
 * every error is a refusal by the rules, ERROR otherwise.
 */
export function requestDecision(
  data: unknown,
  errors: readonly GraphQLFormattedError[] | undefined,
  masked: boolean,
): AuditDecision {
  if (!errors?.length) return masked ? 'MASKED' : 'ALLOWED';
  if (holdsValue(data)) return 'PARTIAL';
  return errors.every((e) => failedDecision(e.extensions?.code) === 'DENIED') ? 'DENIED' : 'ERROR';
}

/** True when `data` holds at least one non-null value other than `__typename`. */
function holdsValue(data: unknown): boolean {
  if (data === null || data === undefined) return false;
  if (Array.isArray(data)) return data.some(holdsValue);
  if (typeof data !== 'object') return true;
  for (const [key, value] of Object.entries(data)) {
    if (key !== '__typename' && holdsValue(value)) return true;
  }
  return false;
}

/**
 * Holds each gateway response until its REQUEST record and the ACCESS records
 * its subgraphs handed back are durable — one commit for the request — and
 * fails it closed with 503 when the audit store cannot record them. (A
 * subgraph that was not asked for its records back answered only after
 * writing them.)
 * Every response carries the platform's request id: in the `X-Request-Id`
 * header and in `extensions.requestId` of each error.
 */
export function requestAuditPlugin(
  writer: AuditSink,
  groupWaitMs = 0,
): ApolloServerPlugin<GatewayContext> {
  // Requests under way that have not recorded yet: a commit may wait a moment for them.
  let coming = 0;
  const underWay = new WeakSet<object>();
  const arrived = (requestContext: object) => {
    if (underWay.delete(requestContext)) coming -= 1;
  };
  writer.gather?.(() => coming, groupWaitMs);
  return {
    async requestDidStart(requestContext) {
      underWay.add(requestContext);
      coming += 1;
      return {
        async willSendResponse(requestContext) {
          arrived(requestContext);
          const { contextValue, response, queryHash } = requestContext;
          const { identity } = contextValue;
          const body = response.body;
          const result = body.kind === 'single' ? body.singleResult : undefined;
          const errors = result?.errors;
          const code = errors?.[0]?.extensions?.code;
          try {
            await writer.record([
              requestEntry(identity, {
                decision: requestDecision(result?.data, errors, contextValue.masked),
                reason: typeof code === 'string' ? code : null,
                operationHash: queryHash ?? null,
                latencyMs: Date.now() - contextValue.startedAt,
                traceId: contextValue.traceId,
              }),
              ...contextValue.accessRecords,
            ]);
          } catch {
            failClosed(response, 'request');
          }
          response.http.headers.set('x-request-id', identity.requestId);
          const sent = response.body.kind === 'single' ? response.body.singleResult : undefined;
          if (sent?.errors) {
            sent.errors = sent.errors.map((e) => ({
              ...e,
              extensions: { ...e.extensions, requestId: identity.requestId },
            }));
          }
        },
      };
    },
    // A request Apollo gave up on (a plugin threw) never reaches willSendResponse.
    async unexpectedErrorProcessingRequest({ requestContext }) {
      arrived(requestContext);
    },
  };
}
