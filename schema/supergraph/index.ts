export { composeSupergraph, CompositionError } from './composeSupergraph.ts';
export type { SubgraphDefinition } from './composeSupergraph.ts';
export { composeSupergraphAsync, composeSupergraphInWorker } from './composeInWorker.ts';
export { IN_WORKER_FROM } from './runInSchemaWorker.ts';
export {
  subgraphBreakingChanges,
  subgraphBreakingChangesAsync,
} from './subgraphBreakingChanges.ts';
export type { SchemaChange, SdlPair, SubgraphComparison } from './subgraphBreakingChanges.ts';
