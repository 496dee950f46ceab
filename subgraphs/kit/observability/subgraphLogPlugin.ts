import type { ApolloServerPlugin } from '@apollo/server';
import { currentTraceId, type Logger } from '../../../server/index.ts';
import type { SubgraphContext } from '../resolvers/SubgraphContext.ts';

/**
 * One log line per operation a department subgraph answers: the gateway's
 * request id, the trace id, the caller's department and application, the
 * operation's name, how many datasets it touched and errors it answered with,
 * and the latency. Names and counts only: never variables or response data.
 */
export function subgraphLogPlugin(
  subgraph: string,
  logger: Logger,
): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart({ request }) {
      if (!logger.isLevelEnabled('info')) return {};
      const traceparent = request.http?.headers.get('traceparent');
      return {
        async willSendResponse({ contextValue, response, operationName }) {
          const access = contextValue.access;
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          logger.info(
            {
              subgraph,
              requestId: access?.identity.requestId ?? null,
              traceId: currentTraceId(traceparent),
              department: access?.identity.caller?.department ?? null,
              application: access?.identity.caller?.application ?? null,
              operationName: operationName ?? null,
              errors: result?.errors?.length ?? 0,
              latencyMs: Date.now() - contextValue.startedAt,
            },
            'subgraph request',
          );
        },
      };
    },
  };
}
