export { databaseName, openDatabase } from './openDatabase.ts';
export { migrateDatabase, rollbackDatabase } from './migrateDatabase.ts';
