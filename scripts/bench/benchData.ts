import { join } from 'node:path';
import type { Knex } from 'knex';
import type { Catalogue } from '../../schema/index.ts';
import {
  loadConfig,
  loadOrCreateJoinKey,
  loadOrCreateSigningKeys,
  type PlatformConfig,
  type PlatformKey,
} from '../../server/index.ts';
import {
  loadPlatformCatalogue,
  prepareDepartmentData,
  preparePlatformData,
} from '../platform/index.ts';

/** A bench's platform: the demo data seeded at one scale, in a data folder of its own. */
export interface BenchData {
  /** The folder holding the databases and keys (`<dataRoot>/bench-<people>`). */
  dataDir: string;
  config: PlatformConfig;
  catalogue: Catalogue;
  keys: { privateKey: PlatformKey; publicKey: PlatformKey };
  joinKey: Buffer;
  platformDb: Knex;
  departments: Map<string, Knex>;
  /** Closes every database it opened. */
  close(): Promise<void>;
}

/**
 * Opens the demo data seeded with `people` people in `<dataRoot>/bench-<people>`,
 * migrating and seeding it the first time (kept for the next run), with the
 * gateway's keys and the join key made on first use as `npm start` makes them.
 */
export async function openBenchData(
  dataRoot: string,
  people: number,
  log: (message: string) => void,
): Promise<BenchData> {
  const dataDir = join(dataRoot, `bench-${people}`);
  const config: PlatformConfig = { ...loadConfig({ DATA_DIR: dataDir }), seedScale: people };
  const catalogue = loadPlatformCatalogue({}, config);
  const keys = await loadOrCreateSigningKeys(
    config.auth.gatewayPrivateKeyFile,
    config.auth.gatewayPublicKeyFile,
  );
  const joinKey = loadOrCreateJoinKey(config.auth.joinKeyFile);
  const platformDb = await preparePlatformData(config, catalogue, 'if-empty', log);
  const departments = await prepareDepartmentData(config, catalogue, 'if-empty', log);
  return {
    dataDir,
    config,
    catalogue,
    keys,
    joinKey,
    platformDb,
    departments,
    close: async () => {
      await Promise.all([platformDb, ...departments.values()].map((db) => db.destroy()));
    },
  };
}
