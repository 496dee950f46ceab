import { dirname, join } from 'node:path';
import type { Knex } from 'knex';
import type { Catalogue } from '../../schema/index.ts';
import {
  AuditWriter,
  LinkKeyRing,
  loadJoinKey,
  selectPlatformIdentity,
  type AuditSink,
  type Logger,
  type PlatformConfig,
  type PlatformKey,
  type Route,
} from '../../server/index.ts';
import { CatalogueStore } from '../../subgraphs/platform/catalogue/index.ts';
import {
  LINK_CATALOGUE_PATH,
  LinkHarvester,
  linkCatalogueRoute,
  startCrossLevelSubgraph,
  type RunningCrossLevelSubgraph,
} from '../../subgraphs/platform/links/index.ts';
import {
  publishSubgraph,
  type SubgraphCandidate,
} from '../../subgraphs/platform/registry/index.ts';
import { publishRegenerated, type PublishingKeys } from './republishSubgraph.ts';

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
 * After a catalogue publication: the cross-level subgraph serves `otherLevel`
 * on the new catalogue's entity types and, when they changed, what is to be
 * published to the registry at `url` (so that the gateway composes it on a type
 * published since the start) is returned; null when nothing changed.
 */
export async function refreshCrossLevel(
  subgraph: RunningCrossLevelSubgraph,
  url: string,
): Promise<SubgraphCandidate | null> {
  if (!(await subgraph.refresh())) return null;
  return { name: subgraph.name, url, sdl: subgraph.typeDefs };
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
    timeouts: options.config.timeouts,
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

/** What a gateway needs to take part in links: the harvest route and its own platform's code. */
export interface GatewayLinkParts {
  routes: Record<string, Route>;
  ownPlatform: () => Promise<string | null>;
}

/**
 * The link parts of a gateway running alone (`npm run gateway`): it takes
 * linked platforms' requests (their tokens verified against the links in the
 * platform database) and serves `/link/catalogue`, the catalogue in force
 * (`files` and what was published since, reloaded when asked if it changed:
 * no timer in every worker). It signs
 * nothing for links, so it needs no link key; the cross-level subgraph and
 * the harvest run with the platform subgraph (`servePlatformLinks`).
 */
export function gatewayLinkParts(platformDb: Knex, files: Catalogue): GatewayLinkParts {
  const store = new CatalogueStore(platformDb, files.departments, files);
  return {
    routes: {
      [LINK_CATALOGUE_PATH]: linkCatalogueRoute(platformDb, async () => {
        await store.reload();
        return store.catalogue;
      }),
    },
    ownPlatform: async () => (await selectPlatformIdentity(platformDb))?.code ?? null,
  };
}

/** The link machinery beside a platform subgraph served alone. */
export interface ServedPlatformLinks {
  subgraph: RunningCrossLevelSubgraph;
  registeredUrl: string;
  harvester: LinkHarvester;
  stop(): Promise<void>;
}

/**
 * Links served with the platform subgraph alone (`govdata serve --platform`):
 * the cross-level subgraph on `port`, registered in the subgraph registry
 * like the platform subgraph (at `CROSSLEVEL_SUBGRAPH_URL`, a balancer's, or
 * its own address), and the directory harvester. It needs the join
 * key (to open this platform's handles, as a department subgraph does) and
 * the link key (`DATA_DIR/keys/link/`, made on first start: replicas must
 * share that folder, as they share the join key). Without a join key it
 * serves no links and says so: null.
 */
export async function servePlatformLinks(
  config: PlatformConfig,
  options: {
    platformDb: Knex;
    catalogue: CatalogueStore;
    gatewayKey: PlatformKey;
    /** The platform's registry key, which the cross-level subgraph is published with. */
    registryKeys: PublishingKeys;
    logger: Logger;
    log: (message: string) => void;
    port: number;
  },
): Promise<ServedPlatformLinks | null> {
  let joinKey: Buffer;
  try {
    joinKey = loadJoinKey(config.auth.joinKeyFile);
  } catch (error) {
    options.log(
      `links with other platforms are not served: ${error instanceof Error ? error.message : String(error)}`,
    );
    return null;
  }
  const audit = new AuditWriter(options.platformDb, 'crosslevel subgraph', {
    onStorageProblem: (problem) => options.log(`audit store: ${problem}`),
    timeoutMs: config.database.limits?.lockTimeoutMs,
  });
  const links = await startPlatformLinks({
    config,
    platformDb: options.platformDb,
    catalogue: () => options.catalogue.catalogue,
    joinKey,
    gatewayKey: options.gatewayKey,
    audit,
    logger: options.logger,
    log: options.log,
    port: options.port,
  });
  let stopped = false;
  const stop = async () => {
    stopped = true;
    await links.stop();
    await audit.drain();
  };
  try {
    const { subgraph } = links;
    const registeredUrl = config.crossLevelSubgraphUrl ?? subgraph.url;
    // A publication that brings a new entity type brings its `otherLevel` too.
    options.catalogue.subscribe(async (catalogue) => {
      if (stopped) return;
      const candidate = await refreshCrossLevel(subgraph, registeredUrl);
      const refusal =
        candidate &&
        (await publishRegenerated(
          options.platformDb,
          catalogue,
          [candidate],
          options.registryKeys,
        ));
      if (refusal) options.log(`${subgraph.name}: not published to the registry: ${refusal}`);
    });
    const outcome = await publishSubgraph(options.platformDb, options.catalogue.catalogue, {
      ...options.registryKeys,
      candidate: { name: subgraph.name, url: registeredUrl, sdl: subgraph.typeDefs },
      publishedBy: 'platform subgraph (govdata serve)',
      note: `served at ${registeredUrl}`,
    });
    if (!outcome.published && !outcome.unchanged) {
      throw new Error(`${subgraph.name}: not registered: ${outcome.refusal}`);
    }
    links.harvester.start();
    options.log(`${subgraph.name}: ${registeredUrl} registered; harvesting linked platforms`);
    return { subgraph, registeredUrl, harvester: links.harvester, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
