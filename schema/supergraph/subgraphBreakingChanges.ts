import { createRequire } from 'node:module';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type * as GraphQL from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { IN_WORKER_FROM, runInSchemaWorker } from './runInSchemaWorker.ts';

/**
 * @apollo/subgraph builds schemas with graphql's CommonJS build; comparing them
 * needs that same instance (graphql checks it with instanceof), not the ESM one
 * an `import` would load.
 */
const { findBreakingChanges, parse } = createRequire(import.meta.url)('graphql') as typeof GraphQL;

/** A change that breaks what clients of a subgraph may rely on, as graphql-js names it. */
export interface SchemaChange {
  type: string;
  description: string;
}

/**
 * What a subgraph's new SDL breaks against its old one (graphql-js's
 * findBreakingChanges over both built as subgraph schemas: removed types and
 * fields, stricter nullability, new required arguments…). `builds` is false
 * when the new SDL does not build a subgraph schema; an old one that does not
 * build has nothing to break.
 */
export function subgraphBreakingChanges(
  before: string,
  after: string,
): { builds: false } | { builds: true; changes: SchemaChange[] } {
  const next = schemaOf(after);
  if (!next) return { builds: false };
  const previous = schemaOf(before);
  if (!previous) return { builds: true, changes: [] };
  const changes = findBreakingChanges(previous, next).map(({ type, description }) => ({
    type,
    description,
  }));
  return { builds: true, changes };
}

/**
 * `subgraphBreakingChanges` without holding the event loop for long: building
 * both schemas takes about a second for a province department's subgraph, so
 * from `IN_WORKER_FROM` characters of SDL it runs in a worker thread.
 */
export async function subgraphBreakingChangesAsync(
  before: string,
  after: string,
): Promise<ReturnType<typeof subgraphBreakingChanges>> {
  if (before.length + after.length < IN_WORKER_FROM) return subgraphBreakingChanges(before, after);
  return (await runInSchemaWorker({ task: 'breakingChanges', before, after })) as ReturnType<
    typeof subgraphBreakingChanges
  >;
}

function schemaOf(sdl: string): GraphQLSchema | null {
  try {
    return buildSubgraphSchema(parse(sdl));
  } catch {
    return null;
  }
}
