export { authorityClaims, canonicalElement, elementAliases } from './authorityClaims.ts';
export type { AuthorityClaim, ElementAliases } from './authorityClaims.ts';
export { catalogueForLinks } from './catalogueForLinks.ts';
export { checkAuthorityAcrossLevels } from './checkAuthorityAcrossLevels.ts';
export { crossLevelAuthority } from './crossLevelAuthority.ts';
export type { AuthorityConflict, HarvestedClaim, LevelAuthority } from './crossLevelAuthority.ts';
export type { LinkCatalogue, PublishedEntry } from './catalogueForLinks.ts';
export { harvestLinkedCatalogue } from './harvestLinkedCatalogue.ts';
export type { HarvestOutcome } from './harvestLinkedCatalogue.ts';
export { LINK_CATALOGUE_PATH, linkCatalogueRoute } from './linkCatalogueRoute.ts';
export { HARVEST_INTERVAL_MS, LinkHarvester } from './LinkHarvester.ts';
export {
  CROSS_LEVEL_SUBGRAPH,
  crossLevelEntityTypes,
  startCrossLevelSubgraph,
} from './startCrossLevelSubgraph.ts';
export type { RunningCrossLevelSubgraph } from './startCrossLevelSubgraph.ts';
export { crossLevelTypeDefs } from './crossLevelTypeDefs.ts';
