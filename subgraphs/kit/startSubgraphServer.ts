import type { Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Knex } from 'knex';
import { close, createGraphQLHttpServer, listen, sendJson } from '../../server/index.ts';
import type { DepartmentSubgraph } from './buildDepartmentSubgraph.ts';
import { RequestLoaders } from './loaders/index.ts';
import type { SubgraphContext } from './resolvers/index.ts';

export interface RunningSubgraph {
  name: string;
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves a department subgraph over HTTP at `/graphql`, with `/health`. The
 * context factory makes the request's loaders; nothing is shared across requests.
 */
export async function startSubgraphServer(
  subgraph: DepartmentSubgraph,
  db: Knex,
  listenOn: { host: string; port: number },
): Promise<RunningSubgraph> {
  const apollo = new ApolloServer<SubgraphContext>({
    schema: subgraph.schema,
    plugins: [ApolloServerPluginLandingPageDisabled()],
    includeStacktraceInErrorResponses: false,
  });
  await apollo.start();
  const server: Server = createGraphQLHttpServer({
    apollo,
    context: async () => ({ db, loaders: new RequestLoaders(db) }),
    routes: { '/health': (_, res) => sendJson(res, 200, { status: 'ok', subgraph: subgraph.name }) },
  });
  const base = await listen(server, listenOn.host, listenOn.port);
  return {
    name: subgraph.name,
    url: `${base}/graphql`,
    async stop() {
      await close(server);
      await apollo.stop();
    },
  };
}
