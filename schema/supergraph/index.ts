export { composeSupergraph, CompositionError } from './composeSupergraph.ts';
export type { SubgraphDefinition } from './composeSupergraph.ts';
export {
  COMPOSE_IN_WORKER_FROM,
  composeSupergraphAsync,
  composeSupergraphInWorker,
} from './composeInWorker.ts';
