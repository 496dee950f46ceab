import type { Knex } from 'knex';
import { runWaitingOnLocks, SQLITE_BUSY_TIMEOUT_MS } from '../database/index.ts';
import type { ChainHead as Head } from './chainHeadQueries.ts';

type Row = Record<string, string | number | null>;

/** The parts of a better-sqlite3 statement and connection used here. */
interface Statement {
  run(...params: unknown[]): { changes: number };
}
interface Connection {
  prepare(sql: string): Statement;
  transaction<T>(work: () => T): { immediate(): T };
}
/** knex's client: the one connection it keeps for a SQLite file. */
interface ConnectionPool {
  acquireConnection(): Promise<Connection>;
  releaseConnection(conn: Connection): Promise<void>;
}

/** Statements prepared once per connection (the raw ones, outside knex's patches). */
const prepared = new WeakMap<Connection, Map<string, Statement>>();

/**
 * Commits audit rows and moves their writer's chain head from `from` to `to`
 * in one SQLite transaction run synchronously on the connection knex holds for
 * the database: the write lock is taken (`BEGIN IMMEDIATE`) and released
 * within one call, never held while the event loop runs other work. Through
 * knex the same transaction was four asynchronous steps, and every other
 * process writing to the file (each gateway and subgraph host's audit writer,
 * the quota counts) waited out the lock meanwhile; knex also builds a new
 * query context per transaction, which was a fifth of an audit writer's CPU.
 *
 * Resolves to false, with nothing written, when the store's head is not at
 * `from` (the caller must read it back). A lock held elsewhere is waited for
 * as by every statement on the connection (`runWaitingOnLocks`), up to
 * `boundMs`, then `StorageUnavailableError` — but never inside SQLite: its
 * busy handler sleeps a millisecond or more with the event loop stopped, and
 * under `npm run gateway` each worker commits its own records, so the lock
 * is often another worker's for the fraction of a millisecond its commit
 * takes. The transaction starts with SQLite's wait off and is tried again
 * after a timer, while the process serves other requests (whose records join
 * the next commit). Rows are inserted with their keys as columns, values
 * bound as parameters.
 */
export async function commitAuditRowsOnSqlite(
  db: Knex,
  rows: readonly Row[],
  writer: string,
  from: Head,
  to: Head,
  boundMs: number,
): Promise<boolean> {
  const pool = db.client as ConnectionPool;
  const conn = await pool.acquireConnection();
  try {
    statement(conn, 'PRAGMA busy_timeout = 0').run();
    return await runWaitingOnLocks(conn, () => commitNow(conn, rows, writer, from, to), boundMs);
  } finally {
    statement(conn, `PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`).run();
    await pool.releaseConnection(conn);
  }
}

function commitNow(
  conn: Connection,
  rows: readonly Row[],
  writer: string,
  from: Head,
  to: Head,
): boolean {
  const move = statement(
    conn,
    'UPDATE audit_chains SET last_seq = ?, last_hash = ?, updated_at = ? ' +
      'WHERE writer = ? AND last_seq = ? AND last_hash = ?',
  );
  try {
    // eslint-disable-next-line no-restricted-syntax -- better-sqlite3's, on one file: nothing to certify
    return conn
      .transaction(() => {
        for (const row of rows) {
          const columns = Object.keys(row);
          const insert = statement(
            conn,
            `INSERT INTO audit_records (${columns.map((c) => `"${c}"`).join(', ')}) ` +
              `VALUES (${columns.map(() => '?').join(', ')})`,
          );
          insert.run(...columns.map((c) => row[c]));
        }
        const moved = move.run(
          to.seq,
          to.hash,
          new Date().toISOString(),
          writer,
          from.seq,
          from.hash,
        ).changes;
        // Nothing of this batch may stay if the head was elsewhere: undone by the throw.
        if (moved !== 1) throw new StaleHead();
        return true;
      })
      .immediate();
  } catch (error) {
    if (error instanceof StaleHead) return false;
    throw error;
  }
}

/** Thrown inside the transaction to undo it when the head is not where the writer thinks. */
class StaleHead extends Error {}

/**
 * `sql` prepared on `conn` with the driver's own prepare, from the connection's
 * class: the connection's own `prepare` is wrapped (see openDatabase) to wait
 * on locks asynchronously, which a synchronous transaction must not do. The
 * two `busy_timeout` pragmas of each commit are prepared here too: the
 * driver's `pragma()` compiles its statement on every call.
 */
function statement(conn: Connection, sql: string): Statement {
  let statements = prepared.get(conn);
  if (!statements) prepared.set(conn, (statements = new Map<string, Statement>()));
  let found = statements.get(sql);
  if (!found) {
    const driver = Object.getPrototypeOf(conn) as Connection;
    found = driver.prepare.call(conn, sql);
    statements.set(sql, found);
  }
  return found;
}
