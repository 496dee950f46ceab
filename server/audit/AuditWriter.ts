import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { AuditEntry } from './AuditEntry.ts';
import type { CheckpointSigning } from './AuditCheckpoint.ts';
import { AuditCheckpointer } from './AuditCheckpointer.ts';
import type { AuditSink } from './AuditSink.ts';
import { toAuditRow } from './auditQueries.ts';
import { chainHash, GENESIS_HASH } from './chainHash.ts';

interface Pending {
  entries: AuditEntry[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

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

  constructor(
    private readonly db: Knex,
    private readonly role: string,
    options: AuditWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 400;
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
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entries: [...entries], resolve, reject });
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
      for (const pending of batch) pending.resolve();
    } catch (error) {
      this.seq = startSeq;
      this.lastHash = startHash;
      const failure = new AuditUnavailableError(
        `the audit store did not record the access: ${String(error)}`,
      );
      for (const pending of batch) pending.reject(failure);
    }
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
