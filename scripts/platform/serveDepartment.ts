import type { Knex } from 'knex';
import { CatalogueError } from '../../schema/index.ts';
import {
  AuditWriter,
  createLogger,
  databaseProblem,
  enableMetrics,
  loadJoinKey,
  loadDepartmentSigningKey,
  loadVerifyKey,
  openDatabase,
  platformHostRole,
  startTracing,
  type PlatformConfig,
} from '../../server/index.ts';
import { PolicyStore } from '../../subgraphs/kit/access/index.ts';
import {
  buildDepartmentSubgraph,
  rebuildDepartmentSubgraph,
  migrateDepartment,
  needsSeed,
  seedDepartment,
  startSubgraphServer,
  type RunningSubgraph,
} from '../../subgraphs/kit/index.ts';
import { catalogueBindingProblems } from '../../subgraphs/kit/introspection/index.ts';
import { CatalogueStore } from '../../subgraphs/platform/catalogue/index.ts';
import { publishSubgraph } from '../../subgraphs/platform/registry/index.ts';
import { subgraphAccessSettings } from './platformSettings.ts';
import { openPlatformDatabaseAs } from './holdToRoleRights.ts';
import { hostRegistryKeys } from './registryKeys.ts';
import { republishSubgraph } from './republishSubgraph.ts';
import { loadPlatformCatalogue, unknownDepartments } from './loadPlatformCatalogue.ts';

export interface ServeDepartmentOptions {
  /** The department's code, e.g. `city_water`. */
  department: string;
  /** Port to listen on (0: any free port). */
  port: number;
  /** Seed the department's own database when its tables are empty (a demo host), or never. */
  seed: 'if-empty' | 'never';
  log?: (message: string) => void;
}

export interface ServedDepartment {
  subgraph: RunningSubgraph;
  /** The URL registered for gateways: `SUBGRAPH_URL` (a load balancer's), or its own. */
  registeredUrl: string;
  stop(): Promise<void>;
}

/**
 * Serves one department's subgraph alone, as a department's own host (or its
 * e-government cloud) does: its data in its own database (DEPARTMENT_DATABASE_URL,
 * or SQLite), migrated and checked against the department's catalogue entries
 * before it serves. From the platform database it reads only what every
 * replica must share — the published catalogue, grants, the registry — and it
 * appends its audit records there under a chain of its own. It holds the
 * gateway's public key, never the private one (it verifies, it never signs),
 * the platform's join key, and its department's audit signing key, which it
 * never makes: a key of its own making would sign records no gateway accepts.
 *
 * Once it serves, it registers its URL in the platform's subgraph registry
 * (checked like `govdata subgraph publish`: refused if it breaks a consumer),
 * and gateways follow the registry without a restart. Replicas behind a load
 * balancer register the same `SUBGRAPH_URL`, so the second one changes nothing.
 * When a newly published catalogue changes the department's part, it serves the
 * new schema, then publishes it.
 */
export async function serveDepartment(
  config: PlatformConfig,
  options: ServeDepartmentOptions,
): Promise<ServedDepartment> {
  const log = options.log ?? (() => {});
  const files = loadPlatformCatalogue({}, config);
  const department = files.department(options.department);
  if (!department) throw new Error(unknownDepartments(files, [options.department])!);
  enableMetrics(config.observability.metrics, config.observability.metricsToken);
  const stopTracing = startTracing(config.observability.tracing);
  const logger = createLogger(config);
  const gatewayKey = await loadVerifyKey(config.auth.gatewayPublicKeyFile);
  const departmentKey = loadDepartmentSigningKey(
    config.auth.departmentKeys.signingDir,
    department.code,
  );
  const joinKey = loadJoinKey(config.auth.joinKeyFile);
  const { db: platformDb, held } = await openPlatformDatabaseAs(
    config,
    (platformDatabase) => platformHostRole(platformDatabase, department.code),
    department.code,
    log,
  );
  const opened: Knex[] = [platformDb];
  const catalogueStore = new CatalogueStore(platformDb, files.departments, files, 1000, log);
  const policies = new PolicyStore(platformDb, logger, config.policyReload);
  const audit = new AuditWriter(platformDb, `${department.code} subgraph`, {
    onStorageProblem: (problem) => log(`audit store: ${problem}`),
    timeoutMs: config.database.limits?.lockTimeoutMs,
  });
  let subgraph: RunningSubgraph | undefined;
  const stopAll = async () => {
    catalogueStore.stop();
    policies.stop();
    await subgraph?.stop();
    await audit.drain();
    await Promise.all(opened.map((db) => db.destroy()));
    await stopTracing();
  };
  try {
    // A host credential cannot make the department's own database.
    if (held && !config.departmentDatabase) {
      throw new Error(
        `${department.code}: not started: DATABASE_URL's user is a host's, which cannot make the ` +
          "department's own database; set DEPARTMENT_DATABASE_URL to it.",
      );
    }
    const db = await openDatabase(config.departmentDatabase ?? config.database, department.code);
    opened.push(db);
    const applied = await migrateDepartment(db, department);
    if (applied.length > 0) log(`${department.code}: applied ${applied.length} migration(s)`);
    await catalogueStore.start();
    const problems = await catalogueBindingProblems(
      catalogueStore.catalogue.entries.filter((e) => e.department === department.code),
      (code) => (code === department.code ? db : undefined),
      new Set(),
    );
    if (problems.length > 0) throw new CatalogueError(problems);
    if (options.seed === 'if-empty' && (await needsSeed(db, department))) {
      const counts = await seedDepartment(db, department, config.seedScale);
      log(`${department.code}: seeded ${Object.values(counts).reduce((a, b) => a + b, 0)} rows`);
    }
    await policies.start();
    const subgraphOptions = { maxPageSize: config.maxPageSize };
    subgraph = await startSubgraphServer(
      buildDepartmentSubgraph(catalogueStore.catalogue, department.code, subgraphOptions),
      {
        db,
        catalogue: () => catalogueStore.catalogue,
        policies,
        audit,
        departmentKey,
        gatewayKey,
        joinKey,
        access: subgraphAccessSettings(config),
        logger,
        bounds: config.limits.subgraph,
        timeouts: config.timeouts,
        readiness: [
          () => databaseProblem(db, `${department.code} database`),
          () => databaseProblem(platformDb, 'platform database'),
          () => audit.problem(),
          () => policies.problem(),
        ],
        host: config.host,
        port: options.port,
      },
    );
    const running = subgraph;
    const registeredUrl = config.subgraphUrl ?? running.url;
    const registryKeys = hostRegistryKeys(config, department.code, gatewayKey);
    const outcome = await publishSubgraph(platformDb, catalogueStore.catalogue, {
      ...registryKeys,
      candidate: { name: running.name, url: registeredUrl, sdl: running.subgraph.typeDefs },
      publishedBy: `${department.code} subgraph (govdata serve)`,
      note: `served at ${registeredUrl}`,
    });
    if (!outcome.published && !outcome.unchanged) {
      throw new Error(`${department.code}: not registered: ${outcome.refusal}`);
    }
    log(
      outcome.published
        ? `${department.code}: registered ${registeredUrl} as version ${outcome.version.version}`
        : `${department.code}: ${registeredUrl} is already registered`,
    );
    catalogueStore.subscribe(async (catalogue) => {
      // Grants and sharing decisions first, so a new dataset is never served undecided.
      await policies.catchUp();
      const refusal = await republishSubgraph(
        platformDb,
        running,
        catalogue,
        rebuildDepartmentSubgraph(running.subgraph, catalogue, subgraphOptions),
        registryKeys,
        registeredUrl,
      );
      if (refusal) log(`${department.code}: not published to the registry: ${refusal}`);
    });
    return { subgraph: running, registeredUrl, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
