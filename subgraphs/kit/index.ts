export {
  buildDepartmentSubgraph,
  departmentInputs,
  departmentTypeDefs,
  rebuildDepartmentSubgraph,
} from './buildDepartmentSubgraph.ts';
export type { DepartmentSubgraph, SubgraphOptions } from './buildDepartmentSubgraph.ts';
export { migrateDepartment, needsSeed, seedDepartment } from './database/index.ts';
export { DepartmentModel } from './DepartmentModel.ts';
export type { EntityRef, ReverseField, ServedDataset } from './DepartmentModel.ts';
export { RequestLoaders } from './loaders/index.ts';
export type { SubgraphContext } from './resolvers/index.ts';
export { startSubgraphServer, UNGOVERNED_HANDLE_REQUEST } from './startSubgraphServer.ts';
export type { RunningSubgraph } from './startSubgraphServer.ts';
export { buildTypeDefs } from './typeDefs/index.ts';
