import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import { AuditWriter, migrateDatabase, openDatabase, type AuditEntry } from '../../server/index.ts';
import { PLATFORM_DIR } from '../platform/index.ts';
import { median } from './summarize.ts';
import type { Summary } from './summarize.ts';

export interface AuditWriterBenchSetup {
  rounds: number;
  seconds: number;
  log: (message: string) => void;
}

/** How many requests wait on the writer at once: one (latency) and the gateway bench's sixteen. */
export const AUDIT_WRITER_CALLERS = [1, 16] as const;
const CALLERS = AUDIT_WRITER_CALLERS;

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
  const requestId = randomUUID();
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
export async function runAuditWriterBench(setup: AuditWriterBenchSetup): Promise<Summary[]> {
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
    const summaries: Summary[] = [];
    for (const callers of CALLERS) {
      const rounds = new Map<Contender, { rate: number; latencies: number[] }[]>();
      for (let round = 0; round < setup.rounds; round++) {
        for (const name of writers.keys()) {
          const result = await load(writers.get(name)!.writer, callers, setup.seconds * 1000);
          rounds.set(name, [...(rounds.get(name) ?? []), result]);
          setup.log(
            `  round ${round + 1} ${name}, ${callers} caller(s): ${Math.round(result.rate)} requests/s, p99 ${quantile(result.latencies, 0.99).toFixed(2)} ms`,
          );
        }
      }
      for (const [name, results] of rounds) {
        summaries.push({
          name: `${name}, ${callers} caller${callers === 1 ? '' : 's'}`,
          rounds: results.length,
          requestsPerSecond: Math.round(median(results.map((r) => r.rate))),
          p50: hundredths(median(results.map((r) => quantile(r.latencies, 0.5)))),
          p95: hundredths(median(results.map((r) => quantile(r.latencies, 0.95)))),
          p99: hundredths(median(results.map((r) => quantile(r.latencies, 0.99)))),
          errors: 0,
        });
      }
    }
    return summaries;
  } finally {
    for (const { db, writer } of writers.values()) {
      await writer.drain();
      await db.destroy();
    }
    for (const dir of dirs.values()) rmSync(dir, { recursive: true, force: true });
  }
}

/** `callers` loops recording a request's records for `ms`: the rate, and each call's latency. */
async function load(writer: AuditWriter, callers: number, ms: number) {
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
  return { rate: latencies.length / ((performance.now() - began) / 1000), latencies };
}

const hundredths = (ms: number) => Math.round(ms * 100) / 100;

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
}
