export { buildTypeDefs, JOIN_HANDLE } from './buildTypeDefs.ts';
export { ITEM_FILTER, ITEM_SCALAR, MAX_IN_VALUES, SHARED_TYPES } from './scalars.ts';
