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
  type TimeoutConfig,
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
  /** The SDL served now. */
  readonly typeDefs: string;
  /**
   * Serves `otherLevel` on the catalogue's entity types as they are now: true
   * when they changed (a published entry brought a new type, or a retired one
   * took its last away) and a new schema is served, which must then be
   * published to the registry; false when nothing changed. Requests under way
   * finish on the schema they started with.
   */
  refresh(): Promise<boolean>;
  stop(): Promise<void>;
}

/** How long a replaced schema keeps serving the requests that started on it. */
const DRAIN_MS = 30_000;

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
  /** HTTP timeouts, the whole request's included (`REQUEST_TIMEOUT_MS`); the defaults otherwise. */
  timeouts?: TimeoutConfig;
  host: string;
  port: number;
}): Promise<RunningCrossLevelSubgraph> {
  const serve = async (entityTypes: string[]) => {
    const typeDefs = crossLevelTypeDefs(entityTypes);
    const schema = buildSubgraphSchema({
      typeDefs: parse(typeDefs),
      resolvers: crossLevelResolvers(entityTypes) as unknown as GraphQLResolverMap<unknown>,
    });
    const apollo = await startApolloServer<CrossLevelContext>(schema, [], {
      logger: options.logger,
      requestIdOf: (c) => c.identity.requestId,
    });
    return { key: entityTypes.join(','), typeDefs, apollo };
  };
  let serving = await serve(crossLevelEntityTypes(options.catalogue()));
  const sealer = new Sealer(options.joinKey);
  const server = createGraphQLHttpServer<CrossLevelContext>({
    traceName: `subgraph ${CROSS_LEVEL_SUBGRAPH}`,
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    apollo: () => serving.apollo,
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
    get typeDefs() {
      return serving.typeDefs;
    },
    async refresh() {
      const entityTypes = crossLevelEntityTypes(options.catalogue());
      if (entityTypes.join(',') === serving.key) return false;
      const previous = serving;
      serving = await serve(entityTypes);
      setTimeout(() => void previous.apollo.stop(), DRAIN_MS).unref();
      return true;
    },
    async stop() {
      await close(server);
      await serving.apollo.stop();
    },
  };
}
