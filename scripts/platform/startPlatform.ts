import { setImmediate } from 'node:timers/promises';
import type { Knex } from 'knex';
import { CatalogueError, type Catalogue } from '../../schema/index.ts';
import { catalogueBindingProblems, listTables } from '../../subgraphs/kit/introspection/index.ts';
import { Authenticator, startGateway, type RunningGateway } from '../../gateway/index.ts';
import {
  AuditWriter,
  DiscardingAuditSinkForBenchmarks,
  type AuditSink,
  databaseProblem,
  createLogger,
  enableMetrics,
  startTracing,
  type Logger,
  DepartmentVerifyKeys,
  loadOrCreateDepartmentKey,
  loadOrCreateJoinKey,
  loadOrCreateSigningKeys,
  openDatabase,
  type PlatformConfig,
} from '../../server/index.ts';
import { PolicyStore } from '../../subgraphs/kit/access/index.ts';
import { CatalogueStore } from '../../subgraphs/platform/catalogue/index.ts';
import { QualityScheduler } from '../../subgraphs/platform/quality/index.ts';
import {
  compositionKey,
  insertSubgraphVersion,
  PLATFORM_SIGNER,
  RegistrySigner,
  selectCurrentSubgraphs,
  servedSubgraphs,
  type RegistryWatcher,
  type SubgraphCandidate,
} from '../../subgraphs/platform/registry/index.ts';
import {
  startPlatformSubgraph,
  type RunningPlatformSubgraph,
} from '../../subgraphs/platform/index.ts';
import { type AheadComposition, composeAhead } from './composeAhead.ts';
import { loadPlatformCatalogue } from './loadPlatformCatalogue.ts';
import { portsInUse, type PlannedPort } from './portsInUse.ts';
import { preparePlatformData } from './preparePlatformData.ts';
import { publishRegenerated, serveRebuilt } from './republishSubgraph.ts';
import { platformSettings, subgraphAccessSettings } from './platformSettings.ts';
import { refreshCrossLevel, startPlatformLinks, type PlatformLinks } from './startPlatformLinks.ts';
import { gatewayRegistryTrust } from './registryKeys.ts';
import { gatewayFollowing } from './startGatewayProcess.ts';
import {
  buildDepartmentSubgraph,
  rebuildDepartmentSubgraph,
  migrateDepartment,
  needsSeed,
  seedDepartment,
  startSubgraphServer,
  type DepartmentSubgraph,
  type RunningSubgraph,
} from '../../subgraphs/kit/index.ts';

export interface PlatformOptions {
  /** Department folders to serve; default: every department under `subgraphs/`. */
  departmentDirs?: readonly string[];
  /** Seed when a department's tables are empty (first run), always, or never. */
  seed?: 'if-empty' | 'always' | 'never';
  /** Record no audit trail. Only the audit-on/off benchmark sets this; no served platform does. */
  unsafeWithoutAudit?: boolean;
  /** Use port 0 everywhere (tests): each server takes any free port. */
  ephemeralPorts?: boolean;
  log?: (message: string) => void;
  /** The process's logger; by default one is made from the configuration (`LOG_LEVEL`). */
  logger?: Logger;
}

export interface RunningPlatform {
  /** The catalogue in force now (files plus what was published through the platform). */
  readonly catalogue: Catalogue;
  catalogueStore: CatalogueStore;
  /** The platform database: grants, sharing decisions, API keys. */
  platformDb: Knex;
  policies: PolicyStore;
  databases: ReadonlyMap<string, Knex>;
  subgraphs: readonly RunningSubgraph[];
  readonly platformSubgraph: RunningPlatformSubgraph;
  readonly definitions: readonly DepartmentSubgraph[];
  /** The gateway's view of the subgraph registry (tests poll it to skip the wait). */
  registry: RegistryWatcher;
  /** Signs registry entries of every subgraph this process serves (`registrySignatures`). */
  registrySigner: RegistrySigner;
  gateway: RunningGateway;
  stop(): Promise<void>;
}

/**
 * Opens each department's database, applies its migrations and seeds it as asked.
 * The catalogue is validated before any database is touched, so a broken entry
 * changes nothing. Once migrated, every entry's binding is checked against its
 * department's database (a plain table of its own, columns of fitting types, a
 * unique key; no platform table, nor any of `platformTables`): a broken one
 * stops start-up with a `CatalogueError` naming file and field, before any seed.
 */
export async function prepareDepartmentData(
  config: PlatformConfig,
  catalogue: Catalogue,
  seed: NonNullable<PlatformOptions['seed']>,
  log: (message: string) => void = () => {},
  platformTables: ReadonlySet<string> = new Set(),
): Promise<Map<string, Knex>> {
  const databases = new Map<string, Knex>();
  try {
    for (const department of catalogue.departments) {
      const db = await openDatabase(config.database, department.code);
      databases.set(department.code, db);
      const applied = await migrateDepartment(db, department);
      if (applied.length > 0) log(`${department.code}: applied ${applied.length} migration(s)`);
    }
    const problems = await catalogueBindingProblems(
      catalogue.entries,
      (code) => databases.get(code),
      platformTables,
    );
    if (problems.length > 0) throw new CatalogueError(problems);
    for (const department of catalogue.departments) {
      const db = databases.get(department.code)!;
      if (seed === 'always' || (seed === 'if-empty' && (await needsSeed(db, department)))) {
        const started = Date.now();
        const counts = await seedDepartment(db, department, config.seedScale);
        const rows = Object.values(counts).reduce((a, b) => a + b, 0);
        log(
          `${department.code}: seeded ${rows} rows at scale ${config.seedScale} in ${Date.now() - started} ms`,
        );
      }
    }
  } catch (error) {
    await Promise.all([...databases.values()].map((db) => db.destroy()));
    throw error;
  }
  return databases;
}

/**
 * Starts the whole platform: every department subgraph on its own port, the
 * supergraph composed from them, and the gateway in front.
 */
export async function startPlatform(
  config: PlatformConfig,
  options: PlatformOptions = {},
): Promise<RunningPlatform> {
  const log = options.log ?? (() => {});
  const logger = options.logger ?? createLogger(config);
  // Process-wide: metrics on unless METRICS=off; traces only when exported (or a test's exporter).
  enableMetrics(config.observability.metrics, config.observability.metricsToken);
  const stopTracing = startTracing(config.observability.tracing);
  const files = loadPlatformCatalogue(options, config);
  if (!options.ephemeralPorts) await refuseBusyPorts(config, files.departments.length + 2);
  const seed = options.seed ?? 'if-empty';
  const keys = await loadOrCreateSigningKeys(
    config.auth.gatewayPrivateKeyFile,
    config.auth.gatewayPublicKeyFile,
  );
  const joinKey = loadOrCreateJoinKey(config.auth.joinKeyFile);
  const departmentKeys = new DepartmentVerifyKeys(config.auth.departmentKeys.verifyDir);
  // One process serves every subgraph here, so it signs every registry entry.
  const signer = new RegistrySigner(
    Object.fromEntries(
      [...files.departments.map((d) => d.code), PLATFORM_SIGNER].map((code) => [
        code,
        loadOrCreateDepartmentKey(config.auth.departmentKeys, code),
      ]),
    ),
  );
  const trust = gatewayRegistryTrust(config, keys.privateKey, files.departments);
  const platformDb = await preparePlatformData(config, files, seed, log);
  let databases = new Map<string, Knex>();
  const policies = new PolicyStore(platformDb, logger, config.policyReload);
  const catalogueStore = new CatalogueStore(platformDb, files.departments, files, 1000, log);
  // One audit writer, and so one hash chain, per process: the gateway's and the
  // subgraphs' records share its group commits. Replicas each have their own.
  const audit: AuditSink = options.unsafeWithoutAudit
    ? new DiscardingAuditSinkForBenchmarks()
    : new AuditWriter(platformDb, 'platform process', {
        checkpoints: { ...config.auditCheckpoints, privateKey: keys.privateKey },
        onCheckpointError: (error) => log(`audit checkpoint not written: ${String(error)}`),
        onStorageProblem: (problem) => log(`audit store: ${problem}`),
        timeoutMs: config.database.limits?.lockTimeoutMs,
      });
  const subgraphs: RunningSubgraph[] = [];
  let platformSubgraph: RunningPlatformSubgraph | undefined;
  let links: PlatformLinks | undefined;
  const watchers: { stop(): void }[] = [];
  // Scheduled quality inspections of every published dataset (QUALITY_INSPECTION_MINUTES).
  const quality = new QualityScheduler(
    () => ({
      db: platformDb,
      catalogue: catalogueStore.catalogue,
      departmentDatabases: databases,
      timeZone: config.timeZone,
      errorReportReplyWorkingDays: 5,
      now: () => new Date(),
    }),
    config.qualityInspectionMinutes,
    log,
  );
  const stopAll = async () => {
    watchers.forEach((w) => w.stop());
    await quality.stop();
    await audit.drain();
    catalogueStore.stop();
    policies.stop();
    await Promise.all(subgraphs.map((s) => s.stop()));
    await platformSubgraph?.stop();
    await links?.stop();
    await Promise.all([...databases.values(), platformDb].map((db) => db.destroy()));
    await stopTracing();
  };
  let ahead: AheadComposition | null = null;
  try {
    await catalogueStore.start();
    const subgraphOptions = { maxPageSize: config.maxPageSize };
    // Their SDL now, their executable schemas when first read (`buildOnFirstRequest` below).
    const departmentSubgraphs = files.departments.map((d) =>
      buildDepartmentSubgraph(catalogueStore.catalogue, d.code, subgraphOptions),
    );
    // Composed in a worker thread while this one starts the subgraphs.
    ahead = options.ephemeralPorts
      ? null
      : composeAhead(platformDb, trust, {
          catalogue: catalogueStore.catalogue,
          departments: departmentSubgraphs,
          host: config.host,
          portBase: config.subgraphPortBase,
          log,
        });
    databases = await prepareDepartmentData(config, files, seed, log, await listTables(platformDb));
    await policies.start();
    for (const [index, department] of files.departments.entries()) {
      const port =
        options.ephemeralPorts || config.subgraphPortBase === 0
          ? 0
          : config.subgraphPortBase + index;
      subgraphs.push(
        await startSubgraphServer(departmentSubgraphs[index]!, {
          db: databases.get(department.code)!,
          catalogue: () => catalogueStore.catalogue,
          policies,
          audit,
          departmentKey: loadOrCreateDepartmentKey(config.auth.departmentKeys, department.code),
          gatewayKey: keys.publicKey,
          joinKey,
          access: subgraphAccessSettings(config),
          logger,
          bounds: config.limits.subgraph,
          timeouts: config.timeouts,
          host: config.host,
          port,
          // Built once the gateway serves (below), or on a department's first request before that.
          buildOnFirstRequest: true,
        }),
      );
    }
    platformSubgraph = await startPlatformSubgraph({
      db: platformDb,
      timeouts: config.timeouts,
      catalogue: catalogueStore,
      settings: platformSettings(config),
      gatewayKey: keys.publicKey,
      departmentDatabases: databases,
      auditCheckpoints: { files: [config.auditCheckpoints.file], publicKey: keys.publicKey },
      auditAttestations: departmentKeys,
      registryCompositions: trust.compositions,
      logger,
      host: config.host,
      port:
        options.ephemeralPorts || config.subgraphPortBase === 0
          ? 0
          : config.subgraphPortBase + files.departments.length,
    });
    // Links with other levels' platforms: the cross-level subgraph and the directory harvester.
    links = await startPlatformLinks({
      config,
      platformDb,
      catalogue: () => catalogueStore.catalogue,
      joinKey,
      gatewayKey: keys.publicKey,
      audit,
      logger,
      log,
      port:
        options.ephemeralPorts || config.subgraphPortBase === 0
          ? 0
          : config.subgraphPortBase + files.departments.length + 1,
    });
    // The platform registers what it serves; the gateway composes what the
    // registry holds, and follows it (department IT publishes there too).
    const parts = [
      ...subgraphs.map((s) => ({ name: s.name, url: s.url, sdl: s.subgraph.typeDefs })),
      { name: platformSubgraph.name, url: platformSubgraph.url, sdl: platformSubgraph.typeDefs },
      { name: links.subgraph.name, url: links.subgraph.url, sdl: links.subgraph.typeDefs },
    ];
    const inForce = await selectCurrentSubgraphs(platformDb);
    for (const part of parts) {
      const current = inForce.find((v) => v.name === part.name);
      if (current?.sdl === part.sdl && current.url === part.url && signer.signed(current)) {
        continue;
      }
      await insertSubgraphVersion(
        platformDb,
        { ...part, publishedBy: 'platform', note: 'served at start' },
        signer,
      );
    }
    const started: { gateway?: RunningGateway } = {};
    const registry = gatewayFollowing(platformDb, trust, started, log);
    watchers.push(registry);
    const aheadNow = ahead;
    const confirmed = (async () => {
      if (aheadNow) {
        const composedAhead = await aheadNow.composed;
        log(
          composedAhead !== null &&
            composedAhead === compositionKey((await servedSubgraphs(platformDb, trust)).subgraphs)
            ? "the supergraph composed ahead is the registry's: it is not composed again"
            : "the supergraph composed ahead is not the registry's: the registry's is composed",
        );
      }
      return registry.compose();
    })();
    // Awaited below (by startGateway, or here); a rejection meanwhile is not unhandled.
    confirmed.catch(() => {});
    // Apollo Gateway takes up the supergraph merged ahead while the worker
    // checks its satisfiability, and serves only the registry's.
    const merged = aheadNow ? await aheadNow.merged : null;
    if (merged !== null)
      log('the gateway takes up the supergraph merged ahead while it is checked');
    const gateway = await startGateway({
      supergraphSdl: merged ?? (await confirmed),
      ...(merged !== null ? { confirmedSupergraph: confirmed } : {}),
      authenticator: Authenticator.create(config.auth, platformDb, links.ownPlatform),
      routes: links.routes,
      ...(config.devSignIn !== false ? { devTokenAuth: config.auth } : {}),
      consoleOidc: config.consoleOidc,
      timeZone: config.timeZone,
      signingKey: keys.privateKey,
      departmentKeys,
      audit,
      auditGroupWaitMs: config.auditGroupWaitMs,
      timeouts: config.timeouts,
      executor: config.gatewayExecutor,
      readiness: [
        () => databaseProblem(platformDb, 'platform database'),
        ...(audit instanceof AuditWriter ? [() => audit.problem()] : []),
        () => policies.problem(),
      ],
      limits: config.limits,
      platformDb,
      logger,
      host: config.host,
      port: options.ephemeralPorts ? 0 : config.gatewayPort,
    });
    started.gateway = gateway;
    if (registry.problem) gateway.reportCompositionProblem(registry.problem);
    registry.start();
    quality.start();
    links.harvester.start();
    watchers.push(buildInTurn(subgraphs, log));
    const crossLevel = links.subgraph;

    // A newly published catalogue: each department whose subgraph changed serves
    // the new schema first (and the cross-level subgraph a new entity type's
    // `otherLevel`), then the platform publishes them to the registry as one
    // step (as department IT would with `subgraph publish`, refused if it breaks
    // what a consumer uses), and the gateway follows the registry: one new
    // supergraph per publication, the one the publication's check composed.
    catalogueStore.subscribe(async (catalogue) => {
      // A published entry's sharing decision was committed (and logged) with it:
      // load it before the subgraph serves the dataset, so it is never served undecided.
      await policies.catchUp();
      const candidates: SubgraphCandidate[] = [];
      for (const running of subgraphs) {
        const next = rebuildDepartmentSubgraph(running.subgraph, catalogue, subgraphOptions);
        const candidate = await serveRebuilt(running, next);
        if (candidate) candidates.push(candidate);
      }
      const crossLevelCandidate = await refreshCrossLevel(crossLevel, crossLevel.url);
      if (crossLevelCandidate) candidates.push(crossLevelCandidate);
      const refusal = await publishRegenerated(platformDb, catalogue, candidates, {
        signer,
        compositions: trust.compositions,
      });
      if (refusal) {
        gateway.reportCompositionProblem(refusal);
        log(`not published to the registry: ${refusal}`);
      }
      await registry.poll();
    });

    return {
      get catalogue() {
        return catalogueStore.catalogue;
      },
      catalogueStore,
      platformDb,
      policies,
      databases,
      subgraphs,
      get platformSubgraph() {
        return platformSubgraph!;
      },
      get definitions() {
        return subgraphs.map((s) => s.subgraph);
      },
      registry,
      registrySigner: signer,
      gateway,
      async stop() {
        await gateway.stop();
        await stopAll();
      },
    };
  } catch (error) {
    await ahead?.composed;
    await stopAll();
    throw error;
  }
}

/**
 * Builds the subgraphs not yet built (`buildOnFirstRequest`), one at a time
 * and each in its own turn of the event loop, so that requests are answered
 * in between (a department's first request builds it at once if its turn has
 * not come). Stops at `stop()`.
 */
function buildInTurn(subgraphs: readonly RunningSubgraph[], log: (message: string) => void) {
  let stopped = false;
  void (async () => {
    for (const running of subgraphs) {
      await setImmediate();
      if (stopped) return;
      await running.ready().catch((error: unknown) => {
        log(`the subgraph of ${running.name} could not be built: ${String(error)}`);
      });
    }
  })();
  return {
    stop() {
      stopped = true;
    },
  };
}

/**
 * Throws, naming PORT and SUBGRAPH_PORT_BASE, when a port the platform would
 * listen on is taken (another `npm start`, say), before anything is migrated.
 */
async function refuseBusyPorts(config: PlatformConfig, subgraphCount: number): Promise<void> {
  const base = config.subgraphPortBase;
  const planned: PlannedPort[] = [
    { port: config.gatewayPort, what: 'PORT, the gateway' },
    ...Array.from({ length: base === 0 ? 0 : subgraphCount }, (_, i) => ({
      port: base + i,
      what: `SUBGRAPH_PORT_BASE${i === 0 ? '' : ` + ${i}`}, a subgraph`,
    })),
  ];
  const busy = await portsInUse(config.host, planned);
  if (busy.length === 0) return;
  throw new Error(
    `Cannot start: ${busy.length === 1 ? 'a port is' : 'ports are'} in use on ${config.host}:\n` +
      busy.map((b) => `  ${b.port} (${b.what})\n`).join('') +
      "Is the platform already running? Stop it, or choose free ports: PORT is the gateway's " +
      `(now ${config.gatewayPort}); the ${subgraphCount} subgraphs take ${subgraphCount} ports from ` +
      `SUBGRAPH_PORT_BASE (now ${base}), e.g.\n  PORT=5000 SUBGRAPH_PORT_BASE=5001 npm start\n` +
      '(0 for both: any free ports).',
  );
}
