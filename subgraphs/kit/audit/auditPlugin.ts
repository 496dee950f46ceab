import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../schema/index.ts';
import type { AuditSink } from '../../../server/index.ts';
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
            response.http.status = 503;
            response.body = {
              kind: 'single',
              singleResult: {
                errors: [
                  new GraphQLError(
                    'The audit trail could not record this access, so no data is returned. Try again shortly.',
                    { extensions: { code: ErrorCode.UNAVAILABLE } },
                  ).toJSON(),
                ],
              },
            };
          }
        },
      };
    },
  };
}
