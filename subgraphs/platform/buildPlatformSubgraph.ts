import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { accessStatisticsResolvers } from './api/accessStatisticsResolvers.ts';
import { ACCESS_STATISTICS_TYPE_DEFS } from './api/accessStatisticsTypeDefs.ts';
import { apiKeyResolvers } from './api/apiKeyResolvers.ts';
import { API_KEY_TYPE_DEFS } from './api/apiKeyTypeDefs.ts';
import { qualityResolvers } from './api/qualityResolvers.ts';
import { QUALITY_TYPE_DEFS } from './api/qualityTypeDefs.ts';
import { platformResolvers } from './api/resolvers.ts';
import { platformRules } from './api/rules.ts';
import { PLATFORM_TYPE_DEFS as CORE_TYPE_DEFS } from './api/typeDefs.ts';

/** The platform subgraph's whole SDL: the core concepts, data quality, API keys and figures over time. */
export const PLATFORM_TYPE_DEFS =
  CORE_TYPE_DEFS + QUALITY_TYPE_DEFS + API_KEY_TYPE_DEFS + ACCESS_STATISTICS_TYPE_DEFS;

/** The subgraph name of the platform's own API in the supergraph. */
export const PLATFORM_SUBGRAPH = 'platform';

/** The platform subgraph: its SDL and its schema with the role rules applied. */
export function buildPlatformSubgraph(): { name: string; typeDefs: string; schema: GraphQLSchema } {
  const resolvers = {
    ...platformResolvers,
    ...qualityResolvers,
    Query: {
      ...platformResolvers.Query,
      ...qualityResolvers.Query,
      ...apiKeyResolvers.Query,
      ...accessStatisticsResolvers.Query,
    },
    Mutation: {
      ...platformResolvers.Mutation,
      ...qualityResolvers.Mutation,
      ...apiKeyResolvers.Mutation,
    },
  };
  const schema = buildSubgraphSchema({
    typeDefs: parse(PLATFORM_TYPE_DEFS),
    resolvers: resolvers as unknown as GraphQLResolverMap<unknown>,
  });
  return {
    name: PLATFORM_SUBGRAPH,
    typeDefs: PLATFORM_TYPE_DEFS,
    schema: applyMiddleware(schema, platformRules),
  };
}
