import type { Knex } from 'knex';
import { metrics } from '../observability/platformMetrics.ts';

/**
 * Server errors after which the transaction is known to be rolled back whole,
 * and which the server says to answer by running it again.
 */
export const ROLLED_BACK_ERRNOS: ReadonlySet<number> = new Set([
  1213, // ER_LOCK_DEADLOCK: a Galera certification failure or brute-force abort, or an InnoDB deadlock
  1047, // ER_UNKNOWN_COM_ERROR: "WSREP has not yet prepared node for application use"
  // TiDB's write conflicts, after which it has rolled the transaction back (docs/scale.md):
  8002, // a conflict in a transaction that read FOR UPDATE
  8005, // "Write Conflict, txnStartTS is stale"
  9007, // a write conflict in TiKV
]);

/** Whether `error` is a server's "rolled back, try again" (see `ROLLED_BACK_ERRNOS`). */
export function rolledBackByServer(error: unknown): boolean {
  const errno = (error as { errno?: unknown } | null)?.errno;
  return typeof errno === 'number' && ROLLED_BACK_ERRNOS.has(errno);
}

/** Runs of a transaction in all, the first included, before its conflict is the caller's. */
const TRIES = 6;

export interface TransactionOptions {
  /** Told of each run that is started again, and why. */
  onRetry?: (error: unknown, attempt: number) => void;
}

/**
 * Runs `work` in a transaction of `db`, and runs it again, whole, when the
 * server rolled it back for a conflict with another transaction: on a MariaDB
 * Galera cluster a write set from another node that certified first (reported
 * at COMMIT as 1213, "Deadlock found … try restarting transaction") or that
 * aborted this one to apply, on one server an InnoDB deadlock. Nothing of the
 * rolled-back run is kept, so the next run reads afresh and decides again.
 * After `TRIES` runs the conflict is the caller's.
 *
 * `work` must keep its effects in the transaction (or in what it returns): a
 * run may be discarded. Inside a transaction already, `work` runs in it once —
 * the outer transaction is what was rolled back, so it is what must run again.
 *
 * Every write transaction of the platform goes through here; the audit writer
 * has its own retry, which keeps a batch's sequence numbers and hashes.
 */
export async function inTransaction<T>(
  db: Knex,
  work: (trx: Knex.Transaction) => Promise<T>,
  options: TransactionOptions & { config?: Knex.TransactionConfig } = {},
): Promise<T> {
  if (db.isTransaction) return work(db as Knex.Transaction);
  for (let attempt = 1; ; attempt++) {
    try {
      // eslint-disable-next-line no-restricted-syntax -- the one place a knex transaction is begun
      return await db.transaction(work, options.config);
    } catch (error) {
      if (!rolledBackByServer(error) || attempt >= TRIES) throw error;
      metrics.transactionRetry();
      options.onRetry?.(error, attempt);
      // The other write set is applied by now, or nearly: a short pause with jitter, so two
      // runs that raced do not race again in step.
      const pause = 5 * 2 ** (attempt - 1);
      await new Promise((resume) => setTimeout(resume, pause + Math.random() * pause));
    }
  }
}
