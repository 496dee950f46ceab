export { exportProxyRoutes } from './exportProxyRoutes.ts';
export type { ExportProxyOptions } from './exportProxyRoutes.ts';
export { subgraphUrls } from './subgraphUrls.ts';
