import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { DEFAULT_DATABASE_LIMITS } from '../config/index.ts';
import { StorageUnavailableError } from '../database/index.ts';
import { metrics } from '../observability/platformMetrics.ts';
import type { AuditEntry } from './AuditEntry.ts';
import type { CheckpointSigning } from './AuditCheckpoint.ts';
import { AuditCheckpointer } from './AuditCheckpointer.ts';
import type { AuditSink } from './AuditSink.ts';
import { toAuditRow } from './auditQueries.ts';
import { chainHash, GENESIS_HASH } from './chainHash.ts';

interface Pending {
  entries: AuditEntry[];
  /** Resolves (no error) or rejects the caller, once; later calls do nothing. */
  settle: (error?: Error) => void;
}

/** How long after a failed write new records are refused at once, before one batch tries again. */
const RETRY_AFTER_FAILURE_MS = 1000;

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
   * Longest a caller waits for its records to be committed (default the
   * storage bound, `STORAGE_TIMEOUT_MS`): then it is refused and fails closed.
   */
  timeoutMs?: number;
}

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
 * verifies on its own. A failed flush rejects its callers and rolls the chain
 * head back, so the chain stays gap-free.
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
  readonly writer = randomUUID();
  private seq = 0;
  private lastHash = GENESIS_HASH;
  private queue: Pending[] = [];
  private scheduled = false;
  private flushing: Promise<void> | undefined;
  private started: Promise<void> | undefined;
  private readonly maxBatch: number;
  private readonly checkpointer: AuditCheckpointer | undefined;
  private readonly onCheckpointError: (error: unknown) => void;
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
    this.checkpointer = options.checkpoints
      ? new AuditCheckpointer(this.writer, options.checkpoints, this.onCheckpointError)
      : undefined;
  }

  /**
   * Resolves when `entries` are durable; rejects with AuditUnavailableError
   * otherwise. Group commit without a fixed delay: when no write is under way
   * the queue is written at once (after the current tick, so records made
   * together share it); while one is, new records gather for the next, so the
   * batch grows with the load and an idle writer adds no wait.
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
      if (!this.flushing && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          void this.flush();
        });
      }
    });
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
    const startSeq = this.seq;
    const startHash = this.lastHash;
    const rows: ReturnType<typeof toAuditRow>[] = [];
    for (const pending of batch) {
      for (const entry of pending.entries) {
        const seq = ++this.seq;
        const hash = chainHash(this.writer, seq, this.lastHash, entry);
        rows.push(toAuditRow(this.writer, seq, this.lastHash, hash, entry));
        this.lastHash = hash;
      }
    }
    const began = performance.now();
    try {
      await this.ensureChain();
      await this.checkpointer?.begin();
      const now = new Date().toISOString();
      await this.db.transaction(async (trx) => {
        for (let i = 0; i < rows.length; i += 200)
          await trx('audit_records').insert(rows.slice(i, i + 200));
        await trx('audit_chains')
          .where({ writer: this.writer })
          .update({ last_seq: this.seq, last_hash: this.lastHash, updated_at: now });
      });
      this.checkpointer?.committed(this.seq, this.lastHash);
      metrics.auditCommit((performance.now() - began) / 1000, rows.length, true);
      this.failure = undefined;
      for (const pending of batch) pending.settle();
    } catch (error) {
      this.seq = startSeq;
      this.lastHash = startHash;
      this.failure = { at: Date.now(), reason: storeProblem(error) };
      metrics.auditCommit((performance.now() - began) / 1000, rows.length, false);
      const failure = new AuditUnavailableError(
        `the audit store did not record the access: ${String(error)}`,
      );
      // The store just failed: what waits would meet it too, so it is refused now.
      for (const pending of [...batch, ...this.queue.splice(0)]) pending.settle(failure);
    }
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
        await this.db.transaction(async (trx) => {
          await trx('audit_chains').where({ writer: this.writer }).update({ role: this.role });
          throw rolledBack;
        });
        return null;
      } catch (error) {
        return error === rolledBack ? null : storeProblem(error);
      } finally {
        this.probing = undefined;
      }
    })();
    return this.probing;
  }

  private ensureChain(): Promise<void> {
    this.started ??= (async () => {
      const now = new Date().toISOString();
      await this.db('audit_chains').insert({
        writer: this.writer,
        role: this.role,
        last_seq: 0,
        last_hash: GENESIS_HASH,
        started_at: now,
        updated_at: now,
      });
    })().catch((error: unknown) => {
      this.started = undefined;
      throw error;
    });
    return this.started;
  }
}

/** What went wrong with the store, in words fit for `/ready`: a driver's code at most. */
function storeProblem(error: unknown): string {
  if (error instanceof StorageUnavailableError) {
    return `the audit store stayed locked for ${error.waitedMs} ms`;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ER_LOCK_WAIT_TIMEOUT') return `the audit store stayed locked (${code})`;
  return `the audit store refused a write${typeof code === 'string' ? ` (${code})` : ''}`;
}
