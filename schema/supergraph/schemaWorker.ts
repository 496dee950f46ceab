import { parentPort, workerData } from 'node:worker_threads';
import { composeSupergraph, CompositionError } from './composeSupergraph.ts';
import type { SubgraphDefinition } from './composeSupergraph.ts';
import { subgraphBreakingChanges } from './subgraphBreakingChanges.ts';

/** Schema work that can take seconds at a province's size, done in a worker thread. */
export type SchemaTask =
  | { task: 'compose'; subgraphs: SubgraphDefinition[] }
  | { task: 'breakingChanges'; before: string; after: string };

/** What the worker answers: the task's value, why the subgraphs do not compose, or what went wrong. */
export type SchemaTaskOutcome =
  { value: unknown } | { compositionErrors: readonly string[] } | { failure: string };

function perform(work: SchemaTask): unknown {
  switch (work.task) {
    case 'compose':
      return composeSupergraph(work.subgraphs);
    case 'breakingChanges':
      return subgraphBreakingChanges(work.before, work.after);
  }
}

// Run as a worker thread by `runInSchemaWorker`; importing it elsewhere does nothing.
if (parentPort) {
  let outcome: SchemaTaskOutcome;
  try {
    outcome = { value: perform(workerData as SchemaTask) };
  } catch (error) {
    outcome =
      error instanceof CompositionError
        ? { compositionErrors: error.errors }
        : { failure: error instanceof Error ? error.message : String(error) };
  }
  parentPort.postMessage(outcome);
}
