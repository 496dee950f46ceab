import type { ApolloServerPlugin } from '@apollo/server';
import { failClosed, type AuditSink } from '../../../server/index.ts';
import type { SubgraphContext } from '../resolvers/SubgraphContext.ts';

/**
 * Holds each response until the ACCESS records it produced are durable, and
 * fails it closed — no data, 503 — when they cannot be written.
 */
export function auditPlugin(
  subgraph: string,
  writer: AuditSink,
): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const access = contextValue.access;
          if (!access) return;
          const entries = access.log.entries(
            access.identity,
            subgraph,
            Date.now() - contextValue.startedAt,
            (table) => access.grantOf(table),
          );
          try {
            await writer.record(entries);
          } catch {
            failClosed(response, 'access');
          }
        },
      };
    },
  };
}
