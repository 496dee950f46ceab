import type { IncomingMessage, Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { GraphQLError } from 'graphql';
import type { Knex } from 'knex';
import { ErrorCode } from '../../schema/index.ts';
import {
  close,
  createGraphQLHttpServer,
  INTERNAL_TOKEN_HEADER,
  listen,
  sendJson,
  verifyInternalToken,
  type PlatformKey,
  type VerifiedInternalToken,
} from '../../server/index.ts';
import { RequestAccess, type PolicyStore } from './access/index.ts';
import type { DepartmentSubgraph } from './buildDepartmentSubgraph.ts';
import { RequestLoaders } from './loaders/index.ts';
import type { SubgraphContext } from './resolvers/index.ts';

export interface SubgraphServerOptions {
  db: Knex;
  policies: PolicyStore;
  /** The gateway's public key: the only signature this subgraph accepts. */
  gatewayKey: PlatformKey;
  host: string;
  port: number;
}

export interface RunningSubgraph {
  name: string;
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves a department subgraph over HTTP at `/graphql`, with `/health`. Every
 * GraphQL request must carry a context token signed by the gateway for this
 * subgraph; without one the subgraph answers nothing — not `_entities`, not a
 * lookup, not introspection — with 401. Headers a client might send to imitate
 * the gateway mean nothing here: only the signature counts.
 */
export async function startSubgraphServer(
  subgraph: DepartmentSubgraph,
  options: SubgraphServerOptions,
): Promise<RunningSubgraph> {
  const { db, policies, gatewayKey } = options;
  const apollo = new ApolloServer<SubgraphContext>({
    schema: subgraph.schema,
    // No landing page, no tracing, no cache hints: nothing that wraps every field.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
    ],
    includeStacktraceInErrorResponses: false,
    // The platform stops its servers itself, in order, on SIGINT/SIGTERM.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  const context = async (req: IncomingMessage): Promise<SubgraphContext> => {
    const verified = await authenticate(req, subgraph.name, gatewayKey);
    const access = subgraph.rulesEnforced
      ? new RequestAccess(verified.identity, policies.snapshot, policies.db)
      : null;
    return {
      db,
      access,
      composeOnly: verified.composeOnly,
      loaders: new RequestLoaders(db, (table) => access?.rowFilter(table) ?? null),
    };
  };

  const server: Server = createGraphQLHttpServer({
    apollo,
    context,
    routes: {
      '/health': (_, res) => sendJson(res, 200, { status: 'ok', subgraph: subgraph.name }),
    },
  });
  const base = await listen(server, options.host, options.port);
  return {
    name: subgraph.name,
    url: `${base}/graphql`,
    async stop() {
      await close(server);
      await apollo.stop();
    },
  };
}

async function authenticate(
  req: IncomingMessage,
  audience: string,
  key: PlatformKey,
): Promise<VerifiedInternalToken> {
  const token = req.headers[INTERNAL_TOKEN_HEADER];
  if (typeof token !== 'string' || token === '') {
    throw unauthenticated(
      'This subgraph answers only the platform gateway; send your request to the gateway.',
    );
  }
  try {
    return await verifyInternalToken(token, audience, key);
  } catch {
    throw unauthenticated(
      'The gateway context token is invalid, expired or not for this subgraph.',
    );
  }
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
  });
}
