import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import type { Catalogue } from '../../schema/index.ts';
import { Authenticator, startGateway, type RunningGateway } from '../../gateway/index.ts';
import {
  AuditWriter,
  databaseProblem,
  createLogger,
  enableMetrics,
  startTracing,
  DepartmentVerifyKeys,
  loadSigningKey,
  platformGatewayRole,
  type PlatformConfig,
} from '../../server/index.ts';
import { RegistryWatcher, type RegistryTrust } from '../../subgraphs/platform/registry/index.ts';
import { loadPlatformCatalogue } from './loadPlatformCatalogue.ts';
import { openPlatformDatabaseAs } from './holdToRoleRights.ts';
import { gatewayRegistryTrust } from './registryKeys.ts';
import type { GatewayLinkParts } from './startPlatformLinks.ts';

export interface GatewayProcessOptions {
  /**
   * Serve this composed supergraph file as it is, instead of following the
   * subgraph registry (a pinned deployment, or the benchmark).
   */
  supergraphFile?: string;
  /**
   * Whether the gateway takes up each new composition of the registry itself
   * (the default). A cluster's worker does not: it serves the registry as
   * composed when it started, and its primary replaces it with a worker
   * started on the new composition (see `WorkerRoller`), so that no
   * request waits while a supergraph is taken up.
   */
  followRegistry?: boolean;
  /**
   * Whether this process's audit writer checkpoints the platform database's
   * log on a thread of its own (default true). A cluster worker passes false:
   * its primary's thread serves the file for every worker.
   */
  checkpointOnThread?: boolean;
  port: number;
  log?: (message: string) => void;
  /**
   * Take part in links with other platforms (`gatewayLinkParts`): linked
   * platforms' requests and the catalogue they harvest. Without it, none.
   */
  links?: (platformDb: Knex) => GatewayLinkParts;
  /**
   * The department folders' catalogue, where the caller has read it already
   * (for `links`): the registry is held to these departments' published
   * entries. Without it, the folders are read here.
   */
  catalogue?: Catalogue;
}

export interface RunningGatewayProcess {
  gateway: RunningGateway;
  /** Hands the clients over to the gateway taking this one's place (`RunningGateway.retire`), then stops. */
  retire(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs a gateway on its own, in front of subgraphs served elsewhere: what each
 * worker of `npm run gateway` runs. It reads the platform database (API keys,
 * the registry) and writes its REQUEST records there, with the ACCESS records
 * its subgraphs hand back, in a hash chain of its own; it never migrates or
 * seeds, and never makes a signing key (a replica with a key of its own would
 * sign tokens no subgraph accepts): the platform must have been started once.
 */
export async function startGatewayProcess(
  config: PlatformConfig,
  options: GatewayProcessOptions,
): Promise<RunningGatewayProcess> {
  const log = options.log ?? (() => {});
  enableMetrics(config.observability.metrics, config.observability.metricsToken);
  // A gateway makes its spans with explicit parents: no async-context tracking (see startTracing).
  const stopTracing = startTracing(config.observability.tracing, { asyncContext: false });
  const signingKey = await loadSigningKey(config.auth.gatewayPrivateKeyFile);
  const { db: platformDb } = await openPlatformDatabaseAs(
    config,
    platformGatewayRole,
    'gateway',
    log,
  );
  const audit = new AuditWriter(platformDb, 'gateway', {
    checkpoints: { ...config.auditCheckpoints, privateKey: signingKey },
    onCheckpointError: (error) => log(`audit checkpoint not written: ${String(error)}`),
    onStorageProblem: (problem) => log(`audit store: ${problem}`),
    timeoutMs: config.database.limits?.lockTimeoutMs,
    checkpointOnThread: options.checkpointOnThread,
  });
  const logger = createLogger(config);
  const started: { gateway?: RunningGateway } = {};
  const registry = options.supergraphFile
    ? undefined
    : gatewayFollowing(
        platformDb,
        gatewayRegistryTrust(
          config,
          signingKey,
          (options.catalogue ?? loadPlatformCatalogue({}, config)).departments,
        ),
        started,
        log,
      );
  const links = options.links?.(platformDb);
  try {
    const supergraphSdl = options.supergraphFile
      ? readFileSync(options.supergraphFile, 'utf8')
      : await registry!.compose();
    started.gateway = await startGateway({
      supergraphSdl,
      authenticator: Authenticator.create(config.auth, platformDb, links?.ownPlatform ?? null),
      ...(links ? { routes: links.routes } : {}),
      // A gateway of its own runs where others reach it: its development sign-in is asked for.
      ...(config.devSignIn === true ? { devTokenAuth: config.auth } : {}),
      consoleOidc: config.consoleOidc,
      timeZone: config.timeZone,
      signingKey,
      departmentKeys: new DepartmentVerifyKeys(config.auth.departmentKeys.verifyDir),
      audit,
      auditGroupWaitMs: config.auditGroupWaitMs,
      timeouts: config.timeouts,
      executor: config.gatewayExecutor,
      readiness: [() => databaseProblem(platformDb, 'platform database'), () => audit.problem()],
      limits: config.limits,
      platformDb,
      logger,
      host: config.host,
      port: options.port,
    });
    // What the first composition found wrong (an unsigned entry passed over), told now it can be.
    if (registry?.problem) started.gateway.reportCompositionProblem(registry.problem);
    if (options.followRegistry !== false) registry?.start();
  } catch (error) {
    registry?.stop();
    await audit.drain();
    await platformDb.destroy();
    await stopTracing();
    throw error;
  }
  const gateway = started.gateway;
  const stop = async () => {
    registry?.stop();
    await gateway.stop();
    await audit.drain();
    await platformDb.destroy();
    await stopTracing();
  };
  return {
    gateway,
    async retire() {
      registry?.stop();
      await gateway.retire();
      await stop();
    },
    stop,
  };
}

/**
 * The registry watcher that feeds a gateway. It is made before the gateway it
 * feeds (its first composition is the gateway's starting supergraph), so it
 * reaches the gateway through `target` once that is set.
 */
export function gatewayFollowing(
  platformDb: Knex,
  trust: RegistryTrust,
  target: { gateway?: RunningGateway },
  log: (message: string) => void,
): RegistryWatcher {
  return new RegistryWatcher(
    platformDb,
    trust,
    (sdl) => target.gateway?.updateSupergraph(sdl),
    (problem) => {
      target.gateway?.reportCompositionProblem(problem);
      if (problem) {
        log(
          `the registry's subgraphs are not served as they are; serving the last good supergraph: ${problem}`,
        );
      }
    },
  );
}
