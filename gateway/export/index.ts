export { exportProxyRoutes } from './exportProxyRoutes.ts';
export type { ExportProxyOptions } from './exportProxyRoutes.ts';
export { subgraphUrls } from './subgraphUrls.ts';
export { ExportSlots, EXPORTS_PER_CONSUMER, EXPORTS_PER_PROCESS } from './ExportSlots.ts';
