import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { DEFAULT_DATABASE_LIMITS } from '../config/index.ts';
import { metrics } from '../observability/platformMetrics.ts';
import type { AuditEntry } from './AuditEntry.ts';
import type { CheckpointSigning } from './AuditCheckpoint.ts';
import { AuditCheckpointer } from './AuditCheckpointer.ts';
import type { AuditSink } from './AuditSink.ts';
import { toAuditRow } from './auditQueries.ts';
import {
  ChainHeadMovedError,
  classifyAuditWriteFailure,
  StaleChainHeadError,
  type AuditWriteFailure,
} from './auditWriteFailure.ts';
import { chainHash } from './chainHash.ts';
import { checkpointOffThread, databaseEngine } from '../database/index.ts';
import { commitAuditRowsOnSqlite } from './sqliteAuditCommit.ts';
import {
  EMPTY_CHAIN,
  insertChainIfMissing,
  moveChainHead,
  selectChainHead,
  type ChainHead,
} from './chainHeadQueries.ts';

interface Pending {
  entries: AuditEntry[];
  /** Resolves (no error) or rejects the caller, once; later calls do nothing. */
  settle: (error?: Error) => void;
}

/** How long after a failed write new records are refused at once, before one batch tries again. */
const RETRY_AFTER_FAILURE_MS = 1000;

/** Most attempts at writing one batch (it is also given up once its callers' wait is over). */
const MAX_ATTEMPTS = 12;

export interface AuditWriterOptions {
  /** Most records written in one transaction. */
  maxBatch?: number;
  /**
   * Sign the chain head into a checkpoint file outside the database (see
   * `AuditCheckpointer`); every served platform process sets it.
   */
  checkpoints?: CheckpointSigning;
  /** Told when a periodic checkpoint could not be written (it is retried with the next head). */
  onCheckpointError?: (error: unknown) => void;
  /**
   * Told when the store's chain was changed under the writer (its head is not
   * where the writer left it): the writer leaves that chain and starts a new one.
   */
  onChainChanged?: (change: ChainHeadMovedError, abandonedWriter: string) => void;
  /** Told each time a batch is written again after `failure` (see `classifyAuditWriteFailure`). */
  onRetry?: (failure: AuditWriteFailure, attempt: number) => void;
  /**
   * On SQLite, whether the writer's process checkpoints the database's log on
   * a thread of its own (see `checkpointOffThread`; default true). A gateway
   * cluster's workers pass false: their primary's thread serves the file for
   * all of them, instead of one thread per worker.
   */
  checkpointOnThread?: boolean;
  /**
   * Told of a problem that costs the store speed, not records: on SQLite, the
   * thread that checkpoints its log could not (see `checkpointOffThread`).
   * Default: a process warning.
   */
  onStorageProblem?: (problem: string) => void;
  /**
   * Longest a caller waits for its records to be committed (default the
   * storage bound, `STORAGE_TIMEOUT_MS`): then it is refused and fails closed.
   */
  timeoutMs?: number;
  /**
   * How a batch's rows and its chain head's move are committed: by default in
   * one synchronous transaction on SQLite (`commitAuditRowsOnSqlite`), and in a
   * knex transaction on MySQL-compatible servers (`commitAuditRowsInTransaction`).
   */
  commitRows?: CommitAuditRows;
}

/**
 * Commits `rows` and moves `writer`'s chain head from `from` to `to`, both or
 * neither; resolves false (nothing written) when the store's head is not at
 * `from`. `boundMs`: the longest it may wait for the store.
 */
export type CommitAuditRows = (
  db: Knex,
  rows: readonly ReturnType<typeof toAuditRow>[],
  writer: string,
  from: ChainHead,
  to: ChainHead,
  boundMs: number,
) => Promise<boolean>;

/** The batch in a knex transaction: the rows in inserts of 200, then the head by compare-and-set. */
export const commitAuditRowsInTransaction: CommitAuditRows = async (db, rows, writer, from, to) => {
  try {
    // eslint-disable-next-line no-restricted-syntax -- the writer retries a batch itself, keeping its positions
    await db.transaction(async (trx) => {
      for (let i = 0; i < rows.length; i += 200)
        await trx('audit_records').insert(rows.slice(i, i + 200));
      if (!(await moveChainHead(trx, writer, from, to))) throw new StaleChainHeadError();
    });
    return true;
  } catch (error) {
    if (error instanceof StaleChainHeadError) return false;
    throw error;
  }
};

/** Thrown to callers whose records could not be made durable: the request must fail closed. */
export class AuditUnavailableError extends Error {
  override name = 'AuditUnavailableError';
}

/**
 * Writes audit records with group commit: `record()` resolves only once its
 * records are committed, but concurrent requests share one transaction (one
 * multi-row insert plus the chain head).
 *
 * Each writer (one per process and role) keeps its own hash chain: a record
 * carries its writer, a gap-free sequence number, the previous record's hash
 * and its own. Replicas never contend for a shared chain head, and each chain
 * verifies on its own. A failed flush rejects its callers and leaves the chain
 * head where the store has it, so the chain stays gap-free.
 *
 * On a multi-primary cluster (MariaDB Galera) a commit can fail where a single
 * server's would not: certification refuses a transaction that raced a write
 * set from another node (this writer's own previous batch, committed through
 * another node and not yet applied on this one, is enough), and a node can be
 * killed under a commit. The writer retries the same records under the same
 * sequence numbers and hashes while its callers wait (see
 * `classifyAuditWriteFailure`): after a rollback it writes them again; after a
 * broken connection, when the commit may or may not have happened, it first
 * reads the chain head back from the store (a causal read on Galera) and
 * either finds the batch committed — its callers are answered — or writes it
 * again. It never writes on from a head it does not know: the store's unique
 * `(writer, seq)` and a compare-and-set of the head make a forked or broken
 * chain impossible, whatever the writer believes; and a chain changed under
 * the writer (a head the store should not hold) is neither written over nor
 * adopted: the writer goes on in a new chain (see `readHeadBack`).
 *
 * A store that is locked or slow fails requests fast, never holds them: a
 * caller is refused once its records have waited `timeoutMs`, and after a
 * failed write everything queued is refused, as is every new record for
 * `RETRY_AFTER_FAILURE_MS`, until one batch tries again. A record refused while
 * its batch was already being written may still be committed if the store
 * recovers at that moment: the trail may then show a request whose client got
 * 503, never the reverse.
 */
export class AuditWriter implements AuditSink {
  /** This writer's chain: a new one if the store's chain was changed under it (see `readHeadBack`). */
  private chainWriter = randomUUID();
  /** The chain head as last committed, or as read back from the store. */
  private head: ChainHead = EMPTY_CHAIN;
  /** Set after a commit of unknown outcome: the head is read back before the next write. */
  private headUnknown = false;
  /** The head an uncertain commit would have left, and its batch (whose callers may still wait). */
  private perhapsCommitted: { head: ChainHead; batch: Pending[] } | undefined;
  private queue: Pending[] = [];
  private scheduled = false;
  /** The timer of a commit waiting for records on their way (see `gather`). */
  private gathering: NodeJS.Timeout | undefined;
  /** How many callers will call `record` soon, and the longest a commit waits for them. */
  private coming: { count: () => number; ms: number } | undefined;
  private flushing: Promise<void> | undefined;
  private started: Promise<void> | undefined;
  private readonly maxBatch: number;
  private checkpointer: AuditCheckpointer | undefined;
  private readonly checkpoints: CheckpointSigning | undefined;
  private readonly onCheckpointError: (error: unknown) => void;
  private readonly onRetry: (failure: AuditWriteFailure, attempt: number) => void;
  private readonly onChainChanged: (change: ChainHeadMovedError, abandoned: string) => void;
  private readonly commitRows: CommitAuditRows;
  private readonly timeoutMs: number;
  private failure: { at: number; reason: string } | undefined;
  private probing: Promise<string | null> | undefined;

  constructor(
    private readonly db: Knex,
    private readonly role: string,
    options: AuditWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 400;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_DATABASE_LIMITS.lockTimeoutMs;
    this.onCheckpointError = options.onCheckpointError ?? (() => {});
    this.onRetry = options.onRetry ?? (() => {});
    this.onChainChanged = options.onChainChanged ?? (() => {});
    const sqlite = databaseEngine(db) === 'sqlite';
    this.commitRows =
      options.commitRows ?? (sqlite ? commitAuditRowsOnSqlite : commitAuditRowsInTransaction);
    // Every request waits for a commit here: none of them may also wait out a checkpoint.
    if (sqlite && options.checkpointOnThread !== false) {
      void checkpointOffThread(db, options.onStorageProblem);
    }
    this.checkpoints = options.checkpoints;
    this.checkpointer = this.newCheckpointer();
  }

  /** The id of the chain this writer writes now. */
  get writer(): string {
    return this.chainWriter;
  }

  private newCheckpointer(): AuditCheckpointer | undefined {
    return this.checkpoints
      ? new AuditCheckpointer(this.chainWriter, this.checkpoints, this.onCheckpointError)
      : undefined;
  }

  /**
   * Lets each commit wait up to `ms` for the records of callers already on
   * their way (`coming()`: how many have begun work that ends in `record`, a
   * gateway's requests under way), so that one commit serves several requests
   * instead of each paying a whole transaction of its own. The wait ends as
   * soon as every caller on its way has recorded, and a writer with nobody on
   * the way commits at once: a lone request never waits. 0 turns it off.
   */
  gather(coming: () => number, ms: number): void {
    this.coming = ms > 0 ? { count: coming, ms } : undefined;
  }

  /**
   * Resolves when `entries` are durable; rejects with AuditUnavailableError
   * otherwise. Group commit: when no write is under way the queue is written
   * after the current tick (so records made together share it), or, when
   * callers are on their way to record too, once they have or `gather`'s wait
   * is over; while a write is under way, new records gather for the next, so
   * the batch grows with the load and an idle writer adds no wait.
   */
  record(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    if (this.failure && Date.now() - this.failure.at < RETRY_AFTER_FAILURE_MS) {
      return Promise.reject(new AuditUnavailableError(this.failure.reason));
    }
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const pending: Pending = {
        entries: [...entries],
        settle: (error) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (error === undefined) resolve();
          else reject(error);
        },
      };
      const timer = setTimeout(() => {
        const queued = this.queue.indexOf(pending);
        if (queued !== -1) this.queue.splice(queued, 1);
        pending.settle(
          new AuditUnavailableError(
            `the audit store did not commit the records within ${this.timeoutMs} ms`,
          ),
        );
      }, this.timeoutMs);
      this.queue.push(pending);
      metrics.auditQueueDepth(this.queue.length);
      if (this.flushing) return;
      if (this.gathering && (this.coming?.count() ?? 0) === 0) {
        // Everyone the commit waited for has recorded (or waiting was turned off): wait no longer.
        clearTimeout(this.gathering);
        this.gathering = undefined;
        this.scheduled = false;
      }
      if (!this.scheduled) this.schedule();
    });
  }

  /** Writes the queue after this tick, or after `gather`'s wait while others are on their way. */
  private schedule(): void {
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.gathering = undefined;
      void this.flush();
    };
    const coming = this.coming;
    if (coming !== undefined && coming.count() > 0) {
      this.gathering = setTimeout(run, coming.ms);
    } else {
      setImmediate(run);
    }
  }

  /** Writes everything queued now and signs the head; used on shutdown. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.flushing) await this.flush();
    if (this.started) await this.checkpointer?.flush().catch(this.onCheckpointError);
  }

  private flush(): Promise<void> {
    if (this.flushing) {
      // One flush at a time keeps the chain ordered; the next batch follows it.
      return this.flushing.then(() => this.flush());
    }
    const batch = this.take();
    if (batch.length === 0) return Promise.resolve();
    this.flushing = this.write(batch).finally(() => {
      this.flushing = undefined;
      if (this.queue.length > 0) void this.flush();
    });
    return this.flushing;
  }

  private take(): Pending[] {
    const batch: Pending[] = [];
    let count = 0;
    while (
      this.queue.length > 0 &&
      (count === 0 || count + this.queue[0]!.entries.length <= this.maxBatch)
    ) {
      const next = this.queue.shift()!;
      count += next.entries.length;
      batch.push(next);
    }
    metrics.auditQueueDepth(this.queue.length);
    return batch;
  }

  private async write(batch: Pending[]): Promise<void> {
    const began = performance.now();
    const deadline = Date.now() + this.timeoutMs;
    const entries = batch.flatMap((pending) => pending.entries);
    let failure: AuditWriteFailure | undefined;
    for (let attempt = 1; ; attempt++) {
      let to: ChainHead | undefined;
      try {
        await this.ensureChain();
        if (this.headUnknown && (await this.readHeadBack(batch))) {
          // This batch's earlier attempt did commit: its callers are answered, nothing is written twice.
          this.committed(batch, this.head, entries.length, began);
          return;
        }
        const from = this.head;
        const chained = this.chain(from, entries);
        to = chained.head;
        const end = to;
        await this.checkpointer?.begin();
        const bound = Math.max(1, deadline - Date.now());
        if (!(await this.commitRows(this.db, chained.rows, this.writer, from, end, bound)))
          throw new StaleChainHeadError();
        this.committed(batch, to, entries.length, began);
        return;
      } catch (error) {
        failure = classifyAuditWriteFailure(error);
        if (failure.kind === 'uncertain' || failure.kind === 'stale-head') {
          // Never write on from a head the store may not have: read it back first.
          this.headUnknown = true;
          if (failure.kind === 'uncertain' && to !== undefined) {
            this.perhapsCommitted = { head: to, batch };
          }
        }
      }
      const pause = retryPause(failure, attempt);
      if (failure.kind === 'refused' || attempt >= MAX_ATTEMPTS || Date.now() + pause >= deadline)
        break;
      this.onRetry(failure, attempt);
      metrics.auditRetry(failure.kind);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
    this.failure = { at: Date.now(), reason: failure.reason };
    metrics.auditCommit((performance.now() - began) / 1000, entries.length, false);
    const refused = new AuditUnavailableError(
      `the audit store did not record the access: ${failure.reason}`,
    );
    // The store just failed: what waits would meet it too, so it is refused now.
    for (const pending of [...batch, ...this.queue.splice(0)]) pending.settle(refused);
  }

  /**
   * Reads the chain head back from the store after a commit of unknown
   * outcome, and returns true if it shows that `batch` was committed. The
   * only heads the store may legitimately hold are the one this writer last
   * committed and the one an uncertain commit would have left. Any other
   * (records removed and the head moved back, a record rewritten with the
   * chain recomputed, another process writing this chain) means the chain was
   * changed under the writer: it is left as it is, as the evidence (its signed
   * checkpoints name what changed), and the writer goes on in a new chain of
   * its own. It never fills positions it had already written, which would hide
   * their removal, and the platform keeps recording (and answering) meanwhile.
   */
  private async readHeadBack(batch: Pending[]): Promise<boolean> {
    const stored = (await selectChainHead(this.db, this.writer)) ?? EMPTY_CHAIN;
    const perhaps = this.perhapsCommitted;
    if (perhaps !== undefined && sameHead(stored, perhaps.head)) {
      this.head = stored;
    } else if (!sameHead(stored, this.head)) {
      this.onChainChanged(new ChainHeadMovedError(stored.seq, this.head.seq), this.chainWriter);
      this.chainWriter = randomUUID();
      this.head = EMPTY_CHAIN;
      this.started = undefined;
      this.checkpointer = this.newCheckpointer();
      await this.ensureChain();
      await this.checkpointer?.begin();
    }
    this.headUnknown = false;
    this.perhapsCommitted = undefined;
    return perhaps !== undefined && perhaps.batch === batch && sameHead(stored, perhaps.head);
  }

  /** The rows of `entries` chained on from `from`, and the head they end at. */
  private chain(
    from: ChainHead,
    entries: readonly AuditEntry[],
  ): { rows: ReturnType<typeof toAuditRow>[]; head: ChainHead } {
    const rows: ReturnType<typeof toAuditRow>[] = [];
    let head = from;
    for (const entry of entries) {
      const seq = head.seq + 1;
      const hash = chainHash(this.writer, seq, head.hash, entry);
      rows.push(toAuditRow(this.writer, seq, head.hash, hash, entry));
      head = { seq, hash };
    }
    return { rows, head };
  }

  private committed(batch: Pending[], head: ChainHead, records: number, began: number): void {
    this.head = head;
    this.headUnknown = false;
    this.checkpointer?.committed(head.seq, head.hash);
    metrics.auditCommit((performance.now() - began) / 1000, records, true);
    this.failure = undefined;
    for (const pending of batch) pending.settle();
  }

  /**
   * Why records cannot be written now, or null (for `/ready`): a write failed
   * within the last `RETRY_AFTER_FAILURE_MS`, or a trial write (this writer's
   * chain head, rolled back) fails within `timeoutMs`. Says nothing a client
   * should not see: no SQL, no values, no address.
   */
  problem(): Promise<string | null> {
    if (this.failure && Date.now() - this.failure.at < RETRY_AFTER_FAILURE_MS) {
      return Promise.resolve(this.failure.reason);
    }
    this.probing ??= (async () => {
      const rolledBack = new Error('trial write');
      try {
        await this.ensureChain();
        // eslint-disable-next-line no-restricted-syntax -- a trial write, rolled back on purpose
        await this.db.transaction(async (trx) => {
          // A column a department host may update (`HOST_RIGHTS`), set to what it holds.
          await trx('audit_chains')
            .where({ writer: this.writer })
            .update({ updated_at: trx.ref('updated_at') });
          throw rolledBack;
        });
        return null;
      } catch (error) {
        return error === rolledBack ? null : classifyAuditWriteFailure(error).reason;
      } finally {
        this.probing = undefined;
      }
    })();
    return this.probing;
  }

  private ensureChain(): Promise<void> {
    this.started ??= insertChainIfMissing(this.db, this.writer, this.role).catch(
      (error: unknown) => {
        this.started = undefined;
        throw error;
      },
    );
    return this.started;
  }
}

function sameHead(a: ChainHead, b: ChainHead): boolean {
  return a.seq === b.seq && a.hash === b.hash;
}

/** How long to wait before writing a batch again after `failure`, the `attempt`th. */
function retryPause(failure: AuditWriteFailure, attempt: number): number {
  // A certification conflict is over once the other write set is applied: try again at once,
  // with a little jitter so two writers that raced do not race again. A broken connection
  // or a node leaving the cluster takes the balancer a moment to notice.
  const base = failure.kind === 'rolled-back' && attempt < 3 ? 5 : 50 * attempt;
  return Math.min(500, base + Math.floor(Math.random() * base));
}
