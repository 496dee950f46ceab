import type { Knex } from 'knex';
import { CompositionError } from '../../../schema/index.ts';
import {
  composeInForce,
  composeShared,
  servedSubgraphs,
  type RegistryTrust,
} from './composeShared.ts';
import { selectCatalogueRevision } from '../catalogue/index.ts';
import { selectRegistryRevision } from './registryQueries.ts';

/**
 * What the versions served follow: the registry, and the published catalogue
 * that bounds what a department's version may declare (`catalogueReach`), so
 * that a version passed over is taken up once its entries are published, and
 * one reaching past a withdrawn entry is named, whichever is written first.
 */
async function servingRevision(db: Knex): Promise<string> {
  const [registry, catalogue] = await Promise.all([
    selectRegistryRevision(db),
    selectCatalogueRevision(db),
  ]);
  return `${registry} ${catalogue}`;
}

/**
 * What follows the registry for a gateway (the platform's own, or a cluster's
 * primary for its workers): it polls the registry's revision and the
 * published catalogue's (`servingRevision`) and, when either moves, composes
 * the versions in force (or reads the supergraph another
 * composed of them: `composeShared`) and hands the supergraph on. If they do
 * not compose, the last good supergraph stays in service and the problem is
 * reported (the gateway shows it on /ready). Only versions signed with their
 * subgraph's key are composed (`selectServedSubgraphs`); one that is not is
 * reported the same way, and the newest signed version before it is served.
 * Nor does it go back: a subgraph whose served version is gone, or older than
 * the one served until now (its rows deleted, or their signatures removed, by
 * whoever holds the database credential), keeps the supergraph as it is, and
 * is reported.
 */
export class RegistryWatcher {
  private revision = '';
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private stopped = false;
  private standing: string | null = null;
  /** The version served of each subgraph, as last taken up. */
  private served: ReadonlyMap<string, number> = new Map();

  constructor(
    private readonly db: Knex,
    private readonly trust: RegistryTrust,
    private readonly apply: (supergraphSdl: string) => void,
    private readonly report: (problem: string | null) => void,
    private readonly intervalMs = 1000,
  ) {}

  /** Composes the registry now; throws if there is nothing composable to start from. */
  async compose(): Promise<string> {
    this.revision = await servingRevision(this.db);
    const { supergraphSdl, problems, versions } = await composeInForce(this.db, this.trust);
    this.served = versions;
    this.tell(problems.length > 0 ? problems.join('; ') : null);
    return supergraphSdl;
  }

  /**
   * Takes the registry as it is now for the one being served, without
   * composing it: for a follower whose gateways compose it themselves (a
   * cluster's workers, see `WorkerRoller`).
   */
  async markCurrent(): Promise<void> {
    this.revision = await servingRevision(this.db);
    this.served = (await servedSubgraphs(this.db, this.trust)).versions;
  }

  /**
   * The problem standing since the last composition, or null: for a gateway
   * started on the supergraph `compose()` returned, which was not there yet
   * to be told.
   */
  get problem(): string | null {
    return this.standing;
  }

  private tell(problem: string | null): void {
    this.standing = problem;
    this.report(problem);
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref();
  }

  /** Follows the registry no more: neither the timer nor `poll()` checks it from now on. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /**
   * Checks the registry once: the platform calls it right after publishing,
   * and tests to skip the wait. Nothing once stopped.
   */
  poll(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.checking ??= this.check().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async check(): Promise<void> {
    try {
      const revision = await servingRevision(this.db);
      if (revision === this.revision) return;
      const { subgraphs, problems, versions } = await servedSubgraphs(this.db, this.trust);
      this.revision = revision;
      const backwards = [...this.served]
        .filter(([name, version]) => (versions.get(name) ?? 0) < version)
        .map(
          ([name, version]) =>
            `subgraph ${name} version ${version}, served until now, is no longer in the registry signed`,
        );
      if (backwards.length > 0) {
        this.tell([...backwards, ...problems].join('; '));
        return;
      }
      // The same versions compose to the supergraph in service: nothing to take up (a
      // catalogue change that moves no version, a row passed over), only the problems to tell.
      if (sameVersions(versions, this.served)) {
        this.tell(problems.length > 0 ? problems.join('; ') : null);
        return;
      }
      try {
        const sdl = await composeShared(this.db, subgraphs, {
          compositions: this.trust.compositions,
        });
        this.apply(sdl);
        this.served = versions;
        this.tell(problems.length > 0 ? problems.join('; ') : null);
      } catch (error) {
        const problem = error instanceof CompositionError ? error.message : String(error);
        this.tell([...problems, problem].join('; '));
      }
    } catch (error) {
      this.tell(`the registry could not be read: ${String(error)}`);
    }
  }
}

function sameVersions(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  return a.size === b.size && [...a].every(([name, version]) => b.get(name) === version);
}
