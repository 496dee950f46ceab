export type { PlatformSettings } from './api/PlatformContext.ts';
export {
  buildPlatformSubgraph,
  PLATFORM_SUBGRAPH,
  PLATFORM_TYPE_DEFS,
} from './buildPlatformSubgraph.ts';
export { startPlatformSubgraph } from './startPlatformSubgraph.ts';
export type { RunningPlatformSubgraph } from './startPlatformSubgraph.ts';
