import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../../schema/index.ts';
import { endSpan, metrics, startChildSpan, type Logger } from '../../server/index.ts';
import { requestDecision } from '../auth/requestAuditPlugin.ts';
import type { GatewayContext } from '../auth/GatewayContext.ts';

/** Codes of requests refused before anything was fetched: counted as refusals. */
const REFUSALS = new Set<unknown>([
  ErrorCode.OPERATION_LIMIT,
  ErrorCode.RATE_LIMITED,
  ErrorCode.OPERATION_NOT_TRUSTED,
  ErrorCode.UNAUTHENTICATED,
]);

/**
 * One log line and the metrics of each gateway request, as its response
 * leaves: the platform's request id, the client's correlation id, the trace
 * id, who asked (department, application), which operation (name and hash),
 * the outcome (as the REQUEST audit record states it) and error code, the
 * latency and how many subgraph fetches it made. Names, codes and counts only:
 * never variables, never response data, never a credential.
 */
export function requestTelemetryPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        // Apollo Server hands the operation to the gateway, which plans it first
        // (see `queryPlanned`, called when the plan is ready).
        async executionDidStart({ contextValue }) {
          contextValue.planning = startChildSpan('gateway.plan', contextValue.trace, {});
        },
        async willSendResponse({ contextValue, response, queryHash }) {
          // Planning that failed never reached `queryPlanned`.
          queryPlanned(contextValue);
          const { identity } = contextValue;
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const errors = result?.errors;
          const outcome = requestDecision(result?.data, errors, contextValue.masked);
          const extensions = errors?.[0]?.extensions;
          const code = typeof extensions?.code === 'string' ? extensions.code : null;
          const latencyMs = Date.now() - contextValue.startedAt;
          metrics.request(identity.operationName, outcome, latencyMs / 1000);
          if (code !== null && REFUSALS.has(code)) {
            metrics.refusal(code, typeof extensions?.limit === 'string' ? extensions.limit : null);
          }
          if (!logger.isLevelEnabled('info')) return;
          logger.info(
            {
              requestId: identity.requestId,
              correlationId: identity.correlationId,
              traceId: contextValue.traceId,
              department: identity.caller?.department ?? null,
              application: identity.caller?.application ?? null,
              operationName: identity.operationName,
              operationHash: queryHash ?? null,
              outcome,
              code,
              errors: errors?.length ?? 0,
              latencyMs,
              subgraphFetches: contextValue.subgraphFetches,
            },
            'request',
          );
        },
      };
    },
  };
}

/**
 * Ends the request's `gateway.plan` span: Apollo Gateway calls this
 * (`experimental_didResolveQueryPlan`) once the plan is made or found in its
 * cache, before the first fetch.
 */
export function queryPlanned(context: GatewayContext): void {
  endSpan(context.planning);
  context.planning = undefined;
}
