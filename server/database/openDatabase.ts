import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import { DEFAULT_DATABASE_LIMITS, type DatabaseConfig } from '../config/index.ts';
import { metrics } from '../observability/platformMetrics.ts';
import { ensureDepartmentUser, type DepartmentCredentials } from './departmentUser.ts';
import { retryWhileGrantsSpread } from './retryWhileGrantsSpread.ts';
import { SQLITE_BUSY_TIMEOUT_MS, waitOnLocksAsynchronously } from './waitOnLocksAsynchronously.ts';
import { scanOffLoop, TableScans } from './tableScans.ts';
import { DatabaseCheckpoints } from './walCheckpointer.ts';

/**
 * The name of one logical database: `platform` or a department code. On SQLite
 * it is a file in the data folder; on MySQL a database named after the one in
 * DATABASE_URL with the name appended (`govdata` → `govdata_public_security`).
 * A configuration naming one database (`only`) opens that one, whatever the name.
 */
export function databaseName(config: DatabaseConfig, name: string): string {
  if (config.only !== undefined) return config.only;
  if (config.kind === 'sqlite') return join(config.dir, `${name}.sqlite`);
  const base = config.url.pathname.replace(/^\//, '');
  return name === 'platform' ? base : `${base}_${name}`;
}

interface SqliteConnection {
  pragma(source: string): unknown;
  prepare(source: string): unknown;
  function(
    name: string,
    options: { deterministic: boolean },
    fn: (value: unknown) => string | null,
  ): unknown;
}

/**
 * SHA-256 in hex, as MySQL's `SHA2(text, 256)`: the subgraph kit orders lists
 * by a keyed hash of the key for callers who may not read the key (see
 * `selectPage`), and SQLite has no hash function of its own.
 */
export const SQLITE_SHA256 = 'govdata_sha256';

function sha256Hex(value: unknown): string | null {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    return createHash('sha256').update(String(value)).digest('hex');
  }
  return null;
}

interface MysqlConnection {
  query(sql: string, values: unknown[], callback: (err: Error | null) => void): void;
}

/**
 * How much of a department's SQLite file its connections read through a memory
 * mapping (`mmap_size`) instead of copying each page into SQLite's own cache,
 * which is 2 MiB per connection: a page of a hundred people or their licences
 * reads rows all over a table many times that size, and each page missing from
 * the cache was a read system call and a copy. Mapped, the pages come from the
 * operating system's file cache, shared by every process serving the
 * department. Writes still go through the write-ahead log. A limit, not an
 * allocation: only pages read are mapped in. Not for the platform database,
 * which every gateway worker writes on each request (its records, the rate
 * counts): SQLite drops a connection's cached pages whenever another process
 * has written, so there mapping saved nothing, and the mapped pages would count
 * in the workers' memory.
 */
const DEPARTMENT_MMAP_BYTES = 1024 * 1024 * 1024;

/** Most compiled statements one connection keeps; the platform's queries are far fewer. */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * knex asks better-sqlite3 to compile every query it runs, and compiling costs
 * more than running the indexed lookups the subgraphs make. The connection
 * keeps each compiled statement by its SQL text instead (the queries are built
 * from the catalogue, so there are few distinct texts; values are bound, never
 * part of the text). A statement is reusable once run: knex never holds one
 * open across queries (it streams nothing).
 */
function reusePreparedStatements(conn: SqliteConnection): void {
  const compile = conn.prepare.bind(conn);
  const compiled = new Map<string, unknown>();
  conn.prepare = (source) => {
    let statement = compiled.get(source);
    if (statement === undefined) {
      statement = compile(source);
      if (compiled.size >= STATEMENT_CACHE_SIZE) compiled.clear();
      compiled.set(source, statement);
    }
    return statement;
  };
}

/**
 * Opens (and on MySQL creates if missing) the database `name`. Every value
 * reaches SQL as a bound parameter; dates come back as 'YYYY-MM-DD' strings on
 * both engines so the same data answers the same way.
 */
export async function openDatabase(config: DatabaseConfig, name: string): Promise<Knex> {
  // No request waits on storage for longer than these (README: Timeouts).
  const limits = config.limits ?? DEFAULT_DATABASE_LIMITS;
  if (config.kind === 'sqlite') {
    mkdirSync(config.dir, { recursive: true });
    const filename = databaseName(config, name);
    const checkpoints = new DatabaseCheckpoints(filename);
    const db = knex({
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      acquireConnectionTimeout: limits.acquireTimeoutMs,
      pool: {
        afterCreate(conn: SqliteConnection, done: (err: Error | null) => void) {
          conn.pragma('journal_mode = WAL');
          conn.pragma('synchronous = NORMAL');
          conn.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
          if (name !== 'platform') conn.pragma(`mmap_size = ${DEPARTMENT_MMAP_BYTES}`);
          reusePreparedStatements(conn);
          conn.function(SQLITE_SHA256, { deterministic: true }, sha256Hex);
          waitOnLocksAsynchronously(conn, name, limits.lockTimeoutMs);
          checkpoints.connected(conn);
          done(null);
        },
      },
    });
    // A department's lists and exports read on a thread of their own (see ./tableScans.ts).
    const scans =
      name === 'platform' || filename === ':memory:'
        ? null
        : new TableScans(filename, name, {
            lockTimeoutMs: limits.lockTimeoutMs,
            mmapBytes: DEPARTMENT_MMAP_BYTES,
          });
    if (scans) scanOffLoop(db, scans);
    const client = db.client as { destroy(callback?: unknown): Promise<void> };
    const destroy = client.destroy.bind(client);
    client.destroy = async (callback) => {
      await scans?.close();
      await checkpoints.close();
      return destroy(callback);
    };
    checkpointsOf.set(db, checkpoints);
    metrics.watchPool(name, db);
    return db;
  }
  const database = databaseName(config, name);
  const connection = {
    host: config.url.hostname,
    port: Number(config.url.port || 3306),
    user: decodeURIComponent(config.url.username),
    password: decodeURIComponent(config.url.password),
    dateStrings: true,
    supportBigNumbers: true,
    charset: 'utf8mb4',
  };
  const admin = knex({ client: 'mysql2', connection, pool: { min: 0, max: 1 } });
  let own: DepartmentCredentials | undefined;
  try {
    await admin
      .raw('CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', [database])
      .catch((error: unknown) => {
        // A user that may not create databases (a department host's, in the platform
        // database) opens one that exists; where none does, connecting says so.
        if ((error as { code?: string }).code !== 'ER_DBACCESS_DENIED_ERROR') throw error;
      });
    // A department connects as its own user, with rights on its own database only.
    if (name !== 'platform' && config.departmentUsers) {
      own = await ensureDepartmentUser(admin, database, config.departmentUsers);
    }
  } finally {
    await admin.destroy();
  }
  // Lock waits are bounded by the server (whole seconds, at least one); a
  // statement still waiting then fails, and the request with it.
  const lockWaitSeconds = Math.max(1, Math.ceil(limits.lockTimeoutMs / 1000));
  const db = knex({
    client: 'mysql2',
    connection: { ...connection, ...own, database, connectTimeout: limits.acquireTimeoutMs },
    acquireConnectionTimeout: limits.acquireTimeoutMs,
    pool: {
      min: limits.poolMin,
      max: limits.poolMax,
      afterCreate(conn: MysqlConnection, done: (err: Error | null, conn: unknown) => void) {
        conn.query(
          'SET SESSION innodb_lock_wait_timeout = ?, lock_wait_timeout = ?',
          [lockWaitSeconds, lockWaitSeconds],
          (err) => done(err, conn),
        );
      },
    },
  });
  // The department's user was just made or confirmed through one node of what
  // may be a multi-primary cluster: give its grant a moment to reach the others.
  if (own) retryWhileGrantsSpread(db, GRANT_SPREAD_MS);
  // Connections in use, idle and awaited show on /metrics (govdata_db_pool_connections).
  metrics.watchPool(name, db);
  return db;
}

const checkpointsOf = new WeakMap<Knex, DatabaseCheckpoints>();

/**
 * From now on the write-ahead log of `db` (opened by `openDatabase`) is
 * checkpointed on a thread of the process's own, never inside one of its
 * commits (see ./walCheckpointer.ts); resolves once that is so. For a database
 * written on every request (the audit trail); nothing on MySQL. The thread's
 * problems (it cannot open the file, it stopped) go to `onProblem`; they cost
 * speed, never data: the connections then checkpoint themselves.
 */
export function checkpointOffThread(
  db: Knex,
  onProblem?: (problem: string) => void,
): Promise<unknown> {
  return checkpointsOf.get(db)?.handOff(onProblem) ?? Promise.resolve();
}

/**
 * How long after start-up a department's connection refused for want of
 * rights is retried. A Galera node applies a grant made through another in
 * well under a second when idle, but 5 s proved too short on a loaded 2-core
 * machine running three nodes (a start-up refused with the grant committed);
 * a wrong password at start-up is reported this much later.
 */
const GRANT_SPREAD_MS = 30_000;
