/** `npm run migrate`: applies every pending migration of the platform and department databases. */
import { loadConfig } from '../server/index.ts';
import {
  loadPlatformCatalogue,
  prepareDepartmentData,
  preparePlatformData,
} from './platform/index.ts';

const log = (message: string) => console.log(`[migrate] ${message}`);
try {
  const config = loadConfig();
  const catalogue = loadPlatformCatalogue({}, config);
  const platform = await preparePlatformData(config, catalogue, 'never', log);
  const departments = await prepareDepartmentData(config, catalogue, 'never', log);
  await Promise.all([platform, ...departments.values()].map((db) => db.destroy()));
  log('up to date');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
