import type { Knex } from 'knex';
import {
  consistentRead,
  selectDatasetPolicies,
  selectDatasetPoliciesByCode,
  selectGrants,
  selectGrantsById,
  selectPolicyChangeHead,
  selectPolicyChangesAfter,
  type DatasetPolicy,
  type Grant,
  type Logger,
} from '../../../server/index.ts';
import { PolicySnapshot, type GrantChange } from './PolicySnapshot.ts';

/** While reloads keep failing, how often the failure is reported again. */
const REPORT_EVERY_MS = 60_000;

/** More changes than this since the last reload: reading everything is cheaper. */
const MOST_CHANGES_APPLIED = 5000;

export interface PolicyStoreOptions {
  /** How often the change log is read: a change is in force here within this. */
  intervalMs?: number;
  /**
   * How often everything is read again whatever the change log says: the
   * safety net for a row changed without a log entry (by hand, or by a
   * replica of an older version during an upgrade).
   */
  fullReloadMs?: number;
}

/** What a reload did, for the bench and for tests. */
export type ReloadKind = 'full' | 'changes' | 'unchanged';

/**
 * Keeps a current `PolicySnapshot` of the platform database's sharing decisions
 * and grants, so a change made anywhere (another replica, the admin API) is in
 * force here within `intervalMs`. Every interval it reads the change counter
 * (one indexed row); when it moved, it reads the changes since the last one it
 * applied and just the grants and decisions they name — a reload costs what
 * changed, not the number of grants — and every `fullReloadMs` it reads
 * everything. Changes are ordered by the database's own sequence, never by a
 * clock, so replicas' clock skew and the engines' timestamp precision do not
 * matter; a grant's validity window is checked when a request is decided, so
 * a grant that expires with no row changing is refused at once.
 *
 * Until the first load succeeds everything is denied; if a reload fails the
 * last good snapshot stays and the failure is reported (once when it starts
 * failing, then at most once a minute), and `problem()` says so for `/ready`.
 * A reload never blocks the process: a locked platform database fails it
 * within the storage bound.
 */
export class PolicyStore {
  private current: PolicySnapshot = PolicySnapshot.EMPTY;
  /** Every grant in the snapshot by id: where a changed grant was. */
  private located = new Map<string, Grant>();
  /** The last change the snapshot includes. */
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<ReloadKind> | undefined;
  /** When the rules in force were last confirmed current (0: never). */
  private loadedAt = 0;
  /** When everything was last read (0: never). */
  private fullAt = 0;
  /** When a failure was last reported, while reloads fail. */
  private reportedAt: number | undefined;
  private readonly intervalMs: number;
  private readonly fullReloadMs: number;

  /** `logger` is the process's: failed reloads are reported there. */
  constructor(
    private readonly platformDb: Knex,
    private readonly logger: Pick<Logger, 'error'>,
    options: PolicyStoreOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.fullReloadMs = options.fullReloadMs ?? 300_000;
  }

  get snapshot(): PolicySnapshot {
    return this.current;
  }

  get db(): Knex {
    return this.platformDb;
  }

  /** Loads once, then keeps catching up in the background. */
  async start(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => {
      if (this.loading) return; // the last one is still under way: no queue of reloads
      this.catchUp().catch((error: unknown) => {
        const now = Date.now();
        if (this.reportedAt !== undefined && now - this.reportedAt < REPORT_EVERY_MS) return;
        this.reportedAt = now;
        this.logger.error({ err: error }, 'policy reload failed');
      });
    }, this.intervalMs);
    this.timer.unref();
  }

  /**
   * Reads everything now, whatever the change log says (tests that write rows
   * directly use it to skip the wait).
   */
  async reload(): Promise<void> {
    await this.run(() => this.loadAll());
  }

  /**
   * Applies the changes logged since the last reload (or reads everything when
   * a full reload is due or the log cannot say what changed); says which.
   */
  catchUp(): Promise<ReloadKind> {
    return this.run(() => this.loadChanges());
  }

  private async run(load: () => Promise<ReloadKind>): Promise<ReloadKind> {
    // One load at a time; a reload asked for during a catch-up waits for it, then runs.
    while (this.loading) await this.loading.catch(() => undefined);
    this.loading = (async () => {
      try {
        const kind = await load();
        this.loadedAt = Date.now();
        this.reportedAt = undefined;
        return kind;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  private async loadAll(): Promise<ReloadKind> {
    const { seq, policies, grants } = await consistentRead(this.platformDb, async (db) => ({
      seq: await selectPolicyChangeHead(db),
      policies: await selectDatasetPolicies(db),
      grants: await selectGrants(db),
    }));
    this.current = PolicySnapshot.of(policies, grants);
    this.located = new Map(grants.map((g) => [g.id, g]));
    this.seq = seq;
    this.fullAt = Date.now();
    return 'full';
  }

  private async loadChanges(): Promise<ReloadKind> {
    if (this.fullAt === 0 || Date.now() - this.fullAt >= this.fullReloadMs) return this.loadAll();
    const head = await selectPolicyChangeHead(this.platformDb);
    if (head === this.seq) return 'unchanged';
    // The counter went back (a restored database) or too much changed: read everything.
    if (head < this.seq || head - this.seq > MOST_CHANGES_APPLIED) return this.loadAll();
    const read = await consistentRead(this.platformDb, async (db) => {
      const changes = await selectPolicyChangesAfter(db, this.seq, MOST_CHANGES_APPLIED);
      const grantIds = [...new Set(changes.filter((c) => c.subject === 'grant').map((c) => c.key))];
      const codes = [
        ...new Set(changes.filter((c) => c.subject === 'dataset_policy').map((c) => c.key)),
      ];
      return {
        changes,
        grants: await selectGrantsById(db, grantIds),
        grantIds,
        policies: await selectDatasetPoliciesByCode(db, codes),
        codes,
      };
    });
    const { changes } = read;
    // Sequence numbers have no gaps (a rolled-back change takes its number back);
    // a gap means the log was pruned past us.
    if (changes.length === 0 || changes[0]!.seq !== this.seq + 1) return this.loadAll();
    const found = new Map(read.grants.map((g) => [g.id, g]));
    const grantChanges: GrantChange[] = read.grantIds.map((id) => ({
      before: this.located.get(id),
      after: found.get(id) ?? null,
    }));
    const byCode = new Map(read.policies.map((p) => [p.code, p]));
    const policyChanges = new Map<string, DatasetPolicy | null>(
      read.codes.map((code) => [code, byCode.get(code) ?? null]),
    );
    this.current = this.current.withChanges(grantChanges, policyChanges);
    for (const { before, after } of grantChanges) {
      if (after) this.located.set(after.id, after);
      else if (before) this.located.delete(before.id);
    }
    this.seq = changes[changes.length - 1]!.seq;
    return 'changes';
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
