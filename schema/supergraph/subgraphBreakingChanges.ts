import { createHash } from 'node:crypto';
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

/** What `subgraphBreakingChanges` finds. */
export type SubgraphComparison = ReturnType<typeof subgraphBreakingChanges>;

/** Two versions of a subgraph's SDL to compare. */
export interface SdlPair {
  before: string;
  after: string;
}

/** Comparisons made lately, by the hashes of both SDLs: a publication's check and the publication compare the same pairs. */
const remembered = new Map<string, Promise<SubgraphComparison>>();
const REMEMBERED = 32;

/**
 * `subgraphBreakingChanges` for each pair, without holding the event loop for
 * long: building the schemas takes seconds for a province department's
 * subgraph, so from `IN_WORKER_FROM` characters of SDL in all the pairs are
 * compared in one worker thread (one start and one load of the libraries,
 * about a second each time). A pair compared lately is not compared again.
 */
export async function subgraphBreakingChangesAsync(
  pairs: readonly SdlPair[],
): Promise<SubgraphComparison[]> {
  const keys = pairs.map(({ before, after }) => `${sha256(before)}:${sha256(after)}`);
  const answers = new Map<string, Promise<SubgraphComparison>>();
  const todo = new Map<string, SdlPair>();
  keys.forEach((key, i) => {
    const known = remembered.get(key);
    if (known) answers.set(key, known);
    else todo.set(key, pairs[i]!);
  });
  if (todo.size > 0) {
    const missing = [...todo.values()];
    const size = missing.reduce((sum, p) => sum + p.before.length + p.after.length, 0);
    const compared =
      size < IN_WORKER_FROM
        ? Promise.resolve(missing.map((p) => subgraphBreakingChanges(p.before, p.after)))
        : (runInSchemaWorker({ task: 'breakingChanges', pairs: missing }) as Promise<
            SubgraphComparison[]
          >);
    [...todo.keys()].forEach((key, i) => {
      const comparison = compared.then((all) => all[i]!);
      answers.set(key, comparison);
      remember(key, comparison);
    });
  }
  return Promise.all(keys.map((key) => answers.get(key)!));
}

function remember(key: string, comparison: Promise<SubgraphComparison>): void {
  remembered.set(key, comparison);
  // A failed comparison is not remembered: the next caller tries again.
  comparison.catch(() => remembered.delete(key));
  while (remembered.size > REMEMBERED) remembered.delete(remembered.keys().next().value!);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function schemaOf(sdl: string): GraphQLSchema | null {
  try {
    return buildSubgraphSchema(parse(sdl));
  } catch {
    return null;
  }
}
