/**
 * `npm run seed -- [--scale N]`: migrates, then replaces the demo data of every
 * department with N people's worth (default SEED_SCALE, 5000) and re-seeds the
 * demo grants. Deterministic: the same scale always gives the same rows.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/index.ts';
import {
  loadPlatformCatalogue,
  prepareDepartmentData,
  preparePlatformData,
} from './platform/index.ts';

const log = (message: string) => console.log(`[seed] ${message}`);
try {
  const { values } = parseArgs({ options: { scale: { type: 'string' } } });
  const defaults = loadConfig();
  const scale = values.scale === undefined ? defaults.seedScale : Number(values.scale);
  if (!Number.isInteger(scale) || scale < 1 || scale > 10_000_000) {
    throw new Error(
      `--scale must be a whole number of people from 1 to 10000000 (got ${values.scale})`,
    );
  }
  const config = { ...defaults, seedScale: scale };
  const catalogue = loadPlatformCatalogue({}, config);
  const platform = await preparePlatformData(config, catalogue, 'always', log);
  const departments = await prepareDepartmentData(config, catalogue, 'always', log);
  await Promise.all([platform, ...departments.values()].map((db) => db.destroy()));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
