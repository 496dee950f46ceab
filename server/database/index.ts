export { databaseEngine } from './databaseEngine.ts';
export type { DatabaseEngine } from './databaseEngine.ts';
export { checkpointOffThread, databaseName, openDatabase, SQLITE_SHA256 } from './openDatabase.ts';
export {
  departmentPasswordFile,
  departmentUserName,
  ensureDepartmentUser,
} from './departmentUser.ts';
export type { DepartmentCredentials } from './departmentUser.ts';
export { databaseProblem } from './databaseProblem.ts';
export { StorageUnavailableError } from './StorageUnavailableError.ts';
export { scanRows } from './tableScans.ts';
export { migrateDatabase, pendingMigrations, rollbackDatabase } from './migrateDatabase.ts';
export { MODULE_EXTENSION } from './moduleExtension.ts';
export { runWaitingOnLocks, SQLITE_BUSY_TIMEOUT_MS } from './waitOnLocksAsynchronously.ts';
export { inTransaction, rolledBackByServer } from './inTransaction.ts';
export type { TransactionOptions } from './inTransaction.ts';
export {
  ANY_OTHER_TABLE,
  ensurePlatformHostUser,
  ensurePlatformRoleUser,
  GATEWAY_RIGHTS,
  HOST_RIGHTS,
  platformGatewayRole,
  platformHostRole,
  platformHostUserName,
  platformRightsBeyond,
  platformSubgraphRole,
  PLATFORM_SUBGRAPH_RIGHTS,
  rightsBeyond,
  type PlatformRole,
  type RoleRights,
} from './platformRoleUsers.ts';
