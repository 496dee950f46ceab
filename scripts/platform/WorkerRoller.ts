import type { Worker } from 'node:cluster';
import type { Knex } from 'knex';
import { RegistryWatcher, type RegistryTrust } from '../../subgraphs/platform/registry/index.ts';
import { composeRegistry } from './composeRegistry.ts';
import type { WorkerPool } from './runWorkers.ts';

/** How long after new workers failed to start the replacement is tried again. */
export const RETRY_AFTER_MS = 10_000;

/** What a gateway's primary tells its workers of the registry: why its newest set does not compose, or null. */
export interface CompositionProblemMessage {
  compositionProblem: string | null;
}

/**
 * Keeps a gateway's workers on the registry's newest supergraph without
 * stalling a request. A gateway taking up a new supergraph builds its schema
 * and query planner on its one thread (about 5 s at a province of 1,000
 * entries), and workers that each followed the registry did so at the same
 * moment: every request waited. Here the primary follows the registry instead;
 * when a new set is in force and composes (composed once and stored, in a
 * thread of its own when large: `composeShared`), it replaces the workers one
 * at a time (`WorkerPool.replaceWorkers`): each new worker starts on the stored
 * supergraph while the old ones serve, then takes an old one's place. A set
 * that does not compose is reported to every worker (their `/ready` shows it)
 * and the workers serve on. If a new worker stops before it serves (its
 * configuration or key gone, say), the old ones serve on and the replacement
 * is tried again `RETRY_AFTER_MS` later, until it succeeds or the registry
 * moves again.
 *
 * Use: `prepare` before the workers start (it marks the registry they will
 * compose, and composes it once for all of them), `greet` for each worker
 * that serves, `start` with the pool, `stop` before stopping it.
 */
export class WorkerRoller {
  private watcher: RegistryWatcher | undefined;
  private pool: WorkerPool | undefined;
  private problem: string | null = null;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly trust: RegistryTrust,
    private readonly log: (message: string) => void,
  ) {}

  async prepare(platformDb: Knex): Promise<void> {
    this.watcher = new RegistryWatcher(
      platformDb,
      this.trust,
      () => this.replace(),
      (problem) => this.report(problem),
    );
    await this.watcher.markCurrent();
    await composeRegistry(platformDb, this.trust, this.log);
  }

  /** A worker serving now learns the problem standing, if any. */
  readonly greet = (worker: Worker): void => {
    if (this.problem !== null) {
      worker.send({ compositionProblem: this.problem } satisfies CompositionProblemMessage);
    }
  };

  start(pool: WorkerPool): void {
    this.pool = pool;
    this.watcher?.start();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.watcher?.stop();
  }

  private replace(retry = false): void {
    const pool = this.pool;
    if (!pool || this.stopped) return;
    clearTimeout(this.retry);
    const began = performance.now();
    this.log(
      retry
        ? 'replacing the workers again'
        : 'the registry changed: replacing the workers one at a time',
    );
    pool.replaceWorkers().then(
      () => this.log(`workers replaced in ${Math.round(performance.now() - began)} ms`),
      (error: unknown) => {
        // The workers serve on an older supergraph until new ones start: tried again later.
        this.log(
          `workers not replaced: ${error instanceof Error ? error.message : String(error)}; trying again in ${RETRY_AFTER_MS / 1000} s`,
        );
        this.retry = setTimeout(() => this.replace(true), RETRY_AFTER_MS);
        this.retry.unref();
      },
    );
  }

  private report(problem: string | null): void {
    if (problem === this.problem) return;
    this.problem = problem;
    this.pool?.send({ compositionProblem: problem } satisfies CompositionProblemMessage);
    if (problem !== null) {
      this.log(`the registry's subgraphs do not compose; the workers serve on: ${problem}`);
    }
  }
}
