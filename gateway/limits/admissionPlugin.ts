import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { admissionRefused } from '../../schema/index.ts';
import type { LimitsConfig } from '../../server/index.ts';
import type { GatewayContext } from '../auth/index.ts';
import { AdmissionGate, AdmissionRefusal, type Admission } from './AdmissionGate.ts';
import { consumerKey, limitsFor } from './callerLimits.ts';
import type { OperationCosts } from './operationCost.ts';

export interface AdmissionOptions<TContext extends GatewayContext> {
  limits: LimitsConfig;
  /** The client's network address: whose share an anonymous request counts against. */
  clientAddressOf: (context: TContext) => string | null;
  /** Estimates, shared with the operation limits (the same walk, on the same document). */
  costs: OperationCosts;
  /**
   * Settles once the request's answer has left the process (or its connection
   * has gone); without it, room is freed when the answer is handed over.
   */
  sentOf?: (context: TContext) => Promise<void>;
}

/**
 * Admission control at the gateway (see {@link AdmissionGate}): once an
 * operation is resolved, and before it is planned, it waits for room in its
 * consumer's share of this gateway process and in the process's own bounds,
 * weighed by its estimated cost; it is refused with 429 RATE_LIMITED, naming
 * the limit, when its queue is full or it waited too long. Its room is freed
 * once its answer has left the process (`sentOf`): a client that asks and
 * does not read keeps its answer in memory, so it keeps its room too (until
 * the HTTP send timeout drops it), and cannot pile up unread answers at the
 * rate of its requests per second. Only GraphQL operations pass here: `/health` and
 * `/ready` are answered before Apollo Server and never wait.
 *
 * Runs beside the operation limits (Apollo Server runs the plugins' hooks at
 * once): an operation they refuse leaves the queue with its refusal.
 */
export function admissionPlugin<TContext extends GatewayContext>(
  options: AdmissionOptions<TContext>,
): ApolloServerPlugin<TContext> & { gate: AdmissionGate } {
  const gate = new AdmissionGate(options.limits.admission);
  /** Each request's place at the gate, by its context (one per request). */
  const admissions = new WeakMap<TContext, Admission>();
  return {
    gate,
    async requestDidStart() {
      return {
        async didResolveOperation(request) {
          const { caller, requestId } = request.contextValue.identity;
          const consumer = consumerKey(caller, options.clientAddressOf(request.contextValue));
          const admission = gate.enter({
            consumer,
            share: limitsFor(options.limits, caller),
            cost: costOf(options.costs, request),
          });
          admissions.set(request.contextValue, admission);
          try {
            await admission.ready;
          } catch (error) {
            if (!(error instanceof AdmissionRefusal)) throw error;
            throw admissionRefused({
              limit: error.limit,
              maximum: error.maximum,
              waitingOn: error.waitingOn,
              retryAfterSeconds: error.retryAfterSeconds,
              requestId,
            });
          }
        },
        async willSendResponse({ contextValue }) {
          const admission = admissions.get(contextValue);
          if (!admission) return;
          const sent = options.sentOf?.(contextValue);
          if (sent) void sent.then(() => admission.leave());
          else admission.leave();
        },
      };
    },
    // A request that failed inside Apollo Server gets no willSendResponse: free its room here.
    async unexpectedErrorProcessingRequest({ requestContext }) {
      admissions.get(requestContext.contextValue)?.leave();
    },
  };
}

/**
 * The operation's estimated cost, as the operation limits count it (the same
 * walk, on the same document). Variables that do not fit, or an operation too
 * large to walk, are the operation limits' to refuse: they weigh 1 or the most
 * here, and the request leaves the queue with that refusal.
 */
function costOf(
  costs: OperationCosts,
  request: GraphQLRequestContextDidResolveOperation<GatewayContext>,
): number {
  try {
    const cost = costs.cost(
      request.schema,
      request.document,
      request.queryHash,
      request.operationName,
      request.request.variables ?? {},
    );
    return Number.isFinite(cost) ? cost : Number.MAX_SAFE_INTEGER;
  } catch {
    return 1;
  }
}
