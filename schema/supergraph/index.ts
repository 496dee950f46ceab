export { composeSupergraph, CompositionError } from './composeSupergraph.ts';
export type { SubgraphDefinition } from './composeSupergraph.ts';
