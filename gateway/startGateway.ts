import { randomUUID } from 'node:crypto';
import {
  ApolloServer,
  type ApolloServerOptionsWithGateway,
  type BaseContext,
} from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import {
  close,
  createGraphQLHttpServer,
  listen,
  sendJson,
  type AuditSink,
  type PlatformKey,
} from '../server/index.ts';
import {
  requestAuditPlugin,
  refusedEntry,
  identityPlugin,
  SigningDataSource,
  type Authenticator,
  type GatewayContext,
} from './auth/index.ts';
import { graphiqlRoutes } from './graphiql/index.ts';
import { createSubgraphFetcher } from './subgraphFetcher.ts';

export interface GatewayOptions {
  supergraphSdl: string;
  authenticator: Authenticator;
  /** The gateway's private key: signs the context token of every subgraph fetch. */
  signingKey: PlatformKey;
  /** Where REQUEST records go; a response leaves only once its record is durable. */
  audit: AuditSink;
  host: string;
  port: number;
}

export interface RunningGateway {
  url: string;
  /**
   * Swaps to a newly composed supergraph without dropping a request: plans made
   * from now on use it. Throws, keeping the current one, if the gateway refuses it.
   */
  updateSupergraph(supergraphSdl: string): void;
  /** Records why the newest supergraph could not be served (shown on /ready), or clears it. */
  reportCompositionProblem(problem: string | null): void;
  stop(): Promise<void>;
}

/**
 * Starts the gateway: every request is authenticated, its identity signed into
 * each subgraph fetch; Apollo Gateway plans over the composed supergraph. Served
 * at `/graphql`, with GraphiQL at `/`, `/health` (the process is up) and
 * `/ready` (a supergraph is loaded and being served).
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { authenticator, signingKey } = options;
  // Apollo Gateway otherwise probes cloud metadata endpoints and sends usage
  // metrics to Apollo. Government networks are closed and a data-sharing
  // platform reports to no third party, so this is forced off, not defaulted.
  // The library reads only this variable, so it has to be set here.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  let update: ((supergraphSdl: string) => void) | undefined;
  let problem: string | null = null;
  let generation = 1;
  const fetcher = createSubgraphFetcher();
  const gateway = new ApolloGateway({
    supergraphSdl: async ({ update: apply }) => {
      update = apply;
      return { supergraphSdl: options.supergraphSdl };
    },
    buildService: ({ name, url }) => new SigningDataSource(name, url!, signingKey, fetcher),
  });
  const apollo = new ApolloServer<GatewayContext>({
    // @apollo/gateway 2.x implements the gateway interface Apollo Server 5 expects.
    gateway: gateway as unknown as ApolloServerOptionsWithGateway<BaseContext>['gateway'],
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      identityPlugin,
      requestAuditPlugin(options.audit),
    ],
    includeStacktraceInErrorResponses: false,
    // The platform stops its servers itself, in order, on SIGINT/SIGTERM.
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  const server = createGraphQLHttpServer({
    apollo,
    // The platform names every request itself; a client's X-Request-Id is only its correlation id.
    requestId: randomUUID,
    context: async (req, { id }) => {
      const startedAt = Date.now();
      const requestId = id ?? randomUUID();
      try {
        return { identity: await authenticator.identify(req, requestId), startedAt, masked: false };
      } catch (error) {
        // A refused credential is on the record too (no identity: it did not verify).
        await options.audit
          .record([refusedEntry(requestId, error, Date.now() - startedAt)])
          .catch(() => undefined);
        throw error;
      }
    },
    routes: {
      ...graphiqlRoutes('/graphql'),
      '/health': (_, res) => sendJson(res, 200, { status: 'ok' }),
      '/ready': (_, res) =>
        sendJson(res, 200, {
          status: 'ready',
          supergraph: generation,
          ...(problem ? { problem: `serving the last good supergraph: ${problem}` } : {}),
        }),
    },
  });
  const base = await listen(server, options.host, options.port);
  return {
    url: `${base}/graphql`,
    updateSupergraph(supergraphSdl) {
      if (!update) throw new Error('the gateway has not loaded its first supergraph yet');
      update(supergraphSdl);
      generation++;
      problem = null;
    },
    reportCompositionProblem(next) {
      problem = next;
    },
    async stop() {
      await close(server);
      await apollo.stop();
      await fetcher.close();
    },
  };
}
