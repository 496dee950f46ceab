import cluster, { type Worker } from 'node:cluster';
import type { AuditEntry } from './AuditEntry.ts';
import type { AuditSink } from './AuditSink.ts';
import { AuditUnavailableError } from './AuditWriter.ts';

/** One request's records, under the id the worker waits on. */
interface HandedOver {
  id: number;
  entries: readonly AuditEntry[];
}

/** What a worker hands the primary in one message: the records of every request that ended in one turn of its event loop. */
interface RecordMessage {
  govdataAudit: HandedOver[];
}

/** One request's answer: its records are durable, or why not. */
interface Done {
  id: number;
  error?: string;
}

/** What the primary answers a worker in one message: every request of its whose commit ended in one turn. */
interface DoneMessage {
  govdataAuditDone: Done[];
}

/**
 * Collects what is sent in one turn of the event loop and sends it as one
 * message after it: each message across the cluster channel is a write that
 * wakes the other process (about 50 µs here, twice per request on the hot
 * path), and under load several requests end in the same turn. An item
 * for which `alone()` holds when it comes, with no batch open, goes at once:
 * nothing else is under way that could share its message, and the rest of the
 * turn (the response's other hooks, its serialisation) then runs while the
 * message travels instead of before it.
 */
function batchPerTurn<T>(send: (items: T[]) => void, alone = () => false): (item: T) => void {
  let batch: T[] | undefined;
  return (item) => {
    if (batch) {
      batch.push(item);
      return;
    }
    if (alone()) {
      send([item]);
      return;
    }
    batch = [item];
    setImmediate(() => {
      const items = batch!;
      batch = undefined;
      send(items);
    });
  };
}

/**
 * The audit sink of a cluster worker whose primary writes for it (the
 * benchmark's subgraph host; a gateway cluster's workers commit their own
 * records, see `startPlatformWorkerPool`): it hands its records to the primary
 * process, whose single writer commits them, and resolves only once the
 * primary says they are durable: one hash chain for the pool, at the price of
 * two crossings between processes per request. If the primary cannot write, or
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
      if (!Array.isArray(message?.govdataAuditDone)) return;
      for (const { id, error } of message.govdataAuditDone) {
        const waiting = this.pending.get(id);
        if (!waiting) continue;
        this.settle(id);
        if (error === undefined) waiting.resolve();
        else waiting.reject(new AuditUnavailableError(error));
      }
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
      this.handOver({ id, entries });
    });
  }

  /**
   * Sends the records of the requests that ended in this turn, as one message;
   * at once when no other request of this worker waits on the primary.
   */
  private readonly handOver = batchPerTurn<HandedOver>(
    (batch) => {
      const refuse = (reason: string) => {
        for (const { id } of batch) {
          const waiting = this.pending.get(id);
          if (!waiting) continue;
          this.settle(id);
          waiting.reject(new AuditUnavailableError(reason));
        }
      };
      if (!process.connected) {
        refuse('the audit writer (primary process) is gone');
        return;
      }
      const message: RecordMessage = { govdataAudit: batch };
      process.send!(message, undefined, {}, (error: Error | null) => {
        if (error) refuse(error.message);
      });
    },
    // Its own record is the only one waiting: there is nothing to share a message with.
    () => this.pending.size === 1,
  );

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
  const answers = new WeakMap<Worker, (done: Done) => void>();
  const answerer = (worker: Worker) => {
    let answer = answers.get(worker);
    if (!answer) {
      answer = batchPerTurn<Done>((done) => {
        if (worker.isConnected()) worker.send({ govdataAuditDone: done } satisfies DoneMessage);
      });
      answers.set(worker, answer);
    }
    return answer;
  };
  const onMessage = (worker: Worker, message: RecordMessage) => {
    if (!Array.isArray(message?.govdataAudit)) return;
    const answer = answerer(worker);
    for (const { id, entries } of message.govdataAudit) {
      if (typeof id !== 'number' || !Array.isArray(entries)) continue;
      // Handed to the writer in one turn: one commit for the whole message, as for the requests of one process.
      writer.record(entries).then(
        () => answer({ id }),
        (error: unknown) =>
          answer({ id, error: error instanceof Error ? error.message : String(error) }),
      );
    }
  };
  cluster.on('message', onMessage);
  return () => cluster.off('message', onMessage);
}
