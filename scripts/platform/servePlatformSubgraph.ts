import {
  createLogger,
  databaseProblem,
  enableMetrics,
  DepartmentVerifyKeys,
  loadVerifyKey,
  platformSubgraphRole,
  startTracing,
  type PlatformConfig,
} from '../../server/index.ts';
import { CatalogueStore } from '../../subgraphs/platform/catalogue/index.ts';
import {
  startPlatformSubgraph,
  type RunningPlatformSubgraph,
} from '../../subgraphs/platform/index.ts';
import { PLATFORM_SIGNER, publishSubgraph } from '../../subgraphs/platform/registry/index.ts';
import { openPlatformDatabaseAs } from './holdToRoleRights.ts';
import { platformSettings } from './platformSettings.ts';
import { hostRegistryKeys } from './registryKeys.ts';
import { loadPlatformCatalogue } from './loadPlatformCatalogue.ts';
import { servePlatformLinks, type ServedPlatformLinks } from './startPlatformLinks.ts';

export interface ServedPlatformSubgraph {
  subgraph: RunningPlatformSubgraph;
  registeredUrl: string;
  /** Links with other platforms served beside it; null without a join key. */
  links: ServedPlatformLinks | null;
  stop(): Promise<void>;
}

/**
 * Serves the platform's own subgraph alone (catalogue, applications, grants,
 * registry, audit queries, scorecards) on the platform database, which
 * `npm run migrate` (the migrations job) has prepared: it migrates nothing.
 * Like a department's subgraph it holds the gateway's public key only, and
 * registers `SUBGRAPH_URL` (or its own URL) in the registry. It reaches no
 * department database, so binding checks of new catalogue entries are left to
 * `govdata serve --department` on the department's host, which refuses to
 * serve an entry its tables do not fit; scheduled quality inspections run
 * where the departments' databases are reachable (`npm start`, or
 * `govdata quality run`).
 *
 * Beside it, on `linkPort` (default: the next port; 0 with port 0), the links
 * with other levels' platforms: the cross-level subgraph, registered like this
 * one, and the directory harvester (see `servePlatformLinks`).
 */
export async function servePlatformSubgraph(
  config: PlatformConfig,
  options: { port: number; linkPort?: number; log?: (message: string) => void },
): Promise<ServedPlatformSubgraph> {
  const log = options.log ?? (() => {});
  enableMetrics(config.observability.metrics, config.observability.metricsToken);
  const stopTracing = startTracing(config.observability.tracing);
  const files = loadPlatformCatalogue({}, config);
  const gatewayKey = await loadVerifyKey(config.auth.gatewayPublicKeyFile);
  const registryKeys = hostRegistryKeys(config, PLATFORM_SIGNER, gatewayKey);
  const { db } = await openPlatformDatabaseAs(config, platformSubgraphRole, 'platform', log);
  const catalogue = new CatalogueStore(db, files.departments, files, 1000, log);
  const logger = createLogger(config);
  let subgraph: RunningPlatformSubgraph | undefined;
  let links: ServedPlatformLinks | null = null;
  const stopAll = async () => {
    catalogue.stop();
    await links?.stop();
    await subgraph?.stop();
    await db.destroy();
    await stopTracing();
  };
  try {
    await catalogue.start();
    subgraph = await startPlatformSubgraph({
      db,
      timeouts: config.timeouts,
      catalogue,
      settings: platformSettings(config),
      gatewayKey,
      auditCheckpoints: { files: [config.auditCheckpoints.file], publicKey: gatewayKey },
      auditAttestations: new DepartmentVerifyKeys(config.auth.departmentKeys.verifyDir),
      registryCompositions: registryKeys.compositions,
      readiness: [() => databaseProblem(db, 'platform database')],
      logger,
      host: config.host,
      port: options.port,
    });
    const registeredUrl = config.subgraphUrl ?? subgraph.url;
    const outcome = await publishSubgraph(db, catalogue.catalogue, {
      ...registryKeys,
      candidate: { name: subgraph.name, url: registeredUrl, sdl: subgraph.typeDefs },
      publishedBy: 'platform subgraph (govdata serve)',
      note: `served at ${registeredUrl}`,
    });
    if (!outcome.published && !outcome.unchanged) {
      throw new Error(`platform: not registered: ${outcome.refusal}`);
    }
    log(`platform: ${registeredUrl} registered`);
    links = await servePlatformLinks(config, {
      platformDb: db,
      catalogue,
      gatewayKey,
      registryKeys,
      logger,
      log,
      port: options.linkPort ?? (options.port === 0 ? 0 : options.port + 1),
    });
    return { subgraph, registeredUrl, links, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
