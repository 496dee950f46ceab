import type { ApolloServerPlugin } from '@apollo/server';
import {
  failClosed,
  type AuditEntry,
  type AuditSink,
  type RequestIdentity,
} from '../../server/index.ts';
import type { GatewayContext } from './GatewayContext.ts';

/** The REQUEST record of a gateway request: who asked, for what, which operation, how it ended. */
export function requestEntry(
  identity: RequestIdentity,
  outcome: {
    decision: AuditEntry['decision'];
    reason: string | null;
    operationHash: string | null;
    latencyMs: number;
  },
): AuditEntry {
  const caller = identity.caller;
  return {
    at: new Date().toISOString(),
    kind: 'REQUEST',
    requestId: identity.requestId,
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
    decision: outcome.decision,
    reason: outcome.reason,
    operationName: identity.operationName,
    operationHash: outcome.operationHash,
    latencyMs: outcome.latencyMs,
  };
}

/**
 * Holds each gateway response until its REQUEST record is durable (the
 * subgraphs' ACCESS records already are: they answered only after writing
 * theirs), and fails it closed with 503 when the audit store cannot record it.
 */
export function requestAuditPlugin(writer: AuditSink): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, queryHash }) {
          const body = response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : undefined;
          const code = errors?.[0]?.extensions?.code;
          try {
            await writer.record([
              requestEntry(contextValue.identity, {
                decision: errors?.length ? 'ERROR' : 'OK',
                reason: typeof code === 'string' ? code : null,
                operationHash: queryHash ?? null,
                latencyMs: Date.now() - contextValue.startedAt,
              }),
            ]);
          } catch {
            failClosed(response, 'request');
          }
        },
      };
    },
  };
}
