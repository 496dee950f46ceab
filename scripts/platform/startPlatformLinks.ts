import { dirname, join } from 'node:path';
import type { Knex } from 'knex';
import type { Catalogue } from '../../schema/index.ts';
import {
  LinkKeyRing,
  selectPlatformIdentity,
  type AuditSink,
  type Logger,
  type PlatformConfig,
  type PlatformKey,
  type Route,
} from '../../server/index.ts';
import {
  LINK_CATALOGUE_PATH,
  LinkHarvester,
  linkCatalogueRoute,
  startCrossLevelSubgraph,
  type RunningCrossLevelSubgraph,
} from '../../subgraphs/platform/links/index.ts';

/** What linking with other platforms adds to a running platform (issue 16). */
export interface PlatformLinks {
  subgraph: RunningCrossLevelSubgraph;
  /** The gateway's route linked platforms harvest the catalogue from. */
  routes: Record<string, Route>;
  /** This platform's code for the gateway's link authentication; null until described. */
  ownPlatform: () => Promise<string | null>;
  harvester: LinkHarvester;
  stop(): Promise<void>;
}

/**
 * Starts the cross-level subgraph and the directory harvester. The link key
 * lives beside the gateway's keys (`DATA_DIR/keys/link/`), made on first start.
 */
export async function startPlatformLinks(options: {
  config: PlatformConfig;
  platformDb: Knex;
  catalogue: () => Catalogue;
  joinKey: Buffer;
  gatewayKey: PlatformKey;
  audit: AuditSink;
  logger: Logger;
  log: (message: string) => void;
  port: number;
}): Promise<PlatformLinks> {
  const { platformDb } = options;
  const keys = LinkKeyRing.open(join(dirname(options.config.auth.gatewayPrivateKeyFile), 'link'));
  const subgraph = await startCrossLevelSubgraph({
    db: platformDb,
    catalogue: options.catalogue,
    keys,
    joinKey: options.joinKey,
    gatewayKey: options.gatewayKey,
    audit: options.audit,
    logger: options.logger,
    host: options.config.host,
    port: options.port,
  });
  const harvester = new LinkHarvester(platformDb, keys, options.log);
  return {
    subgraph,
    routes: { [LINK_CATALOGUE_PATH]: linkCatalogueRoute(platformDb, options.catalogue) },
    ownPlatform: async () => (await selectPlatformIdentity(platformDb))?.code ?? null,
    harvester,
    async stop() {
      await harvester.stop();
      await subgraph.stop();
    },
  };
}
