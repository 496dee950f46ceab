export { childrenBatch, entityBatch } from './batchFunctions.ts';
export { RequestLoaders } from './RequestLoaders.ts';
