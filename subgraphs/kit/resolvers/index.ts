export { buildResolvers } from './buildResolvers.ts';
export { decodeCursor, encodeCursor } from './cursor.ts';
export type { SubgraphContext } from './SubgraphContext.ts';
