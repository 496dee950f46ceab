import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  composeSupergraph,
  CompositionError,
  type SubgraphDefinition,
} from './composeSupergraph.ts';
import type { CompositionOutcome } from './compositionWorker.ts';

/** `.ts` when running from the sources (tsx, vitest), `.js` when built. */
const EXTENSION = extname(import.meta.filename);
const WORKER = new URL(`./compositionWorker${EXTENSION}`, import.meta.url);

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
 * Subgraph SDL, in characters, from which composition runs in a worker thread:
 * below it composing takes a fraction of a second, less than starting a worker
 * and loading the composition library there (about a second, more under load).
 */
export const COMPOSE_IN_WORKER_FROM = 256 * 1024;

/**
 * `composeSupergraph` without holding the event loop for long: small sets of
 * subgraphs (the demo's, a city's) are composed here and now, larger ones (a
 * province's, seconds to minutes of CPU) in a worker thread
 * (`composeSupergraphInWorker`).
 */
export async function composeSupergraphAsync(
  subgraphs: readonly SubgraphDefinition[],
): Promise<string> {
  const size = subgraphs.reduce((sum, s) => sum + s.typeDefs.length, 0);
  return size < COMPOSE_IN_WORKER_FROM
    ? composeSupergraph(subgraphs)
    : composeSupergraphInWorker(subgraphs);
}

/**
 * `composeSupergraph` in a worker thread of its own. Composition takes seconds
 * to minutes of CPU at a province's size (see `composeShared`); on the calling
 * thread it would stop the platform's event loop — every gateway request, every
 * subgraph, the policy reloads — for as long, and its garbage would be collected
 * together with the platform's whole heap. In a worker the platform keeps
 * answering, the composition's heap is its own, and it is gone when the
 * composition is. The worker loads the same module the sources do: with tsx's
 * loader when running from TypeScript, as plain JavaScript when built.
 */
export function composeSupergraphInWorker(
  subgraphs: readonly SubgraphDefinition[],
): Promise<string> {
  return new Promise((resolve, reject) => {
    const workerData = subgraphs.map(({ name, url, typeDefs }) => ({ name, url, typeDefs }));
    const worker =
      EXTENSION === '.ts'
        ? // A worker thread does not inherit tsx's loader (Node 20): it registers it, then loads the module.
          new Worker(
            `import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER.href)}); })`,
            { eval: true, workerData },
          )
        : new Worker(WORKER, { workerData });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    worker.once('message', (outcome: CompositionOutcome) =>
      settle(() => {
        if ('supergraphSdl' in outcome) resolve(outcome.supergraphSdl);
        else if ('errors' in outcome) reject(new CompositionError(outcome.errors));
        else reject(new Error(`composition failed: ${outcome.failure}`));
      }),
    );
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) =>
      settle(() => reject(new Error(`the composition worker stopped (exit code ${code})`))),
    );
  });
}
