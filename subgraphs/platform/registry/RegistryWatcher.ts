import type { Knex } from 'knex';
import { CompositionError } from '../../../schema/index.ts';
import { composeInForce, composeShared } from './composeShared.ts';
import { selectCurrentSubgraphs, selectRegistryRevision } from './registryQueries.ts';

/**
 * What follows the registry for a gateway (the platform's own, or a cluster's
 * primary for its workers): it polls the registry's revision and, when it
 * moves, composes the versions in force (or reads the supergraph another
 * composed of them: `composeShared`) and hands the supergraph on. If they do
 * not compose, the last good supergraph stays in service and the problem is
 * reported (the gateway shows it on /ready).
 */
export class RegistryWatcher {
  private revision = '';
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly db: Knex,
    private readonly apply: (supergraphSdl: string) => void,
    private readonly report: (problem: string | null) => void,
    private readonly intervalMs = 1000,
  ) {}

  /** Composes the registry now; throws if there is nothing composable to start from. */
  async compose(): Promise<string> {
    this.revision = await selectRegistryRevision(this.db);
    return composeInForce(this.db);
  }

  /**
   * Takes the registry as it is now for the one being served, without
   * composing it: for a follower whose gateways compose it themselves (a
   * cluster's workers, see `WorkerRoller`).
   */
  async markCurrent(): Promise<void> {
    this.revision = await selectRegistryRevision(this.db);
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
      const revision = await selectRegistryRevision(this.db);
      if (revision === this.revision) return;
      const current = await selectCurrentSubgraphs(this.db);
      this.revision = revision;
      try {
        const sdl = await composeShared(
          this.db,
          current.map((s) => ({ name: s.name, url: s.url, typeDefs: s.sdl })),
        );
        this.apply(sdl);
        this.report(null);
      } catch (error) {
        this.report(error instanceof CompositionError ? error.message : String(error));
      }
    } catch (error) {
      this.report(`the registry could not be read: ${String(error)}`);
    }
  }
}
