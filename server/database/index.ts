export { databaseEngine } from './databaseEngine.ts';
export type { DatabaseEngine } from './databaseEngine.ts';
export { databaseName, openDatabase, SQLITE_SHA256 } from './openDatabase.ts';
export { departmentUserName, ensureDepartmentUser } from './departmentUser.ts';
export type { DepartmentCredentials } from './departmentUser.ts';
export { databaseProblem } from './databaseProblem.ts';
export { StorageUnavailableError } from './StorageUnavailableError.ts';
export { migrateDatabase, rollbackDatabase } from './migrateDatabase.ts';
export { MODULE_EXTENSION } from './moduleExtension.ts';
