export { describeTable } from './describeTable.ts';
export type { ColumnDescription, TableDescription } from './describeTable.ts';
export { entrySkeleton } from './entrySkeleton.ts';
export type { EntrySkeletonOptions } from './entrySkeleton.ts';
