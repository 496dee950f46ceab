export { buildResolvers } from './buildResolvers.ts';
export { Cursors } from './cursor.ts';
export type { SubgraphContext } from './SubgraphContext.ts';
