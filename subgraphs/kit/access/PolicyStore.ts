import type { Knex } from 'knex';
import { selectDatasetPolicies, selectGrants } from '../../../server/index.ts';
import { PolicySnapshot } from './PolicySnapshot.ts';

/** While reloads keep failing, how often the failure is reported again. */
const REPORT_EVERY_MS = 60_000;

/**
 * Keeps a current `PolicySnapshot` of the platform database's sharing decisions
 * and grants, reloading every `intervalMs` so a change made anywhere (another
 * replica, the admin API) is in force here within that time. Until the first
 * load succeeds everything is denied; if a reload fails the last good snapshot
 * stays and the failure is reported (once when it starts failing, then at most
 * once a minute), and `problem()` says so for `/ready`. A reload never blocks
 * the process: a locked platform database fails it within the storage bound.
 */
export class PolicyStore {
  private current: PolicySnapshot = PolicySnapshot.EMPTY;
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<void> | undefined;
  /** When the snapshot in force was loaded (0: never). */
  private loadedAt = 0;
  /** When a failure was last reported, while reloads fail. */
  private reportedAt: number | undefined;

  constructor(
    private readonly platformDb: Knex,
    private readonly intervalMs = 1000,
    private readonly onError: (error: unknown) => void = (error) =>
      console.error('policy reload failed', error),
  ) {}

  get snapshot(): PolicySnapshot {
    return this.current;
  }

  get db(): Knex {
    return this.platformDb;
  }

  /** Loads once, then keeps reloading in the background. */
  async start(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => {
      this.reload().catch((error: unknown) => {
        const now = Date.now();
        if (this.reportedAt !== undefined && now - this.reportedAt < REPORT_EVERY_MS) return;
        this.reportedAt = now;
        this.onError(error);
      });
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Loads the current state now (also used by tests to skip the wait). */
  reload(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const [policies, grants] = await Promise.all([
          selectDatasetPolicies(this.platformDb),
          selectGrants(this.platformDb),
        ]);
        this.current = new PolicySnapshot(policies, grants);
        this.loadedAt = Date.now();
        this.reportedAt = undefined;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  /**
   * Why the rules in force may be stale, or null: never loaded, or not
   * reloaded for ten intervals (a revoked grant would still be honoured).
   */
  problem(): string | null {
    if (this.loadedAt === 0) return 'the sharing rules have not been loaded yet';
    const age = Date.now() - this.loadedAt;
    if (age < 10 * this.intervalMs) return null;
    return `the sharing rules could not be reloaded for ${Math.round(age / 1000)} s; those of then are in force`;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
