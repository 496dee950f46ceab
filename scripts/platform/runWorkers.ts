import cluster, { type Worker } from 'node:cluster';
import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';
// From their own modules, not the server's index: a gateway's primary process
// runs this file and none of what the rest of the index brings (the gateway's
// and subgraphs' HTTP, identity, policy), which held it at about 100 MiB.
import { AuditWriter, type AuditWriterOptions } from '../../server/audit/AuditWriter.ts';
import { writeAuditForWorkers } from '../../server/audit/clusterAudit.ts';
import { DEFAULT_TIMEOUTS, type DatabaseConfig } from '../../server/config/index.ts';
import { checkpointOffThread, openDatabase } from '../../server/database/openDatabase.ts';
import {
  aggregateMetricsForWorkers,
  shareMetricsWithPrimary,
} from '../../server/observability/clusterMetrics.ts';

/** What a worker reports to the primary once it serves. */
interface ReadyMessage {
  ready: string;
}

/** What the primary sends a worker it has replaced: hand the clients over and stop. */
interface RetireMessage {
  retire: true;
}

export interface WorkerPool {
  /** The URL the workers serve (they share one port). */
  url: string;
  /**
   * Replaces every worker serving now, one at a time: a new worker is
   * started, and once it serves, an old one is retired (it takes no new
   * connections and answers what comes on its open ones, each then closed;
   * see `retire`) and waited for, so the pool never serves with fewer workers
   * and never holds more than one extra. A call while a replacement runs
   * makes it go round once more when done, so every worker ends up started
   * after the last call. Rejects, leaving the old workers serving, if a new
   * worker stops before it serves.
   */
  replaceWorkers(): Promise<void>;
  /** Sends `message` to every worker serving now. */
  send(message: object): void;
  stop(): Promise<void>;
}

export interface WorkerPoolOptions {
  /** Called for each worker once it serves, the first ones and their replacements alike. */
  greet?: (worker: Worker) => void;
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
  options: WorkerPoolOptions = {},
): Promise<WorkerPool> {
  if (!cluster.isPrimary) throw new Error('startWorkerPool runs in the primary process');
  let stopping = false;
  let up = false;
  const workers = new Set<Worker>();
  /** Workers serving, each with the promise of its exit. */
  const serving = new Map<Worker, Promise<void>>();
  /** Workers being replaced or started as replacements: their exits are not failures to make good. */
  const replacing = new Set<Worker>();
  /** Calls of `replaceWorkers` so far, and how many had been made when each worker was started. */
  let calls = 0;
  const startedAfter = new Map<Worker, number>();
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
  /** A new worker, and whether it came to serve (false: it stopped first). */
  const fork = () => {
    const worker = cluster.fork();
    workers.add(worker);
    startedAfter.set(worker, calls);
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const serves = new Promise<boolean>((resolve) => {
      worker.on('message', (message: ReadyMessage) => {
        if (typeof message?.ready !== 'string' || serving.has(worker)) return;
        serving.set(worker, exited);
        options.greet?.(worker);
        resolve(true);
      });
      void exited.then(() => resolve(false));
    });
    return { worker, serves };
  };
  const url = await new Promise<string>((resolve, reject) => {
    cluster.on('exit', (worker, code, signal) => {
      workers.delete(worker);
      serving.delete(worker);
      startedAfter.delete(worker);
      if (stopping || replacing.delete(worker)) return;
      if (!up) {
        void stopAll().then(() =>
          reject(new Error(`a worker stopped while starting (${signal ?? `exit ${code}`})`)),
        );
        return;
      }
      log(`worker ${worker.process.pid} stopped (${signal ?? `exit ${code}`}); starting another`);
      fork();
    });
    let ready = 0;
    cluster.on('message', (_worker, message: ReadyMessage) => {
      if (up || typeof message?.ready !== 'string') return;
      if (++ready === count) {
        up = true;
        resolve(message.ready);
      }
    });
    for (let i = 0; i < count; i++) fork();
  });

  /** Replaces the workers started before the latest call, one at a time. */
  async function replaceEach(): Promise<void> {
    const due = calls;
    for (const [old, exited] of [...serving]) {
      if (stopping) return;
      if (startedAfter.get(old)! >= due) continue;
      const next = fork();
      replacing.add(next.worker);
      if (!(await next.serves)) {
        if (stopping) return;
        throw new Error(`a new worker stopped before it served; the others serve on`);
      }
      replacing.delete(next.worker);
      if (stopping) return;
      replacing.add(old);
      serving.delete(old);
      if (!old.isDead()) old.send({ retire: true } satisfies RetireMessage);
      await exited;
    }
  }
  let replacement: Promise<void> | undefined;
  let again = false;
  return {
    url,
    replaceWorkers() {
      calls++;
      if (replacement) {
        again = true;
        return replacement;
      }
      replacement = (async () => {
        do {
          again = false;
          await replaceEach();
        } while (again && !stopping);
      })().finally(() => (replacement = undefined));
      return replacement;
    },
    send(message) {
      for (const worker of serving.keys()) if (!worker.isDead()) worker.send(message);
    },
    stop: stopAll,
  };
}

/**
 * A worker pool over the platform database. With `audit`, its primary writes
 * every worker's audit records (workers use a `WorkerAuditSink`): one writer
 * and one hash chain for the pool, which signs the chain's checkpoints when
 * `audit.writer.checkpoints` is given. Without it, each worker writes its own
 * records in a chain of its own, and the primary only checkpoints the
 * database's log on its thread (SQLite) for all of them (workers pass
 * `checkpointOnThread: false`). `options.beforeWorkers` runs on the primary's
 * connection to the platform database before any worker is started. Stopping
 * it stops the workers, then drains the primary's writer, if it has one.
 */
export async function startPlatformWorkerPool(
  database: DatabaseConfig,
  count: number,
  log: (message: string) => void,
  options: WorkerPoolOptions & {
    audit?: { role: string; writer?: AuditWriterOptions };
    beforeWorkers?: (platformDb: Knex) => Promise<void>;
    /** Told of a problem that costs the store speed, not records (see `checkpointOffThread`). */
    onStorageProblem?: (problem: string) => void;
  } = {},
): Promise<WorkerPool> {
  const platformDb = await openDatabase(database, 'platform');
  const { audit } = options;
  const writer = audit
    ? new AuditWriter(platformDb, audit.role, {
        timeoutMs: database.limits?.lockTimeoutMs,
        onStorageProblem: options.onStorageProblem,
        ...audit.writer,
      })
    : undefined;
  let stopWriting = () => {};
  if (writer) stopWriting = writeAuditForWorkers(writer);
  else void checkpointOffThread(platformDb, options.onStorageProblem);
  // A scrape of any worker's /metrics answers for the pool and this primary (its audit writer, if any).
  const stopAggregating = aggregateMetricsForWorkers();
  const close = async () => {
    stopWriting();
    stopAggregating();
    await writer?.drain();
    await platformDb.destroy();
  };
  try {
    await options.beforeWorkers?.(platformDb);
    const pool = await startWorkerPool(count, log, options);
    return {
      ...pool,
      async stop() {
        await pool.stop();
        await close();
      },
    };
  } catch (error) {
    await close();
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
  const handle = (reason: string) => {
    // A repeated signal changes nothing (Ctrl-C reaches the whole process group).
    if (stoppingFor !== undefined) return;
    log?.(`${reason}: stopping`);
    stopWithin(stop, reason, deadlineMs);
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  whenLauncherExits(() => handle('launcher exited'));
}

let stoppingFor: string | undefined;

/**
 * Runs `stop` once for this process, whatever asks for it first (a signal,
 * the launcher gone, the primary retiring a worker), then exits 0, or 1 if
 * stopping failed or had not finished `deadlineMs` after `reason`.
 */
function stopWithin(
  stop: () => Promise<void>,
  reason: string,
  deadlineMs: number = DEFAULT_TIMEOUTS.shutdownMs + 5000,
): void {
  if (stoppingFor !== undefined) return;
  stoppingFor = reason;
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
  start: () => Promise<{ url: string; stop(): Promise<void>; retire?(): Promise<void> }>,
  deadlineMs?: number,
): Promise<void> {
  try {
    shareMetricsWithPrimary();
    const served = await start();
    stopOnSignals(() => served.stop(), undefined, deadlineMs);
    // Replaced by a newer worker: hand the clients over (or stop), within the same deadline.
    process.on('message', (message: RetireMessage) => {
      if (message?.retire !== true) return;
      void stopWithin(() => (served.retire ?? served.stop)(), 'retired', deadlineMs);
    });
    process.send?.({ ready: served.url } satisfies ReadyMessage);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
