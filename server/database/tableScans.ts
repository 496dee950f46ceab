import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { GraphQLError } from 'graphql';
import type { Knex } from 'knex';
import { ErrorCode } from '../../schema/errors/index.ts';
import { StorageUnavailableError } from './StorageUnavailableError.ts';

/**
 * Reads whose work grows with a table — a list's page, an export's page or
 * count — run here, on a thread of the process's own with a read-only
 * connection to the same SQLite file, never on the event loop. better-sqlite3
 * is synchronous: a page in keyed-hash order (a caller who may not read the key,
 * see `selectPage`) hashes every row its filters leave, 185 ms for 100,000
 * people and seconds for a province's millions, and a filter no index serves
 * reads the whole table. On the event loop that was every other request of the
 * department — lookups, `/health`, other consumers — standing still for as
 * long, for one request whose estimated cost was 2. Lookups by key stay on the
 * loop: an index bounds their work.
 *
 * One statement runs at a time per file and process (the thread's), so such
 * reads never take more than one core. Waiting ones take turns by holder (the
 * consumer that asked, see `RequestAccess.budgetHolder`): one consumer's queue
 * of scans delays its own next scan, not everyone's.
 *
 * The rows cross threads as a structured copy, which costs little beside the
 * scan itself; a page is at most the list's page size or an export's page.
 * On MySQL the server runs such reads on threads of its own, so there is
 * nothing to do here.
 */
export class TableScans {
  private worker: Worker | null = null;
  private readonly queues = new Map<string, Job[]>();
  private running: Job | null = null;
  private nextId = 0;
  private closed = false;
  /** Set when a thread stopped before answering anything (it cannot read the file): reads stay on the loop. */
  private unusable = false;

  constructor(
    private readonly file: string,
    /** The logical database (`platform` or a department code), for errors clients see. */
    private readonly database: string,
    private readonly settings: { lockTimeoutMs: number; mmapBytes: number },
  ) {}

  /**
   * The rows of `sql` with `bindings` (knex's native form for better-sqlite3),
   * or of `onLoop` (the same read on the loop's connection) where no thread can
   * read the file.
   */
  all(
    sql: string,
    bindings: readonly unknown[],
    holder: string,
    onLoop: () => Promise<Record<string, unknown>[]>,
  ): Promise<Record<string, unknown>[]> {
    if (this.closed) return Promise.reject(stopping(this.database));
    if (this.unusable) return onLoop();
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, sql, bindings: [...bindings], onLoop, resolve, reject };
      const queue = this.queues.get(holder);
      if (queue) queue.push(job);
      else this.queues.set(holder, [job]);
      this.dispatch();
    });
  }

  /** Stops the thread; reads still waiting fail with UNAVAILABLE (the service is stopping). */
  async close(): Promise<void> {
    this.closed = true;
    const failure = stopping(this.database);
    for (const queue of this.queues.values()) for (const job of queue) job.reject(failure);
    this.queues.clear();
    this.running?.reject(failure);
    this.running = null;
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  /** Starts the next waiting read, the first holder's in turn, if none runs. */
  private dispatch(): void {
    if (this.running !== null || this.closed) return;
    const next = this.queues.entries().next();
    if (next.done) return;
    const [holder, queue] = next.value;
    const job = queue.shift()!;
    // The holder goes to the back of the turn, behind everyone else waiting.
    this.queues.delete(holder);
    if (queue.length > 0) this.queues.set(holder, queue);
    this.running = job;
    this.thread().postMessage({ id: job.id, sql: job.sql, bindings: job.bindings });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(THREAD, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        file: this.file,
        busyTimeoutMs: this.settings.lockTimeoutMs,
        mmapBytes: this.settings.mmapBytes,
      },
    });
    // Idle, the thread never keeps the process alive.
    worker.unref();
    let answered = false;
    worker.on('message', (message: Answer) => {
      answered = true;
      this.answered(message);
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      const running = this.running;
      this.running = null;
      if (!answered) {
        // It could not open the file: reads go back to the loop, as before there was a thread.
        this.unusable = true;
        process.emitWarning(
          `${this.database}'s scan thread could not start (${why}); its lists and exports read on the event loop`,
        );
        const jobs = [...(running ? [running] : []), ...[...this.queues.values()].flat()];
        this.queues.clear();
        for (const job of jobs) job.onLoop().then(job.resolve, job.reject);
        return;
      }
      // The read it ran fails; those waiting go to a new thread.
      running?.reject(new Error(`${this.database}'s scan thread stopped: ${why}`));
      this.dispatch();
    };
    worker.once('error', (error) => lost(error.message));
    worker.once('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  private answered(message: Answer): void {
    const job = this.running;
    if (job === null || job.id !== message.id) return;
    this.running = null;
    if ('rows' in message) job.resolve(message.rows.map(asBuffers));
    else if (message.code?.startsWith('SQLITE_BUSY')) {
      job.reject(new StorageUnavailableError(this.database, this.settings.lockTimeoutMs));
    } else {
      job.reject(Object.assign(new Error(message.failure), { code: message.code }));
    }
    this.dispatch();
  }
}

/** What a read still waiting when its database closes fails with: the client may send it again. */
function stopping(database: string): GraphQLError {
  return new GraphQLError(
    `The service of ${database} is stopping and did not run this read. Send the request again; another replica (or this one, once restarted) will answer.`,
    { extensions: { code: ErrorCode.UNAVAILABLE, reason: 'SHUTTING_DOWN' } },
  );
}

interface Job {
  id: number;
  sql: string;
  bindings: unknown[];
  onLoop: () => Promise<Record<string, unknown>[]>;
  resolve: (rows: Record<string, unknown>[]) => void;
  reject: (error: Error) => void;
}

type Answer =
  { id: number; rows: Record<string, unknown>[] } | { id: number; failure: string; code?: string };

/** A BLOB comes back from the thread as a Uint8Array; the connection on the loop gives Buffers. */
function asBuffers(row: Record<string, unknown>): Record<string, unknown> {
  for (const [column, value] of Object.entries(row)) {
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
      row[column] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
  }
  return row;
}

/**
 * The thread's side: plain JavaScript, run with `eval` (no loader to register
 * under tsx). Its connection is read-only and has what the loop's connections
 * have that reads need: the SHA-256 function of keyed-hash order (see
 * `SQLITE_SHA256`, whose definition this repeats), the memory mapping, and its
 * compiled statements kept by text.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
db.pragma('mmap_size = ' + workerData.mmapBytes);
db.function('govdata_sha256', { deterministic: true }, (value) =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint'
    ? createHash('sha256').update(String(value)).digest('hex')
    : null,
);
const compiled = new Map();
parentPort.on('message', ({ id, sql, bindings }) => {
  try {
    let statement = compiled.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      if (compiled.size >= 200) compiled.clear();
      compiled.set(sql, statement);
    }
    parentPort.postMessage({ id, rows: statement.all(bindings) });
  } catch (error) {
    parentPort.postMessage({ id, failure: String(error && error.message), code: error && error.code });
  }
});
`;

const scansOf = new WeakMap<Knex, TableScans>();

/** `db` (a SQLite database opened by `openDatabase`) reads its scans on `scans`. */
export function scanOffLoop(db: Knex, scans: TableScans): void {
  scansOf.set(db, scans);
}

/**
 * The rows of `query`, a read whose work may grow with its table: on the scan
 * thread of `db` where it has one (SQLite), on `db` itself otherwise (MySQL, or
 * a transaction). `holder` takes turns with other holders' scans.
 */
export async function scanRows(
  db: Knex,
  query: Knex.QueryBuilder,
  holder?: string,
): Promise<Record<string, unknown>[]> {
  const scans = scansOf.get(db);
  if (scans === undefined) return (await query) as Record<string, unknown>[];
  const { sql, bindings } = query.toSQL().toNative();
  // Announced as knex announces the statements it runs: traced as SQL spans, and counted.
  const client = db.client as { emit(event: string, ...args: unknown[]): boolean };
  const announced = { __knexQueryUid: `scan-${scanned++}`, sql, bindings, method: 'select' };
  client.emit('query', announced);
  try {
    const rows = await scans.all(
      sql,
      bindings.map(asSqliteValue),
      holder ?? '',
      async () => (await query) as Record<string, unknown>[],
    );
    client.emit('query-response', rows, announced);
    return rows;
  } catch (error) {
    client.emit('query-error', error, announced);
    throw error;
  }
}

/** Statements run on scan threads so far: each one's id in the `query` events. */
let scanned = 0;

/** What knex's better-sqlite3 client does to a bound value before binding it. */
function asSqliteValue(value: unknown): unknown {
  if (value instanceof Date) return value.valueOf();
  if (typeof value === 'boolean') return Number(value);
  return value;
}
