import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CompositionError, type SubgraphDefinition } from './composeSupergraph.ts';

/** Schema work that can take seconds at a province's size, done in a worker thread. */
export type SchemaTask =
  | { task: 'compose'; subgraphs: SubgraphDefinition[]; reportMerged?: boolean }
  | { task: 'breakingChanges'; pairs: { before: string; after: string }[] };

/** What the worker answers: the task's value, why the subgraphs do not compose, or what went wrong. */
export type SchemaTaskOutcome =
  { value: unknown } | { compositionErrors: readonly string[] } | { failure: string };

/** Said by the worker before its outcome: a composition's merged supergraph (`composeSupergraph`'s `onMerged`). */
export interface SchemaTaskProgress {
  merged: string;
}

/**
 * The schema worker's young generation. Composition makes garbage by the
 * gigabyte while keeping a heap of one or two: with V8's default (16 MiB
 * semi-spaces) much of it lives long enough to be copied and promoted, and
 * then marked again and again in the old generation. With 128 MiB semi-spaces
 * (V8 sizes the young generation at three of them) a province's composition
 * took 31 s and 40 s of CPU in the worker instead of 37 s and 45 s. The worker, and its
 * heap, are gone when the work is.
 */
const SCHEMA_WORKER_LIMITS = { maxYoungGenerationSizeMb: 384 };

/** `.ts` when running from the sources (tsx, vitest), `.js` when built. */
const EXTENSION = extname(import.meta.filename);
const WORKER = new URL(`./schemaWorker${EXTENSION}`, import.meta.url);

/**
 * Subgraph SDL, in characters, from which schema work (composition, comparing
 * two versions of a subgraph) runs in a worker thread: below it the work takes
 * a fraction of a second, less than starting a worker and loading the
 * libraries there (about a second, more under load).
 */
export const IN_WORKER_FROM = 256 * 1024;

/** Where tsx's ESM API is (for a worker started from the sources), as its package exports it. */
function tsxApi(): string {
  if (typeof import.meta.resolve === 'function') return import.meta.resolve('tsx/esm/api');
  // Loaded as CommonJS (`tsx -e`, say), where import.meta.resolve is missing.
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const { exports } = require(manifest) as {
    exports: Record<string, { import: { default: string } }>;
  };
  return pathToFileURL(join(dirname(manifest), exports['./esm/api']!.import.default)).href;
}

/**
 * Does `work` in a worker thread of its own and gives its value. Composition
 * and building schemas take seconds to minutes of CPU at a province's size; on
 * the calling thread they would stop the platform's event loop — every gateway
 * request, every subgraph, the policy reloads — for as long, and their garbage
 * would be collected together with the platform's whole heap. In a worker the
 * platform keeps answering, the work's heap is its own, and it is gone when the
 * work is. The worker loads the same modules the sources do: with tsx's loader
 * when running from TypeScript, as plain JavaScript when built. Subgraphs that
 * do not compose reject with the same `CompositionError` as here. What the
 * worker says before its outcome goes to `onProgress`.
 */
export function runInSchemaWorker(
  work: SchemaTask,
  onProgress?: (progress: SchemaTaskProgress) => void,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker =
      EXTENSION === '.ts'
        ? // A worker thread does not inherit tsx's loader (Node 20): it registers it, then loads the module.
          new Worker(
            `import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER.href)}); })`,
            { eval: true, workerData: work, resourceLimits: SCHEMA_WORKER_LIMITS },
          )
        : new Worker(WORKER, { workerData: work, resourceLimits: SCHEMA_WORKER_LIMITS });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    worker.on('message', (outcome: SchemaTaskOutcome | SchemaTaskProgress) => {
      if ('merged' in outcome) {
        if (!settled) onProgress?.(outcome);
        return;
      }
      settle(() => {
        if ('value' in outcome) resolve(outcome.value);
        else if ('compositionErrors' in outcome)
          reject(new CompositionError(outcome.compositionErrors));
        else reject(new Error(`${work.task} failed: ${outcome.failure}`));
      });
    });
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) =>
      settle(() => reject(new Error(`the schema worker stopped (exit code ${code})`))),
    );
  });
}
