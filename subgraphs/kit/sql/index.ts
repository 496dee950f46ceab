export {
  applyFilter,
  applyScope,
  filterValueProblem,
  likePrefix,
  sqlValue,
} from './applyFilter.ts';
export type { ItemFilter, ListFilter } from './applyFilter.ts';
export { countRows } from './countRows.ts';
export { DatasetTable, keyString } from './DatasetTable.ts';
export type { KeyValue, Row } from './DatasetTable.ts';
export { recordMatches } from './recordMatches.ts';
export { selectByColumn } from './selectByColumn.ts';
export { selectByKeys } from './selectByKeys.ts';
export { ORDER_VALUE, selectPage } from './selectPage.ts';
export type { Page, PageOrder, PageRequest } from './selectPage.ts';
