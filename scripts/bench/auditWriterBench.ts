import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import {
  AuditWriter,
  migrateDatabase,
  newRequestId,
  openDatabase,
  type AuditEntry,
} from '../../server/index.ts';
import { PLATFORM_DIR } from '../platform/index.ts';
import { median, quantile, type Summary } from './summarize.ts';

export interface AuditWriterBenchSetup {
  rounds: number;
  seconds: number;
  log: (message: string) => void;
}

/** How many requests wait on the writer at once: one (latency) and the gateway bench's sixteen. */
const CALLERS = [1, 16] as const;

/** One number of callers: each contender's row, and the row the others are compared with. */
export interface AuditWriterTable {
  callers: number;
  baseline: string;
  rows: Summary[];
}

const CONTENDERS = {
  /** `openDatabase`, whose audit writer hands its checkpoints to a thread (./walCheckpointer.ts). */
  'checkpoints on a thread': async (dir: string) =>
    openDatabase({ kind: 'sqlite', dir }, 'platform'),
  /** The same file through knex alone: SQLite checkpoints inside the commit that fills the log. */
  'checkpoints in the commits': async (dir: string) =>
    knex({
      client: 'better-sqlite3',
      connection: { filename: join(dir, 'platform.sqlite') },
      useNullAsDefault: true,
      pool: {
        afterCreate(
          conn: { pragma(source: string): unknown },
          done: (error: Error | null) => void,
        ) {
          conn.pragma('journal_mode = WAL');
          conn.pragma('synchronous = NORMAL');
          done(null);
        },
      },
    }),
} satisfies Record<string, (dir: string) => Promise<Knex>>;
type Contender = keyof typeof CONTENDERS;

/** A request's records: the gateway's REQUEST and one handed-back ACCESS, as a lookup makes. */
function records(): AuditEntry[] {
  const requestId = newRequestId();
  const common = {
    at: new Date().toISOString(),
    requestId,
    correlationId: null,
    consumerDepartment: 'civil_affairs',
    consumerApplication: null,
    userId: null,
    purpose: 'social-assistance',
    reason: null,
    operationName: 'Person',
    latencyMs: 2,
    verifications: 0,
    verifiedItems: [],
    verificationsMatched: 0,
  };
  return [
    {
      ...common,
      kind: 'REQUEST',
      subgraph: null,
      grantId: null,
      datasetCode: null,
      providerDepartment: null,
      itemsReturned: [],
      itemsMasked: [],
      itemsDenied: [],
      recordCount: 0,
      decision: 'MASKED',
      operationHash: '16d835f9dd1dcacbe578e361597b3697d8305441f7fc895d68ea51f79bd077d8',
    },
    {
      ...common,
      kind: 'ACCESS',
      subgraph: 'public_security',
      grantId: 'G-BENCH-POP',
      datasetCode: 'PS-POP-001',
      providerDepartment: 'public_security',
      itemsReturned: ['idNumber', 'name', 'gender', 'birthDate', 'regionCode'],
      itemsMasked: ['name'],
      itemsDenied: [],
      recordCount: 1,
      decision: 'MASKED',
      operationHash: null,
    },
  ];
}

/**
 * The audit writer alone, as the gateway's primary runs it: each request's
 * records committed before it is answered, one caller and sixteen at a time,
 * on a SQLite platform database of its own per contender, with its checkpoints
 * on a thread (the platform) or inside the commits (SQLite's default), in
 * alternating rounds. Latencies are each `record()` call's, in ms.
 */
export async function runAuditWriterBench(
  setup: AuditWriterBenchSetup,
): Promise<AuditWriterTable[]> {
  const dirs = new Map<Contender, string>();
  const writers = new Map<Contender, { db: Knex; writer: AuditWriter }>();
  try {
    for (const name of Object.keys(CONTENDERS) as Contender[]) {
      const dir = mkdtempSync(join(tmpdir(), 'govdata-audit-writer-'));
      dirs.set(name, dir);
      const db = await CONTENDERS[name](dir);
      await migrateDatabase(db, join(PLATFORM_DIR, 'migrations'));
      writers.set(name, { db, writer: new AuditWriter(db, `bench ${name}`) });
    }
    const tables: AuditWriterTable[] = [];
    for (const callers of CALLERS) {
      const label = (name: Contender) => `${name}, ${callers} caller${callers === 1 ? '' : 's'}`;
      const rounds = new Map<Contender, Load[]>();
      for (let round = 0; round < setup.rounds; round++) {
        for (const [name, { writer }] of writers) {
          const result = await load(writer, callers, setup.seconds * 1000);
          rounds.set(name, [...(rounds.get(name) ?? []), result]);
          setup.log(
            `  round ${round + 1} ${label(name)}: ${Math.round(result.rate)} requests/s, p99 ${result.p99.toFixed(2)} ms`,
          );
        }
      }
      const over = (results: Load[], figure: keyof Load) => median(results.map((r) => r[figure]));
      tables.push({
        callers,
        baseline: label('checkpoints in the commits'),
        rows: [...rounds].map(([name, results]) => ({
          name: label(name),
          rounds: results.length,
          requestsPerSecond: Math.round(over(results, 'rate')),
          p50: hundredths(over(results, 'p50')),
          p95: hundredths(over(results, 'p95')),
          p99: hundredths(over(results, 'p99')),
          errors: 0,
        })),
      });
    }
    return tables;
  } finally {
    for (const { db, writer } of writers.values()) {
      await writer.drain();
      await db.destroy();
    }
    for (const dir of dirs.values()) rmSync(dir, { recursive: true, force: true });
  }
}

/** One measured turn: requests a second, and the commit wait's quantiles in ms. */
interface Load {
  rate: number;
  p50: number;
  p95: number;
  p99: number;
}

/** `callers` loops recording a request's records for `ms`. */
async function load(writer: AuditWriter, callers: number, ms: number): Promise<Load> {
  const latencies: number[] = [];
  const began = performance.now();
  const until = began + ms;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < until) {
        const at = performance.now();
        await writer.record(records());
        latencies.push(performance.now() - at);
      }
    }),
  );
  const rate = latencies.length / ((performance.now() - began) / 1000);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => quantile(latencies, q) ?? 0;
  return { rate, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

const hundredths = (ms: number) => Math.round(ms * 100) / 100;
