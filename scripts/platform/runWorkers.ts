import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';

/** What a worker reports to the primary once it serves. */
interface ReadyMessage {
  ready: string;
}

export interface WorkerPool {
  /** The URL the workers serve (they share one port). */
  url: string;
  stop(): Promise<void>;
}

/** The default number of workers: one per core the process may use. */
export function defaultWorkerCount(): number {
  return availableParallelism();
}

/**
 * Parses a `--workers` value: a whole number from 1 to 64, or the default
 * (one per core) when absent.
 */
export function parseWorkerCount(value: string | undefined): number {
  if (value === undefined) return defaultWorkerCount();
  const count = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(count) || count < 1 || count > 64) {
    throw new Error(`--workers takes a whole number from 1 to 64 (got ${value})`);
  }
  return count;
}

/**
 * In the primary: forks `count` workers of this same script, which share the
 * listening port through `node:cluster` (the primary hands out connections in
 * turn), and resolves once every worker serves. A worker that dies is replaced;
 * if one dies before the pool is up, the pool is stopped and the start fails,
 * so a broken configuration is reported once, not restarted forever.
 *
 * In a worker, call `serveAsWorker` instead.
 */
export async function startWorkerPool(
  count: number,
  log: (message: string) => void,
): Promise<WorkerPool> {
  if (!cluster.isPrimary) throw new Error('startWorkerPool runs in the primary process');
  let stopping = false;
  let up = false;
  const workers = new Set<Worker>();
  const stopAll = async () => {
    stopping = true;
    await Promise.all(
      [...workers].map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM');
          }),
      ),
    );
  };
  const fork = () => {
    const worker = cluster.fork();
    workers.add(worker);
    return worker;
  };
  const url = await new Promise<string>((resolve, reject) => {
    let ready = 0;
    cluster.on('exit', (worker, code, signal) => {
      workers.delete(worker);
      if (stopping) return;
      if (!up) {
        void stopAll().then(() =>
          reject(new Error(`a worker stopped while starting (${signal ?? `exit ${code}`})`)),
        );
        return;
      }
      log(`worker ${worker.process.pid} stopped (${signal ?? `exit ${code}`}); starting another`);
      fork();
    });
    cluster.on('message', (_worker, message: ReadyMessage) => {
      if (up || typeof message?.ready !== 'string') return;
      if (++ready === count) {
        up = true;
        resolve(message.ready);
      }
    });
    for (let i = 0; i < count; i++) fork();
  });
  return { url, stop: stopAll };
}

/**
 * In a worker: starts what it serves, tells the primary where, and stops it
 * cleanly on SIGTERM or SIGINT (Ctrl-C reaches every process of the group).
 * A worker that cannot start prints why and exits 1.
 */
export async function serveAsWorker(
  start: () => Promise<{ url: string; stop(): Promise<void> }>,
): Promise<void> {
  try {
    const served = await start();
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      served.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.send?.({ ready: served.url } satisfies ReadyMessage);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
