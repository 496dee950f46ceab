import { StorageUnavailableError } from './StorageUnavailableError.ts';

/** The parts of a better-sqlite3 connection and statement this module touches. */
interface SqliteStatement {
  run(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown;
}
interface SqliteConnection {
  prepare(source: string): unknown;
}

/**
 * How long SQLite itself may wait on a lock inside one call. better-sqlite3 is
 * synchronous, so that wait blocks the process's only event loop (with the
 * driver's usual 5 s, one lock held elsewhere froze every request and `/health`
 * for seconds); a few milliseconds absorb ordinary contention between writers.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 5;

/** Longest pause between two attempts once a statement found the database locked. */
const MAX_BACKOFF_MS = 50;

/**
 * After a statement has waited out the bound, one that finds the database
 * locked within this long fails at once instead of waiting again: the lock is
 * evidently held for long, and a request that makes several writes must not
 * wait out the bound once per write.
 */
const FAIL_FAST_FOR_MS = 1000;

const PATCHED = Symbol('waitsOnLocksAsynchronously');

/**
 * Makes a SQLite connection wait on locks without blocking the event loop.
 * A statement that finds the database locked (`SQLITE_BUSY`, after
 * `SQLITE_BUSY_TIMEOUT_MS` inside SQLite) is tried again after a timer, with
 * backoff, until `boundMs` have passed since it first found the lock; then it
 * fails with `StorageUnavailableError` (and, for `FAIL_FAST_FOR_MS`, so does
 * any statement that finds it locked). Meanwhile the process serves
 * everything else (its other work waits for this connection in knex's pool,
 * whose acquisition timeout bounds that wait too).
 *
 * Retrying is safe because a statement that returned SQLITE_BUSY did nothing.
 * Transactions begin with `BEGIN IMMEDIATE` instead of knex's deferred `BEGIN`:
 * the write lock is taken (and waited for) at the start, so a transaction never
 * finds itself holding a read snapshot it cannot upgrade (SQLITE_BUSY_SNAPSHOT,
 * which no retry can cure) half-way through. One connection per database and
 * process (knex's SQLite pool) means this serialises nothing that was not
 * already serial.
 *
 * Why not a worker thread: every query would then cross threads (a copy of its
 * rows each way) to protect against waits that are rare, and knex's driver
 * would have to be replaced. Here the common path stays a direct call and only
 * a locked database costs timers.
 */
export function waitOnLocksAsynchronously(
  conn: SqliteConnection,
  database: string,
  boundMs: number,
): void {
  const prepare = conn.prepare.bind(conn);
  const lock = { database, boundMs, gaveUpAt: -Infinity };
  (conn as { [LOCK_WAITS]?: LockWaits })[LOCK_WAITS] = lock;
  conn.prepare = (source) => {
    const statement = prepare(source === 'BEGIN;' ? 'BEGIN IMMEDIATE;' : source) as SqliteStatement;
    if (!(PATCHED in statement)) {
      const run = statement.run.bind(statement);
      const all = statement.all.bind(statement);
      Object.assign(statement, {
        [PATCHED]: true,
        run: (...params: unknown[]) => attempt(() => run(...params), lock),
        all: (...params: unknown[]) => attempt(() => all(...params), lock),
      });
    }
    return statement;
  };
}

const LOCK_WAITS = Symbol('lockWaits');

/**
 * Runs `call` — work on `conn` outside its statements, such as a synchronous
 * transaction on the raw connection — as the connection's statements run: now,
 * and if the database is locked, again after pauses until `boundMs` (default
 * the connection's bound) have passed, then `StorageUnavailableError`; at once
 * if a statement on it waited the bound out within the last second.
 */
export function runWaitingOnLocks<T>(
  conn: object,
  call: () => T,
  boundMs?: number,
): T | Promise<T> {
  const lock = (conn as { [LOCK_WAITS]?: LockWaits })[LOCK_WAITS];
  if (!lock) return call();
  return attempt(call, lock, boundMs ?? lock.boundMs) as T | Promise<T>;
}

/** One connection's database, its bound, and when a statement last waited it out. */
interface LockWaits {
  database: string;
  boundMs: number;
  gaveUpAt: number;
}

/** Runs `call` now; if the database is locked, returns a promise that keeps trying for `boundMs`. */
function attempt(call: () => unknown, lock: LockWaits, boundMs = lock.boundMs): unknown {
  try {
    return call();
  } catch (error) {
    if (!isBusy(error)) throw error;
    if (Date.now() - lock.gaveUpAt < FAIL_FAST_FOR_MS) {
      throw new StorageUnavailableError(lock.database, boundMs);
    }
    return retry(call, lock, boundMs);
  }
}

async function retry(call: () => unknown, lock: LockWaits, boundMs: number): Promise<unknown> {
  const deadline = Date.now() + boundMs;
  for (let pause = 1; ; pause = Math.min(pause * 2, MAX_BACKOFF_MS)) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      lock.gaveUpAt = Date.now();
      throw new StorageUnavailableError(lock.database, boundMs);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, remaining)));
    try {
      return call();
    } catch (error) {
      if (!isBusy(error)) throw error;
    }
  }
}

/** SQLITE_BUSY and its retryable kinds; not BUSY_SNAPSHOT, which only a new transaction cures. */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' && code.startsWith('SQLITE_BUSY') && code !== 'SQLITE_BUSY_SNAPSHOT'
  );
}
