import cluster, { type Worker } from 'node:cluster';
import type { AuditEntry } from './AuditEntry.ts';
import type { AuditSink } from './AuditSink.ts';
import { AuditUnavailableError } from './AuditWriter.ts';

/** A worker's records, handed to the primary. */
interface RecordMessage {
  govdataAudit: number;
  entries: readonly AuditEntry[];
}

/** The primary's answer: the records are durable, or why not. */
interface DoneMessage {
  govdataAuditDone: number;
  error?: string;
}

/**
 * The audit sink of a cluster worker: it hands its records to the primary
 * process, whose single writer commits them, and resolves only once the
 * primary says they are durable. One writer per cluster means one hash chain
 * and no two processes competing for the database's write lock (on SQLite a
 * waiting writer blocks its whole event loop). If the primary cannot write, or
 * disconnects the worker, the records are refused and the request fails
 * closed; if the primary dies, node:cluster ends its workers at once, so the
 * requests under way get no response at all, never one without its records.
 */
export class WorkerAuditSink implements AuditSink {
  private next = 0;
  private readonly pending = new Map<
    number,
    { resolve: () => void; reject: (error: unknown) => void }
  >();
  private drained: (() => void) | undefined;

  constructor() {
    if (!cluster.isWorker) throw new Error('WorkerAuditSink runs in a cluster worker');
    process.on('message', (message: DoneMessage) => {
      if (typeof message?.govdataAuditDone !== 'number') return;
      const waiting = this.pending.get(message.govdataAuditDone);
      if (!waiting) return;
      this.settle(message.govdataAuditDone);
      if (message.error === undefined) waiting.resolve();
      else waiting.reject(new AuditUnavailableError(message.error));
    });
    process.on('disconnect', () => {
      for (const [id, waiting] of this.pending) {
        this.settle(id);
        waiting.reject(new AuditUnavailableError('the audit writer (primary process) is gone'));
      }
    });
  }

  record(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      if (!process.connected) {
        reject(new AuditUnavailableError('the audit writer (primary process) is gone'));
        return;
      }
      const id = ++this.next;
      this.pending.set(id, { resolve, reject });
      const message: RecordMessage = { govdataAudit: id, entries };
      process.send!(message, undefined, {}, (error: Error | null) => {
        if (!error || !this.pending.has(id)) return;
        this.settle(id);
        reject(new AuditUnavailableError(error.message));
      });
    });
  }

  /** Resolves once every record handed over has been answered. */
  drain(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => (this.drained = resolve));
  }

  private settle(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.drained?.();
  }
}

/**
 * In the primary: commits what the workers hand over through `writer`, and
 * answers each worker. Returns a function that stops listening.
 */
export function writeAuditForWorkers(writer: AuditSink): () => void {
  const answer = (worker: Worker, done: DoneMessage) => {
    if (worker.isConnected()) worker.send(done);
  };
  const onMessage = (worker: Worker, message: RecordMessage) => {
    if (typeof message?.govdataAudit !== 'number' || !Array.isArray(message.entries)) return;
    const id = message.govdataAudit;
    writer.record(message.entries).then(
      () => answer(worker, { govdataAuditDone: id }),
      (error: unknown) =>
        answer(worker, {
          govdataAuditDone: id,
          error: error instanceof Error ? error.message : String(error),
        }),
    );
  };
  cluster.on('message', onMessage);
  return () => cluster.off('message', onMessage);
}
