import { mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { signCheckpoint, type CheckpointSigning } from './AuditCheckpoint.ts';
import { GENESIS_HASH } from './chainHash.ts';

/**
 * Signs one writer's chain head into the checkpoint file: once when the chain
 * starts (so a chain with no checkpoint at all was not made by a platform
 * writer), then after commits, as soon as `everyRecords` records are unsigned
 * or at most `intervalMs` after the first unsigned one, and on `flush` (the
 * writer's drain at shutdown). Only committed heads are signed, so a
 * checkpoint never names a record the database may not have.
 *
 * Lines are appended (O_APPEND) and synced; appends are serialised, so the file
 * is in sequence order per writer. A failed periodic append is reported to
 * `onError` and retried with the next head; no timer is left running while
 * everything committed is signed.
 */
export class AuditCheckpointer {
  private head = { seq: 0, hash: GENESIS_HASH };
  private signedSeq = -1;
  private timer: NodeJS.Timeout | undefined;
  private appending: Promise<void> = Promise.resolve();

  constructor(
    private readonly writer: string,
    private readonly signing: CheckpointSigning,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Signs the empty chain; awaited before the chain's first records are written. */
  async begin(): Promise<void> {
    if (this.signedSeq >= 0) return;
    await this.sign();
  }

  /** The writer committed its head at `seq`/`hash`. */
  committed(seq: number, hash: string): void {
    this.head = { seq, hash };
    const unsigned = seq - Math.max(this.signedSeq, 0);
    if (unsigned >= this.signing.everyRecords) {
      this.clearTimer();
      void this.sign().catch(this.onError);
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.sign().catch(this.onError);
      }, this.signing.intervalMs);
      this.timer.unref();
    }
  }

  /** Signs the latest committed head if it is not signed yet; rejects if the append fails. */
  async flush(): Promise<void> {
    this.clearTimer();
    await this.appending.catch(() => {});
    if (this.signedSeq !== this.head.seq) await this.sign();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private sign(): Promise<void> {
    const head = this.head;
    const next = this.appending
      .catch(() => {})
      .then(async () => {
        if (head.seq <= this.signedSeq) return;
        const checkpoint = signCheckpoint(
          { writer: this.writer, ...head, at: new Date().toISOString() },
          this.signing.privateKey,
        );
        mkdirSync(dirname(this.signing.file), { recursive: true });
        const file = await open(this.signing.file, 'a', 0o644);
        try {
          await file.appendFile(`${JSON.stringify(checkpoint)}\n`, 'utf8');
          await file.datasync();
        } finally {
          await file.close();
        }
        this.signedSeq = Math.max(this.signedSeq, head.seq);
      });
    this.appending = next;
    return next;
  }
}
