import cluster, { type Worker } from 'node:cluster';
import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import {
  AuditWriter,
  DEFAULT_TIMEOUTS,
  openDatabase,
  type AuditWriterOptions,
  writeAuditForWorkers,
  type DatabaseConfig,
  aggregateMetricsForWorkers,
  shareMetricsWithPrimary,
} from '../../server/index.ts';

/** What a worker reports to the primary once it serves. */
interface ReadyMessage {
  ready: string;
}

export interface WorkerPool {
  /** The URL the workers serve (they share one port). */
  url: string;
  stop(): Promise<void>;
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
 * A worker pool whose primary writes every worker's audit records to the
 * platform database: one writer and one hash chain for the pool, and no two
 * processes competing for the database's write lock (workers use a
 * `WorkerAuditSink`). The primary's writer signs the chain's checkpoints when
 * `writerOptions.checkpoints` is given. `beforeWorkers` runs on the primary's
 * connection to the platform database before any worker is started. Stopping
 * it stops the workers, then drains the writer.
 */
export async function startAuditedWorkerPool(
  database: DatabaseConfig,
  role: string,
  count: number,
  log: (message: string) => void,
  writerOptions: AuditWriterOptions = {},
  beforeWorkers?: (platformDb: Knex) => Promise<void>,
): Promise<WorkerPool> {
  const platformDb = await openDatabase(database, 'platform');
  const writer = new AuditWriter(platformDb, role, {
    timeoutMs: database.limits?.lockTimeoutMs,
    ...writerOptions,
  });
  const stopWriting = writeAuditForWorkers(writer);
  // A scrape of any worker's /metrics answers for the pool and this primary (its audit writer).
  const stopAggregating = aggregateMetricsForWorkers();
  const closeWriter = async () => {
    stopWriting();
    stopAggregating();
    await writer.drain();
    await platformDb.destroy();
  };
  try {
    await beforeWorkers?.(platformDb);
    const pool = await startWorkerPool(count, log);
    return {
      url: pool.url,
      async stop() {
        await pool.stop();
        await closeWriter();
      },
    };
  } catch (error) {
    await closeWriter();
    throw error;
  }
}

/**
 * Calls `stop` once on SIGINT or SIGTERM — Ctrl-C, or what a container runtime
 * or process manager sends — then exits 0, or 1 if stopping failed or had not
 * finished `deadlineMs` after the signal. A repeated signal changes nothing
 * (Ctrl-C reaches every process of the group, and tsx relays it once more).
 * Install it before starting anything, so a signal during start-up stops too.
 */
export function stopOnSignals(
  stop: () => Promise<void>,
  log?: (message: string) => void,
  deadlineMs: number = DEFAULT_TIMEOUTS.shutdownMs + 5000,
): void {
  let stopping = false;
  const handle = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log?.(`${reason}: stopping`);
    setTimeout(() => {
      console.error(`still stopping ${deadlineMs} ms after ${reason}; exiting now`);
      process.exit(1);
    }, deadlineMs).unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  whenLauncherExits(() => handle('launcher exited'));
}

/**
 * Calls `gone` once the processes that launched this one are gone. `npx tsx
 * …` runs tsx through \`sh -c\`, and a shell passes no signal on: SIGTERM
 * to npx ends npx and the shell, and tsx (which would relay it) is left
 * running with the platform under it. So this process watches its parent (and,
 * on Linux, its parent's parent) and stops as on SIGTERM when either is
 * replaced, which is what an orphaned process sees. Checked once a second.
 */
function whenLauncherExits(gone: () => void): void {
  const parent = process.ppid;
  const grandparent = parentOf(parent);
  const timer = setInterval(() => {
    if (process.ppid === parent && parentOf(parent) === grandparent) return;
    clearInterval(timer);
    gone();
  }, 1000);
  timer.unref();
}

/** The parent of process `pid` (Linux), or null where that cannot be read. */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (command) state ppid …: the command may hold spaces and parentheses.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/**
 * In a worker: starts what it serves, tells the primary where, and stops it
 * cleanly on SIGTERM or SIGINT. A worker that cannot start prints why and
 * exits 1.
 */
export async function serveAsWorker(
  start: () => Promise<{ url: string; stop(): Promise<void> }>,
  deadlineMs?: number,
): Promise<void> {
  try {
    shareMetricsWithPrimary();
    const served = await start();
    stopOnSignals(() => served.stop(), undefined, deadlineMs);
    process.send?.({ ready: served.url } satisfies ReadyMessage);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
