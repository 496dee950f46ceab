import { parentPort, workerData } from 'node:worker_threads';
import { composeSupergraph, CompositionError } from './composeSupergraph.ts';
import type { SchemaTask, SchemaTaskOutcome, SchemaTaskProgress } from './runInSchemaWorker.ts';
import { subgraphBreakingChanges } from './subgraphBreakingChanges.ts';

function perform(work: SchemaTask): unknown {
  switch (work.task) {
    case 'compose':
      return composeSupergraph(
        work.subgraphs,
        work.reportMerged
          ? (merged) => parentPort!.postMessage({ merged } satisfies SchemaTaskProgress)
          : undefined,
      );
    case 'breakingChanges':
      return work.pairs.map(({ before, after }) => subgraphBreakingChanges(before, after));
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
