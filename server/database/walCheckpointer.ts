import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * SQLite's write-ahead log is copied back into the database file by a
 * checkpoint, which by default the connection that commits past 1,000 log
 * pages runs inside that commit, on its caller's thread, syncing the log and
 * the database file to disk. For the audit writer, whose commit every request
 * waits for, that was every hundred or so commits: 25–35 ms each on the test
 * machine, during which the writer's process answered nothing and every
 * request behind it waited (two records a commit, one caller: 0.31 ms at the
 * median, 25 ms at the 99th percentile).
 *
 * The database of an audit writer is checkpointed here instead (see
 * `checkpointOffThread`), on a thread of the process's own with a connection
 * of its own: a passive checkpoint every `PASSIVE_EVERY_MS`, which copies and
 * syncs while writers go on committing (the same caller: 0.32 ms and 1.1 ms).
 * Under steady writes a passive checkpoint never finds the log wholly copied,
 * and only then does the next commit start the log over at its beginning; so
 * once the log passes `RESTART_FROM_PAGES` the thread runs a restarting
 * checkpoint, which new writers wait for (asynchronously: see
 * `waitOnLocksAsynchronously`) and after which the log starts over. The log's
 * file stays at the size it reached, to be written over.
 *
 * If the thread fails, every connection it served goes back to checkpointing
 * itself, as SQLite does by default: nothing depends on the thread but speed.
 */
export const PASSIVE_EVERY_MS = 200;

/** 64 MiB of 4 KiB pages: the log's bound under steady writes. */
export const RESTART_FROM_PAGES = 16_384;

/** How long the thread's connection waits for writers and readers in a restarting checkpoint. */
const RESTART_WAIT_MS = 1000;

/** What a connection the thread served does when the thread is gone: SQLite's default. */
const AUTOCHECKPOINT_PAGES = 1000;

/**
 * Past how many log pages any other connection checkpoints inside its own
 * commit: twice the log's bound under a checkpoint thread, so never while one
 * serves the file, in this process or another. With SQLite's default of 1,000
 * a process that commits now and then to a file an audit writer elsewhere
 * fills (a gateway worker's shared rate counts in the platform database, in a
 * cluster whose primary writes the trail) found the log past 1,000 pages at
 * almost every commit and copied it back inside that commit: 2–25 ms its
 * event loop stood still, twice a second per consumer's share, measured in
 * the gateway bench. A file nobody else checkpoints is still copied back by
 * its writer, at this bound (128 MiB of log), and by the last connection to
 * close it.
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 2 * RESTART_FROM_PAGES;

/** The parts of a better-sqlite3 connection used here. */
interface SqliteConnection {
  pragma(source: string): unknown;
}

/** The thread's side: plain JavaScript, run with `eval` (no loader to register under tsx). */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const open = new Map();
parentPort.on('message', ({ add, remove, id }) => {
  try {
    if (add !== undefined) {
      const found = open.get(add);
      if (found) found.uses += 1;
      else {
        const db = new Database(add, { fileMustExist: true });
        db.pragma('busy_timeout = ' + workerData.restartWaitMs);
        open.set(add, { db, uses: 1 });
      }
    } else if (remove !== undefined) {
      const found = open.get(remove);
      if (found && --found.uses === 0) {
        open.delete(remove);
        found.db.close();
      }
    }
    parentPort.postMessage({ id });
  } catch (error) {
    parentPort.postMessage({ id, failure: String(error && error.message) });
  }
});
// Files whose last checkpoint failed: told once, until one succeeds again.
const failing = new Set();
setInterval(() => {
  for (const [file, { db }] of open) {
    try {
      const [log] = db.pragma('wal_checkpoint(PASSIVE)');
      if (log.log >= workerData.restartFromPages) db.pragma('wal_checkpoint(RESTART)');
      failing.delete(file);
    } catch (error) {
      // SQLITE_BUSY: another connection checkpoints or holds the lock; next time.
      if (!String(error && error.code).startsWith('SQLITE_BUSY') && !failing.has(file)) {
        failing.add(file);
        parentPort.postMessage({ problem: file + ': ' + String(error && error.message) });
      }
    }
  }
}, workerData.everyMs);
`;

/** One process's checkpoint thread and the connections it checkpoints for. */
class WalCheckpointer {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, (failure: string | undefined) => void>();
  private readonly served = new Set<SqliteConnection>();
  private next = 0;
  private failed = false;

  constructor(private readonly onProblem: (problem: string) => void) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(THREAD, {
      eval: true,
      workerData: {
        driver,
        everyMs: PASSIVE_EVERY_MS,
        restartFromPages: RESTART_FROM_PAGES,
        restartWaitMs: RESTART_WAIT_MS,
      },
    });
    // The thread never keeps the process alive: its files' own connections do.
    this.worker.unref();
    this.worker.on('message', (message: { id?: number; failure?: string; problem?: string }) => {
      if (message.problem !== undefined) this.onProblem(message.problem);
      if (message.id === undefined) return;
      this.waiting.get(message.id)?.(message.failure);
      this.waiting.delete(message.id);
    });
    this.worker.once('error', (error) => this.fail(error.message));
    this.worker.once('exit', (code) =>
      this.fail(`the checkpoint thread stopped (exit code ${code})`),
    );
  }

  /**
   * `conn` (open on `file`) stops checkpointing itself once the thread has the
   * file; if the thread cannot have it, `conn` checkpoints it as SQLite does by
   * default (the file's checkpoints are its charge either way).
   */
  async serve(file: string, conn: SqliteConnection): Promise<void> {
    const byItself = () => conn.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    if (this.failed) return void byItself();
    const failure = await this.ask({ add: file });
    if (this.failed) return void byItself();
    if (failure !== undefined) {
      byItself();
      this.onProblem(`${file} could not be opened (${failure}); its connection checkpoints itself`);
      return;
    }
    conn.pragma('wal_autocheckpoint = 0');
    this.served.add(conn);
  }

  /** The thread lets go of `file` for `conn`, which checkpoints itself again (it may be closing). */
  async release(file: string, conn: SqliteConnection): Promise<void> {
    if (!this.served.delete(conn)) return;
    await this.ask({ remove: file });
  }

  get idle(): boolean {
    return this.served.size === 0 && this.waiting.size === 0;
  }

  async stop(): Promise<void> {
    this.failed = true;
    await this.worker.terminate();
  }

  private ask(message: { add: string } | { remove: string }): Promise<string | undefined> {
    if (this.failed) return Promise.resolve('the checkpoint thread is gone');
    const id = ++this.next;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.postMessage({ ...message, id });
    });
  }

  private fail(reason: string): void {
    if (this.failed) return;
    this.failed = true;
    if (thread === this) thread = undefined;
    for (const conn of this.served) {
      try {
        conn.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      } catch {
        // Closed meanwhile: nothing left to checkpoint for.
      }
    }
    this.served.clear();
    for (const resolve of this.waiting.values()) resolve(reason);
    this.waiting.clear();
    this.onProblem(`${reason}; each connection checkpoints itself again`);
  }
}

let thread: WalCheckpointer | undefined;

const warn = (problem: string) => process.emitWarning(`SQLite checkpoints: ${problem}`);

/**
 * Hands the checkpoints of `file`, open on `conn`, to the process's checkpoint
 * thread (started on first use). Resolves once the thread checkpoints the file
 * and `conn` no longer does; the returned function hands them back to `conn`
 * and lets the thread close its connection, resolving once it has, and stops
 * the thread when no file is left to it. A file the thread cannot open stays
 * checkpointed by `conn`. The thread's problems go to the `onProblem` of the
 * call that started it.
 */
async function handToThread(
  file: string,
  conn: SqliteConnection,
  onProblem: (problem: string) => void,
): Promise<() => Promise<void>> {
  const checkpointer = (thread ??= new WalCheckpointer(onProblem));
  await checkpointer.serve(file, conn);
  return async () => {
    await checkpointer.release(file, conn);
    if (checkpointer.idle && thread === checkpointer) {
      thread = undefined;
      await checkpointer.stop();
    }
  };
}

/**
 * Who checkpoints one SQLite database opened through knex: its connection
 * itself, past `FALLBACK_AUTOCHECKPOINT_PAGES`, until `handOff()`; from then
 * on, for each of its connections, the process's checkpoint thread. `close()` hands them
 * back and lets the thread close its connection first, so that the last one to
 * close, knex's, copies the log into the file and removes it (a closed database
 * is one file).
 */
export class DatabaseCheckpoints {
  private readonly connections: SqliteConnection[] = [];
  private offThread: Promise<unknown> | undefined;
  private onProblem: (problem: string) => void = warn;
  private readonly handedOff: Promise<() => Promise<void>>[] = [];

  constructor(private readonly file: string) {}

  /** A connection knex opened on the file: it checkpoints only past the fallback bound until handed off. */
  connected(conn: SqliteConnection): void {
    conn.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
    this.connections.push(conn);
    if (this.offThread) this.handedOff.push(handToThread(this.file, conn, this.onProblem));
  }

  /**
   * Resolves once the thread checkpoints for every connection open now (and
   * later ones). Problems the thread meets go to `onProblem` (default: a
   * process warning).
   */
  handOff(onProblem: (problem: string) => void = warn): Promise<unknown> {
    this.onProblem = onProblem;
    this.offThread ??= Promise.all(
      this.connections.map((conn) => {
        const handed = handToThread(this.file, conn, onProblem);
        this.handedOff.push(handed);
        return handed;
      }),
    );
    return this.offThread;
  }

  async close(): Promise<void> {
    const releases = await Promise.all(this.handedOff.splice(0));
    await Promise.all(releases.map((release) => release()));
  }
}
