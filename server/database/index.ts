export { databaseName, openDatabase } from './openDatabase.ts';
export { StorageUnavailableError } from './StorageUnavailableError.ts';
export { migrateDatabase, rollbackDatabase } from './migrateDatabase.ts';
