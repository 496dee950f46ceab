import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import {
  ErrorCode,
  operationLimitExceeded,
  operationNotChosen,
  operationNotTrusted,
  type OperationLimitName,
} from '../../schema/index.ts';
import type { CallerLimits, LimitsConfig } from '../../server/index.ts';
import type { GatewayContext } from '../auth/index.ts';
import { consumerKey, limitsFor } from './callerLimits.ts';
import { takeShare, type ConsumerRateLimiter } from './ConsumerRateLimiter.ts';
import { countTokens, DocumentMeasures } from './measureOperation.ts';
import type { OperationCosts } from './operationCost.ts';
import type { SerializedResponses } from './SerializedResponses.ts';
import type { TrustedDocuments } from './TrustedDocuments.ts';

export interface OperationLimitsOptions<TContext extends GatewayContext> {
  limits: LimitsConfig;
  rates: ConsumerRateLimiter;
  /** Trusted-documents mode when set: only operations on the caller's safelist run. */
  trusted: TrustedDocuments | null;
  /** The client's network address: whose share an anonymous request counts against. */
  clientAddressOf: (context: TContext) => string | null;
  /** Estimates, shared with the admission gate. */
  costs: OperationCosts;
  /** Where the JSON made to measure a response is kept for sending (see `SerializedResponses`). */
  serialized: SerializedResponses;
}

/** The document-level limits, in the order they are checked (cheapest measure first). */
const DOCUMENT_LIMITS = ['tokens', 'rootFields', 'aliases', 'directives', 'depth'] as const;

/** How far past a caller's token limit a refused document is counted (its size is then "at least"). */
const TOKENS_COUNTED = 10;

/** graphql's parser refusing a document over the gateway's largest token limit. */
const TOKEN_CEILING =
  /^Syntax Error: Document contains more tha[nt] \d+ tokens\. Parsing aborted\.$/;

/**
 * Everything a request must pass before the gateway plans it, in order: its
 * consumer's requests per second (an authenticated caller's: one without an
 * identity took from its address's share on arrival, before its document was
 * parsed); in trusted-documents mode, the caller's
 * safelist; the caller's operation limits (tokens, top-level fields, aliases,
 * directives, depth, estimated cost); then its consumer's cost per second. Any
 * refusal is a GraphQLError with one code, the limit's name, the measured value,
 * the limit and the request id. Runs after graphql's validation (which refuses
 * fragment cycles) on a document the parser bounded at the largest token limit
 * of any caller (`maxTokens`); the document's measures are kept by hash, so a
 * repeated operation is measured once. Also: persisted queries are registered
 * only for authenticated callers (and never in trusted-documents mode), and a
 * response over `responseMaxBytes` is replaced by an OPERATION_LIMIT error.
 */
export function operationLimitsPlugin<TContext extends GatewayContext>(
  options: OperationLimitsOptions<TContext>,
): ApolloServerPlugin<TContext> {
  const measures = new DocumentMeasures();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(request) {
          const { caller, requestId } = request.contextValue.identity;
          const limits = limitsFor(options.limits, caller);
          const consumer = consumerKey(caller, options.clientAddressOf(request.contextValue));
          // A caller without an identity took its request on arrival (the gateway's context).
          if (caller) {
            await takeShare(options.rates, 'requestsPerSecond', consumer, 1, limits, requestId);
          }
          // Neither executor may be handed a document without its operation: the client's mistake.
          if (!request.operation) {
            throw operationNotChosen(request.request.operationName ?? null, requestId);
          }
          const hash = request.queryHash;
          if (options.trusted && !options.trusted.allows(caller, hash)) {
            throw operationNotTrusted(requestId);
          }
          if (request.metrics.persistedQueryRegister && (!caller || options.trusted)) {
            request.metrics.persistedQueryRegister = false;
          }
          const measure = measures.measure(request.schema, request.document, request.source, hash);
          // An anonymous caller is told where signing in would lift a limit.
          const signedIn = caller ? null : options.limits.authenticated;
          for (const limit of DOCUMENT_LIMITS) {
            refuseOver(limit, measure[limit], limits, requestId, signedIn);
          }
          const cost = costOf(options.costs, request);
          refuseOver('cost', cost, limits, requestId, signedIn);
          await takeShare(options.rates, 'costPerSecond', consumer, cost, limits, requestId);
        },
        async willSendResponse({ response, contextValue, source }) {
          const body = response.body;
          if (body.kind !== 'single') return;
          const result = body.singleResult;
          const { caller, requestId } = contextValue.identity;
          // The parser's own bound (the largest token limit of any caller) speaks
          // graphql's words: say it as this caller's limit, with the measured size.
          const ceiling =
            result.errors?.length === 1 && TOKEN_CEILING.exec(result.errors[0]!.message);
          if (ceiling && source !== undefined) {
            const maximum = limitsFor(options.limits, caller).tokens;
            const counted = TOKENS_COUNTED * maximum;
            const measured = countTokens(source, counted);
            const refusal = operationLimitExceeded({
              limit: 'tokens',
              measured,
              measuredAtLeast: measured > counted,
              maximum,
              requestId,
            });
            result.errors = [formatted(refusal)];
            return;
          }
          if (result.data == null) return;
          const bytes = Buffer.byteLength(options.serialized.serialize(result));
          const maximum = options.limits.responseMaxBytes;
          if (bytes <= maximum) return;
          body.singleResult = {
            errors: [
              formatted(
                operationLimitExceeded({
                  limit: 'responseBytes',
                  measured: bytes,
                  maximum,
                  requestId,
                }),
              ),
            ],
          };
          response.http.status = 400;
        },
      };
    },
  };
}

/** An error as the client receives it: no `http` extension (it set the status already). */
function formatted(error: GraphQLError): GraphQLFormattedError {
  const extensions = { ...error.extensions };
  delete extensions.http;
  return { message: error.message, extensions };
}

function refuseOver(
  limit: OperationLimitName & keyof CallerLimits,
  measured: number,
  limits: CallerLimits,
  requestId: string,
  signedIn: CallerLimits | null,
): void {
  if (measured > limits[limit]) {
    throw operationLimitExceeded({
      limit,
      measured,
      maximum: limits[limit],
      requestId,
      ...(signedIn ? { signedInMaximum: signedIn[limit] } : {}),
    });
  }
}

function costOf(
  costs: OperationCosts,
  request: GraphQLRequestContextDidResolveOperation<GatewayContext>,
): number {
  try {
    return costs.cost(
      request.schema,
      request.document,
      request.queryHash,
      request.operationName,
      request.request.variables ?? {},
    );
  } catch (error) {
    // The variables do not fit the operation; the same check would refuse them at execution.
    if (error instanceof GraphQLError) {
      throw new GraphQLError(error.message, {
        extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
      });
    }
    throw error;
  }
}
