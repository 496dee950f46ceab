import { ApolloServer, type ApolloServerOptionsWithGateway, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { close, createGraphQLHttpServer, listen, sendJson } from '../server/index.ts';
import { graphiqlRoutes } from './graphiql/index.ts';

export interface GatewayOptions {
  supergraphSdl: string;
  host: string;
  port: number;
}

export interface RunningGateway {
  url: string;
  stop(): Promise<void>;
}

/**
 * Node's built-in fetch keeps connections to each subgraph alive and pooled, so
 * a query plan's fetches reuse sockets instead of opening one per request.
 */
const keepAliveFetcher = globalThis.fetch as unknown as Fetcher;

/**
 * Starts the gateway: Apollo Gateway over the composed supergraph, served at
 * `/graphql`, with GraphiQL at `/`, `/health` (the process is up) and `/ready`
 * (a supergraph is loaded and being served).
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ url }) => new RemoteGraphQLDataSource({ url, fetcher: keepAliveFetcher }),
  });
  const apollo = new ApolloServer({
    // @apollo/gateway 2.x implements the gateway interface Apollo Server 5 expects.
    gateway: gateway as unknown as ApolloServerOptionsWithGateway<BaseContext>['gateway'],
    plugins: [ApolloServerPluginLandingPageDisabled()],
    includeStacktraceInErrorResponses: false,
  });
  await apollo.start();
  const server = createGraphQLHttpServer({
    apollo,
    context: async () => ({}),
    routes: {
      ...graphiqlRoutes('/graphql'),
      '/health': (_, res) => sendJson(res, 200, { status: 'ok' }),
      '/ready': (_, res) => sendJson(res, 200, { status: 'ready' }),
    },
  });
  const base = await listen(server, options.host, options.port);
  return {
    url: `${base}/graphql`,
    async stop() {
      await close(server);
      await apollo.stop();
    },
  };
}
