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
import { otherLevelScoreResolvers } from './api/otherLevelScoreResolvers.ts';
import { OTHER_LEVEL_SCORE_TYPE_DEFS } from './api/otherLevelScoreTypeDefs.ts';
import { platformResolvers } from './api/resolvers.ts';
import { platformRules } from './api/rules.ts';
import { PLATFORM_TYPE_DEFS as CORE_TYPE_DEFS } from './api/typeDefs.ts';

/**
 * The platform subgraph's whole SDL: the core concepts, data quality, API keys,
 * figures over time and the other level's accesses.
 */
export const PLATFORM_TYPE_DEFS =
  CORE_TYPE_DEFS +
  QUALITY_TYPE_DEFS +
  API_KEY_TYPE_DEFS +
  ACCESS_STATISTICS_TYPE_DEFS +
  OTHER_LEVEL_SCORE_TYPE_DEFS;

/** The subgraph name of the platform's own API in the supergraph. */
export const PLATFORM_SUBGRAPH = 'platform';

/** The platform subgraph: its SDL and its schema with the role rules applied. */
export function buildPlatformSubgraph(): { name: string; typeDefs: string; schema: GraphQLSchema } {
  const resolvers = mergeResolvers([
    platformResolvers,
    qualityResolvers,
    apiKeyResolvers,
    accessStatisticsResolvers,
    otherLevelScoreResolvers,
  ]);
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

type ResolverMap = Record<string, object>;

/**
 * The resolvers of each part of the API as one map: a type's fields gathered
 * from every part that resolves some (Query, Mutation, Scorecard…). Two parts
 * resolving the same field is a mistake, and says so.
 */
function mergeResolvers(parts: readonly object[]): ResolverMap {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const part of parts as readonly ResolverMap[]) {
    for (const [type, fields] of Object.entries(part)) {
      // A scalar or enum (not a plain map of fields) is taken whole, once.
      if (Object.getPrototypeOf(fields) !== Object.prototype) {
        if (type in merged) throw new Error(`${type} is resolved by two parts of the platform API`);
        merged[type] = fields as Record<string, unknown>;
        continue;
      }
      const into = (merged[type] ??= {});
      for (const [field, resolver] of Object.entries(fields as Record<string, unknown>)) {
        if (field in into)
          throw new Error(`${type}.${field} is resolved by two parts of the platform API`);
        into[field] = resolver;
      }
    }
  }
  return merged;
}
