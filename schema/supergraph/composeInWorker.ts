import { composeSupergraph, type SubgraphDefinition } from './composeSupergraph.ts';
import { IN_WORKER_FROM, runInSchemaWorker } from './runInSchemaWorker.ts';

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
  return size < IN_WORKER_FROM
    ? composeSupergraph(subgraphs)
    : composeSupergraphInWorker(subgraphs);
}

/** `composeSupergraph` in a worker thread of its own (`runInSchemaWorker`). */
export async function composeSupergraphInWorker(
  subgraphs: readonly SubgraphDefinition[],
): Promise<string> {
  return (await runInSchemaWorker({
    task: 'compose',
    subgraphs: subgraphs.map(({ name, url, typeDefs }) => ({ name, url, typeDefs })),
  })) as string;
}
