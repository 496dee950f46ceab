export {
  checkBindingAgainstDatabase,
  undescribedColumns,
  undescribedColumnsMessage,
} from './checkBindingAgainstDatabase.ts';
export type { BindingProblem, BoundEntry } from './checkBindingAgainstDatabase.ts';
export { describeTable } from './describeTable.ts';
export type { ColumnDescription, TableDescription, TableKind } from './describeTable.ts';
export { entrySkeleton } from './entrySkeleton.ts';
export type { EntrySkeletonOptions } from './entrySkeleton.ts';
export { columnFitsItem, itemTypeOfSql } from './itemTypeOfSql.ts';
export { listTables } from './listTables.ts';
export { catalogueBindingProblems } from './catalogueBindingProblems.ts';
