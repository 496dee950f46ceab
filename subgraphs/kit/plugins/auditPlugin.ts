import type { ApolloServerPlugin } from '@apollo/server';
import {
  ACCESS_MASKED_EXTENSION,
  ACCESS_RECORDS_EXTENSION,
  failClosed,
  metrics,
  type AttestingAuditSink,
} from '../../../server/index.ts';
import type { SubgraphContext } from '../resolvers/SubgraphContext.ts';

/**
 * Holds each response until the ACCESS records it produced are durable, and
 * fails it closed — no data, 503 — when they cannot be written. When the
 * gateway asked for them back (its signed token says so), the records travel
 * with the answer instead, and the gateway holds its own answer to the client
 * until they are durable with its REQUEST record: one commit per request, not
 * one per fetch plus one. A response that answered some item masked says so
 * to the gateway in an extension, for the REQUEST record. Each record's
 * decision is counted in the metrics. Every record leaves signed with the
 * department's key; a handed-back one is bound to the fetch's hand-back nonce,
 * so the gateway can commit it but not alter, forge or re-use it.
 */
export function auditPlugin(
  subgraph: string,
  writer: AttestingAuditSink,
): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const access = contextValue.access;
          if (!access) return;
          // The platform's id for the request, not the one this server named it on arrival.
          response.http.headers.set('x-request-id', access.identity.requestId);
          const entries = access.log.entries(
            access.identity,
            subgraph,
            Date.now() - contextValue.startedAt,
          );
          // Counted where the decisions are known (and before the write: a
          // refused write fails the response, but the decisions were made).
          metrics.subgraphRequest(subgraph, entries);
          const single = response.body.kind === 'single';
          const nonce = contextValue.handBackNonce;
          const handBack = nonce !== null && entries.length > 0 && single;
          if (!handBack) {
            try {
              await writer.record(entries);
            } catch {
              failClosed(response, 'access');
              return;
            }
          }
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (handBack || access.log.anyMasked) {
            result.extensions = {
              ...result.extensions,
              ...(handBack ? { [ACCESS_RECORDS_EXTENSION]: writer.attest(entries, nonce) } : {}),
              ...(access.log.anyMasked ? { [ACCESS_MASKED_EXTENSION]: true } : {}),
            };
          }
        },
      };
    },
  };
}
