export {
  catalogueReachProblem,
  catalogueSdlOf,
  publishedCatalogueSdl,
  type CatalogueSdl,
} from './catalogueReach.ts';
export { checkSubgraph, checkSubgraphs } from './checkSubgraph.ts';
export { composeInForce, composeShared, compositionKey, servedSubgraphs } from './composeShared.ts';
export type { ComposeOptions, RegistryTrust } from './composeShared.ts';
export {
  PLATFORM_SIGNER,
  RegistrySigner,
  signerOf,
  type CompositionKeys,
} from './registrySignatures.ts';
export type {
  AffectedConsumer,
  BreakingChange,
  SubgraphCandidate,
  SubgraphCheck,
} from './checkSubgraph.ts';
export { publishSubgraph, publishSubgraphs } from './publishSubgraph.ts';
export type {
  PublishOutcome,
  PublishRequest,
  PublishSetOutcome,
  PublishSetRequest,
} from './publishSubgraph.ts';
export { RegistryWatcher } from './RegistryWatcher.ts';
export {
  insertSubgraphVersion,
  sdlHash,
  selectCurrentSubgraphs,
  selectRegistryRevision,
  selectServedSubgraphs,
  selectSubgraphHistory,
} from './registryQueries.ts';
export type { SubgraphVersion } from './registryQueries.ts';
