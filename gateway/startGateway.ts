import {
  ApolloServer,
  type ApolloServerOptionsWithGateway,
  type BaseContext,
} from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import type { Knex } from 'knex';
import { DEFAULT_TIME_ZONE } from '../schema/index.ts';
import {
  close,
  retire,
  createGraphQLHttpServer,
  requestTraceContext,
  requestTraceId,
  hideInternalErrors,
  metrics,
  listen,
  newRequestId,
  sendJson,
  type AuditSink,
  type AuthConfig,
  type ConsoleOidcConfig,
  type LimitsConfig,
  type DepartmentVerifyKeys,
  type Logger,
  type PlatformKey,
  type Route,
  type TimeoutConfig,
  readinessProblems,
  type ReadinessCheck,
  type RequestIdentity,
} from '../server/index.ts';
import {
  errorCode,
  requestAuditPlugin,
  refusedEntry,
  identityPlugin,
  SigningDataSource,
  type Authenticator,
  type GatewayContext,
} from './auth/index.ts';
import { consoleRoutes } from './console/index.ts';
import { installPlanExecutor, type ExecutorKind } from './execution/index.ts';
import { ExportSlots, exportProxyRoutes, subgraphUrls } from './export/index.ts';
import { graphiqlRoutes } from './graphiql/index.ts';
import {
  admissionPlugin,
  AnonymousShares,
  ConsumerRateLimiter,
  OperationCosts,
  operationLimitsPlugin,
  SerializedResponses,
  sharedRateCount,
  TrustedDocuments,
} from './limits/index.ts';
import { queryPlanned, requestTelemetryPlugin } from './observability/index.ts';
import { createSubgraphFetcher } from './subgraphFetcher.ts';

export interface GatewayOptions {
  supergraphSdl: string;
  /**
   * The supergraph to serve, when `supergraphSdl` is only its likely value
   * (a composition's merged supergraph whose satisfiability is still being
   * checked): Apollo Gateway takes up `supergraphSdl` meanwhile, and the
   * gateway listens only once this settles, on what it gives (taken up again
   * if it differs). If it rejects, nothing listens and the rejection is thrown.
   */
  confirmedSupergraph?: Promise<string>;
  authenticator: Authenticator;
  /** The gateway's private key: signs the context token of every subgraph fetch. */
  signingKey: PlatformKey;
  /**
   * The departments' public audit keys: an ACCESS record a subgraph hands back
   * is committed only with its department's valid attestation.
   */
  departmentKeys: DepartmentVerifyKeys;
  /** Where REQUEST records go; a response leaves only once its record is durable. */
  audit: AuditSink;
  /**
   * Longest a commit of audit records waits for requests under way to record
   * too, so that they share it (`AUDIT_GROUP_WAIT_MS`; 0 or absent: never).
   */
  auditGroupWaitMs?: number;
  /** Operation limits, per-consumer rates, the response cap, trusted documents. */
  limits: LimitsConfig;
  /** The platform database: the per-consumer rate counts every replica shares live there. */
  platformDb: Knex;
  /** The process's logger: errors hidden from clients are logged whole, with the request id. */
  logger: Logger;
  /** HTTP, subgraph fetch, request and shutdown timeouts; the defaults for any not given. */
  timeouts?: Partial<TimeoutConfig>;
  /**
   * What `/ready` checks besides the supergraph: each says why the gateway
   * cannot serve now (the platform database, the audit store), or null.
   */
  readiness?: readonly ReadinessCheck[];
  /**
   * How callers' tokens are verified. When it is the development secret,
   * GraphiQL offers a button minting a development token (`devTokenRoute`);
   * without it, or with a JWKS, there is no such route.
   */
  devTokenAuth?: AuthConfig;
  /** The OpenID provider people sign in to the web console with; none: the console offers no such sign-in. */
  consoleOidc?: ConsoleOidcConfig | null;
  /** The platform's time zone (TIME_ZONE): the console's "today" and its charts' days. */
  timeZone?: string;
  /** More GET routes beside the gateway's own (the catalogue linked platforms harvest). */
  routes?: Record<string, Route>;
  /**
   * What runs query plans: ours (`govdata`, the default: compiled response
   * shaping, see `installPlanExecutor`) or Apollo Gateway's own (`apollo`).
   */
  executor?: ExecutorKind;
  host: string;
  port: number;
}

/** The gateway's request context: who asks, from which network address, and when its answer has left. */
type ServedContext = GatewayContext & { clientAddress: string | null; sent: Promise<void> };

export interface RunningGateway {
  url: string;
  /**
   * Swaps to a newly composed supergraph without dropping a request: plans made
   * from now on use it. Throws, keeping the current one, if the gateway refuses it.
   */
  updateSupergraph(supergraphSdl: string): void;
  /** Records why the newest supergraph could not be served (shown on /ready), or clears it. */
  reportCompositionProblem(problem: string | null): void;
  /**
   * Hands its clients over to a gateway taking its place: no new connection,
   * every request on an open one answered and its connection closed after it
   * (see `retire`), up to the shutdown timeout. `stop()` follows.
   */
  retire(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the gateway: every request is authenticated, its identity signed into
 * each subgraph fetch; Apollo Gateway plans over the composed supergraph. Served
 * at `/graphql`, with GraphiQL at `/`, the web console at `/console`,
 * `/health` (the process is up, answered at once whatever else is wrong) and
 * `/ready` (a supergraph is being served and every readiness check passes; 503
 * with the reasons otherwise, and from the moment `stop()` begins). `stop()`
 * drains: requests under way get up to the shutdown timeout, new ones are
 * refused with 503.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { authenticator, signingKey } = options;
  authenticator.signedOut.start();
  // Apollo Gateway otherwise probes cloud metadata endpoints and sends usage
  // metrics to Apollo. Government networks are closed and a data-sharing
  // platform reports to no third party, so this is forced off, not defaulted.
  // The library reads only this variable, so it has to be set here.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  let update: ((supergraphSdl: string) => void) | undefined;
  let problem: string | null = null;
  let stopping = false;
  let generation = 1;
  const fetcher = createSubgraphFetcher({
    timeoutMs: options.timeouts?.subgraphFetchMs,
    logger: options.logger,
  });
  const gateway = new ApolloGateway({
    supergraphSdl: async ({ update: apply }) => {
      update = apply;
      return { supergraphSdl: options.supergraphSdl };
    },
    buildService: ({ name, url }) =>
      new SigningDataSource(
        name,
        url!,
        signingKey,
        fetcher.forSubgraph(name),
        options.departmentKeys,
      ),
    experimental_didResolveQueryPlan: ({ requestContext }) =>
      queryPlanned(requestContext.context as GatewayContext),
  });
  if ((options.executor ?? 'govdata') === 'govdata') installPlanExecutor(gateway);
  const { limits } = options;
  const trusted = limits.trustedDocumentsFile
    ? TrustedDocuments.load(limits.trustedDocumentsFile)
    : null;
  const rateCount = sharedRateCount(options.platformDb, options.logger);
  const rates = new ConsumerRateLimiter(rateCount.reserve, options.logger);
  const anonymous = new AnonymousShares(rates, limits.anonymous, options.logger);
  const costs = new OperationCosts();
  costs.declare(options.supergraphSdl);
  const serialized = new SerializedResponses();
  const errors = hideInternalErrors<ServedContext>(options.logger, (c) => c.identity.requestId);
  const apollo = new ApolloServer<ServedContext>({
    // @apollo/gateway 2.x implements the gateway interface Apollo Server 5 expects.
    gateway: gateway as unknown as ApolloServerOptionsWithGateway<BaseContext>['gateway'],
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      errors.plugin,
      identityPlugin,
      operationLimitsPlugin<ServedContext>({
        limits,
        rates,
        trusted,
        clientAddressOf: (c) => c.clientAddress,
        costs,
        serialized,
      }),
      // Waits for room in the consumer's share of this process before planning; 429 when it cannot.
      admissionPlugin<ServedContext>({
        limits,
        clientAddressOf: (c) => c.clientAddress,
        sentOf: (c) => c.sent,
        costs,
      }),
      requestAuditPlugin(options.audit, options.auditGroupWaitMs),
      requestTelemetryPlugin(options.logger),
    ],
    formatError: errors.formatError,
    // An answer is serialised once: for the response-size limit, then sent as it is.
    stringifyResult: serialized.stringifyResult,
    // The parser stops at the largest token limit of any caller; each caller's own is checked after.
    parseOptions: { maxTokens: largestTokenLimit(limits) },
    // Trusted-documents mode: hashes find safelisted documents, and nothing is registered.
    ...(trusted ? { persistedQueries: { cache: trusted.asPersistedQueryCache() } } : {}),
    includeStacktraceInErrorResponses: false,
    // Apollo Server refuses introspection where NODE_ENV is production (the image's and the
    // manifests' setting) unless told otherwise: GraphiQL and client tools read the schema, and
    // an introspection is limited by its cost like any operation (README: limits).
    introspection: true,
    // The platform stops its servers itself, in order, on SIGINT/SIGTERM.
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  let served = options.supergraphSdl;
  if (options.confirmedSupergraph) {
    try {
      served = await options.confirmedSupergraph;
    } catch (error) {
      await apollo.stop();
      throw error;
    }
    if (served !== options.supergraphSdl) {
      update!(served);
      costs.declare(served);
    }
  }
  let urls = subgraphUrls(served);
  const server = createGraphQLHttpServer({
    logger: options.logger,
    apollo,
    timeouts: options.timeouts,
    // The platform names every request itself; a client's X-Request-Id is only its correlation id.
    requestId: newRequestId,
    traceName: 'gateway POST /graphql',
    context: async (req, { id, body, sent }) => {
      const startedAt = Date.now();
      const requestId = id ?? newRequestId();
      const clientAddress = req.socket.remoteAddress ?? null;
      let identity: RequestIdentity;
      try {
        identity = await authenticator.identify(req, requestId, body);
      } catch (error) {
        // A refused credential takes from its address's anonymous share, as a
        // request without one does: past it, 429 and a count, not a record.
        await anonymous.take(clientAddress, requestId);
        const traceId = requestTraceId(req);
        refusedBeforeRunning(requestId, error, Date.now() - startedAt, traceId);
        // A refused credential is on the record too (no identity: it did not verify).
        await options.audit
          .record([refusedEntry(requestId, error, Date.now() - startedAt, traceId)])
          .catch(() => undefined);
        throw error;
      }
      // Taken on arrival, before the document is parsed or validated: every
      // request of a caller without an identity counts, whatever it sends.
      if (identity.caller === null) await anonymous.take(clientAddress, requestId);
      return {
        identity,
        startedAt,
        masked: false,
        accessRecords: [],
        traceId: requestTraceId(req),
        trace: requestTraceContext(req),
        subgraphFetches: 0,
        clientAddress,
        sent,
      };
    },
    routes: {
      ...options.routes,
      ...graphiqlRoutes('/graphql', options.devTokenAuth),
      ...consoleRoutes({
        graphqlPath: '/graphql',
        auth: options.devTokenAuth,
        oidc: options.consoleOidc ?? null,
        timeZone: options.timeZone ?? DEFAULT_TIME_ZONE,
        logger: options.logger,
        signOut: (token) => authenticator.signOut(token),
      }),
      ...exportProxyRoutes({
        authenticator,
        signingKey,
        platformDb: options.platformDb,
        audit: options.audit,
        logger: options.logger,
        subgraphUrl: (name) => urls.get(name),
        limits,
        rates,
        slots: new ExportSlots(),
        anonymous,
      }),
      '/health': (_, res) => sendJson(res, 200, { status: 'ok' }),
      '/ready': async (_, res) => {
        const problems = stopping ? ['stopping'] : await readinessProblems(options.readiness ?? []);
        sendJson(res, problems.length > 0 ? 503 : 200, {
          status: stopping ? 'stopping' : problems.length > 0 ? 'unavailable' : 'ready',
          supergraph: generation,
          ...(problems.length > 0 ? { problems } : {}),
          ...(problem ? { problem: `serving the last good supergraph: ${problem}` } : {}),
        });
      },
    },
  });
  const base = await listen(server, options.host, options.port);
  metrics.supergraphGeneration(generation);

  /** The log line and refusal count of a request whose credential or header was refused. */
  function refusedBeforeRunning(
    requestId: string,
    error: unknown,
    latencyMs: number,
    traceId: string | null,
  ): void {
    const refusal = errorCode(error) ?? 'UNAUTHENTICATED';
    metrics.refusal(refusal, null);
    metrics.request(null, 'REFUSED', latencyMs / 1000);
    options.logger.info(
      {
        requestId,
        traceId,
        outcome: 'REFUSED',
        code: refusal,
        latencyMs,
      },
      'request',
    );
  }

  return {
    url: `${base}/graphql`,
    updateSupergraph(supergraphSdl) {
      if (!update) throw new Error('the gateway has not loaded its first supergraph yet');
      update(supergraphSdl);
      costs.declare(supergraphSdl);
      urls = subgraphUrls(supergraphSdl);
      generation++;
      problem = null;
      metrics.supergraphGeneration(generation);
    },
    reportCompositionProblem(next) {
      if (next !== null && next !== problem) {
        metrics.compositionFailure();
        options.logger.warn({ problem: next }, "the registry's subgraphs do not compose");
      }
      problem = next;
    },
    async retire() {
      // Answering yet, but no longer ready: a load balancer stops sending here.
      stopping = true;
      await retire(server, options.timeouts?.shutdownMs);
    },
    async stop() {
      stopping = true;
      await close(server, options.timeouts?.shutdownMs);
      await apollo.stop();
      await fetcher.close();
      rateCount.stop();
      anonymous.stop();
      authenticator.signedOut.stop();
    },
  };
}

/** The parser's bound: the largest token limit any caller has. */
function largestTokenLimit(limits: LimitsConfig): number {
  return Math.max(
    limits.anonymous.tokens,
    limits.authenticated.tokens,
    ...Object.values(limits.roles).map((l) => l?.tokens ?? 0),
    ...Object.values(limits.applications).map((l) => l.tokens ?? 0),
  );
}
