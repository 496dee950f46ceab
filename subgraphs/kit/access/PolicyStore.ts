import type { Knex } from 'knex';
import { selectDatasetPolicies, selectGrants } from '../../../server/index.ts';
import { PolicySnapshot } from './PolicySnapshot.ts';

/**
 * Keeps a current `PolicySnapshot` of the platform database's sharing decisions
 * and grants, reloading every `intervalMs` so a change made anywhere (another
 * replica, the admin API) is in force here within that time. Until the first
 * load succeeds everything is denied; if a reload fails the last good snapshot
 * stays and the failure is reported.
 */
export class PolicyStore {
  private current: PolicySnapshot = PolicySnapshot.EMPTY;
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<void> | undefined;

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
      this.reload().catch(this.onError);
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
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
