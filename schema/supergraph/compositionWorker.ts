import { parentPort, workerData } from 'node:worker_threads';
import {
  composeSupergraph,
  CompositionError,
  type SubgraphDefinition,
} from './composeSupergraph.ts';

/** What the worker answers: the supergraph, why the subgraphs do not compose, or what went wrong. */
export type CompositionOutcome =
  { supergraphSdl: string } | { errors: readonly string[] } | { failure: string };

// Run as a worker thread by `composeSupergraphInWorker`; importing it elsewhere does nothing.
if (parentPort) {
  let outcome: CompositionOutcome;
  try {
    outcome = { supergraphSdl: composeSupergraph(workerData as SubgraphDefinition[]) };
  } catch (error) {
    outcome =
      error instanceof CompositionError
        ? { errors: error.errors }
        : { failure: error instanceof Error ? error.message : String(error) };
  }
  parentPort.postMessage(outcome);
}
