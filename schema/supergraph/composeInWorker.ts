import { composeSupergraph, type SubgraphDefinition } from './composeSupergraph.ts';
import { IN_WORKER_FROM, runInSchemaWorker } from './runInSchemaWorker.ts';

/**
 * `composeSupergraph` without holding the event loop for long: small sets of
 * subgraphs (the demo's, a city's) are composed here and now, larger ones (a
 * province's, seconds to minutes of CPU) in a worker thread
 * (`composeSupergraphInWorker`). `onMerged` as `composeSupergraph`'s.
 */
export async function composeSupergraphAsync(
  subgraphs: readonly SubgraphDefinition[],
  onMerged?: (supergraphSdl: string) => void,
): Promise<string> {
  const size = subgraphs.reduce((sum, s) => sum + s.typeDefs.length, 0);
  return size < IN_WORKER_FROM
    ? composeSupergraph(subgraphs, onMerged)
    : composeSupergraphInWorker(subgraphs, onMerged);
}

/**
 * `composeSupergraph` in a worker thread of its own (`runInSchemaWorker`);
 * `onMerged` is called on this thread, while the worker checks satisfiability.
 */
export async function composeSupergraphInWorker(
  subgraphs: readonly SubgraphDefinition[],
  onMerged?: (supergraphSdl: string) => void,
): Promise<string> {
  return (await runInSchemaWorker(
    {
      task: 'compose',
      subgraphs: subgraphs.map(({ name, url, typeDefs }) => ({ name, url, typeDefs })),
      reportMerged: onMerged !== undefined,
    },
    onMerged && (({ merged }) => onMerged(merged)),
  )) as string;
}
