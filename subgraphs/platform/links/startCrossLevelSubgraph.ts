import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse } from 'graphql';
import type { Knex } from 'knex';
import type { Catalogue } from '../../../schema/index.ts';
import {
  authenticateGatewayRequest,
  close,
  createGraphQLHttpServer,
  listen,
  sendJson,
  startApolloServer,
  type AuditSink,
  type LinkKeyRing,
  type Logger,
  type PlatformKey,
} from '../../../server/index.ts';
import { Sealer } from '../../kit/handles/index.ts';
import type { CrossLevelContext } from './CrossLevelContext.ts';
import { crossLevelResolvers } from './crossLevelResolvers.ts';
import { crossLevelTypeDefs } from './crossLevelTypeDefs.ts';

/** The cross-level subgraph's name in the supergraph. */
export const CROSS_LEVEL_SUBGRAPH = 'crosslevel';

export interface RunningCrossLevelSubgraph {
  name: string;
  url: string;
  typeDefs: string;
  stop(): Promise<void>;
}

/**
 * The entity types that can be read across levels: every type a dataset of
 * this platform is bound to or refers to (a person, an enterprise).
 */
export function crossLevelEntityTypes(catalogue: Catalogue): string[] {
  const types = new Set<string>();
  for (const entry of catalogue.entries) {
    types.add(entry.binding.type);
    for (const item of entry.items) if (item.references) types.add(item.references.type);
  }
  return [...types].sort();
}

/**
 * Serves the cross-level subgraph: links between platforms, the directory
 * across levels, and `otherLevel` on this platform's entities. Like every
 * subgraph it answers only the gateway's signed requests; it holds the join
 * key (to open this platform's handles) and the link key (to sign requests to
 * linked platforms), neither of which leaves it.
 */
export async function startCrossLevelSubgraph(options: {
  db: Knex;
  catalogue: () => Catalogue;
  keys: LinkKeyRing;
  joinKey: Buffer;
  gatewayKey: PlatformKey;
  audit: AuditSink;
  logger: Logger;
  host: string;
  port: number;
}): Promise<RunningCrossLevelSubgraph> {
  const entityTypes = crossLevelEntityTypes(options.catalogue());
  const typeDefs = crossLevelTypeDefs(entityTypes);
  const schema = buildSubgraphSchema({
    typeDefs: parse(typeDefs),
    resolvers: crossLevelResolvers(entityTypes) as unknown as GraphQLResolverMap<unknown>,
  });
  const apollo = await startApolloServer<CrossLevelContext>(schema, [], {
    logger: options.logger,
    requestIdOf: (c) => c.identity.requestId,
  });
  const sealer = new Sealer(options.joinKey);
  const server = createGraphQLHttpServer<CrossLevelContext>({
    traceName: `subgraph ${CROSS_LEVEL_SUBGRAPH}`,
    apollo,
    context: async (req, { body }) => {
      const verified = await authenticateGatewayRequest(
        req,
        CROSS_LEVEL_SUBGRAPH,
        options.gatewayKey,
        body,
      );
      return {
        identity: verified.identity,
        composeOnly: verified.composeOnly,
        db: options.db,
        keys: options.keys,
        sealer,
        audit: options.audit,
        catalogue: options.catalogue,
      };
    },
    routes: {
      '/health': (_, res) => sendJson(res, 200, { status: 'ok', subgraph: CROSS_LEVEL_SUBGRAPH }),
    },
  });
  const base = await listen(server, options.host, options.port);
  return {
    name: CROSS_LEVEL_SUBGRAPH,
    url: `${base}/graphql`,
    typeDefs,
    async stop() {
      await close(server);
      await apollo.stop();
    },
  };
}
