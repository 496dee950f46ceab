import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Knex } from 'knex';

/**
 * The process's Prometheus registry: every metric below, and Node's own
 * (CPU, memory, event-loop lag) once `enableMetrics(true)` has run. Cluster
 * workers hand theirs to the primary, which sums them (see `clusterMetrics`).
 */
export const metricsRegistry = new Registry();

let enabled = false;
let defaultsCollected = false;
let scrapeToken: string | null = null;

/**
 * Turns collection on or off for this process (METRICS=on|off): off, every
 * recording function below returns at once and `/metrics` is not served.
 * `token` (METRICS_TOKEN) is what a scraper must send to read `/metrics`;
 * without one, only a process on this host may read them (see `metricsRoute`).
 */
export function enableMetrics(on: boolean, token: string | null = null): void {
  enabled = on;
  scrapeToken = token;
  if (on && !defaultsCollected) {
    defaultsCollected = true;
    collectDefaultMetrics({ register: metricsRegistry, prefix: 'govdata_' });
  }
}

export function metricsEnabled(): boolean {
  return enabled;
}

/** The bearer token `/metrics` asks of a scraper (METRICS_TOKEN), or null. */
export function metricsScrapeToken(): string | null {
  return scrapeToken;
}

/** Request latencies: from a lookup's few milliseconds to the request timeout. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15];

const requests = new Counter({
  name: 'govdata_gateway_requests_total',
  help: 'GraphQL requests answered by the gateway, by operation name and outcome (the REQUEST audit decision).',
  labelNames: ['operation', 'outcome'] as const,
  registers: [metricsRegistry],
});
const requestSeconds = new Histogram({
  name: 'govdata_gateway_request_duration_seconds',
  help: 'Time from request arrival to response, by operation name.',
  labelNames: ['operation'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});
const refusals = new Counter({
  name: 'govdata_gateway_refusals_total',
  help: 'Requests refused by an operation limit, a rate, admission, the trusted documents or the credential, by error code and the limit named.',
  labelNames: ['code', 'limit'] as const,
  registers: [metricsRegistry],
});
const fetchSeconds = new Histogram({
  name: 'govdata_subgraph_fetch_duration_seconds',
  help: 'Gateway to subgraph fetches, by subgraph.',
  labelNames: ['subgraph'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});
const fetchErrors = new Counter({
  name: 'govdata_subgraph_fetch_errors_total',
  help: 'Gateway to subgraph fetches that failed, by subgraph and reason (timeout, unreachable, http status).',
  labelNames: ['subgraph', 'reason'] as const,
  registers: [metricsRegistry],
});
const subgraphRequests = new Counter({
  name: 'govdata_subgraph_requests_total',
  help: 'Operations a subgraph host answered, by subgraph.',
  labelNames: ['subgraph'] as const,
  registers: [metricsRegistry],
});
const accessDecisions = new Counter({
  name: 'govdata_access_decisions_total',
  help: 'Dataset access decisions (one per ACCESS audit record), by dataset, consumer department, decision and reason.',
  labelNames: ['dataset', 'consumer', 'decision', 'reason'] as const,
  registers: [metricsRegistry],
});
const recordsServed = new Counter({
  name: 'govdata_quota_records_total',
  help: 'Records served, counted as quotas count them, by dataset and consumer department.',
  labelNames: ['dataset', 'consumer'] as const,
  registers: [metricsRegistry],
});
const verifications = new Counter({
  name: 'govdata_quota_verifications_total',
  help: 'Verifications answered, counted as quotas count them, by dataset and consumer department.',
  labelNames: ['dataset', 'consumer'] as const,
  registers: [metricsRegistry],
});
const auditQueued = new Gauge({
  name: 'govdata_audit_queue_depth',
  help: 'Batches of audit records (one per request or subgraph answer) waiting to be committed by this process.',
  registers: [metricsRegistry],
});
const auditCommitSeconds = new Histogram({
  name: 'govdata_audit_commit_duration_seconds',
  help: 'One group commit of audit records (insert and chain head, in one transaction).',
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});
const auditRetries = new Counter({
  name: 'govdata_audit_retries_total',
  help: 'Audit batches written again after a rolled-back or uncertain commit (a Galera certification conflict, a node lost), by kind.',
  labelNames: ['kind'] as const,
  registers: [metricsRegistry],
});
const transactionRetries = new Counter({
  name: 'govdata_transaction_retries_total',
  help: 'Platform write transactions run again after the database rolled them back for a conflict (a Galera certification conflict, a deadlock).',
  registers: [metricsRegistry],
});
const auditRecords = new Counter({
  name: 'govdata_audit_records_total',
  help: 'Audit records committed (outcome ok) or refused because the store failed (outcome failed).',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});
const registryGeneration = new Gauge({
  name: 'govdata_gateway_supergraph_generation',
  help: 'Supergraphs this gateway process has served since it started (1: the first).',
  aggregator: 'max',
  registers: [metricsRegistry],
});
const compositionFailures = new Counter({
  name: 'govdata_gateway_composition_failures_total',
  help: 'Times the subgraph registry held subgraphs that did not compose (the last good supergraph kept serving).',
  registers: [metricsRegistry],
});

/** Knex pools watched, by database name (`platform` or a department code). */
const pools = new Map<string, Knex>();
new Gauge({
  name: 'govdata_db_pool_connections',
  help: 'Database connections per pool: in use, idle, and queries waiting for one.',
  labelNames: ['database', 'state'] as const,
  registers: [metricsRegistry],
  collect() {
    this.reset();
    for (const [database, db] of pools) {
      const pool = (db.client as { pool?: TarnPool }).pool;
      if (!pool) continue;
      this.set({ database, state: 'used' }, pool.numUsed());
      this.set({ database, state: 'free' }, pool.numFree());
      this.set({ database, state: 'pending' }, pool.numPendingAcquires());
    }
  },
});

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

/** Most distinct operation names one process labels; later new names count as `(other)`. */
const MAX_OPERATION_NAMES = 200;
const operationNames = new Set<string>();

/**
 * A bounded label for a client's operation name: each process labels at most
 * `MAX_OPERATION_NAMES` distinct names, so a client inventing names cannot
 * grow the series without end.
 */
function operationLabel(name: string | null): string {
  if (name === null || name === '') return '(anonymous)';
  if (operationNames.has(name)) return name;
  if (operationNames.size >= MAX_OPERATION_NAMES || !/^[_A-Za-z][_0-9A-Za-z]{0,99}$/.test(name)) {
    return '(other)';
  }
  operationNames.add(name);
  return name;
}

/** What an ACCESS audit record says, for the decision counters. */
interface AccessFacts {
  datasetCode: string | null;
  consumerDepartment: string | null;
  decision: string;
  reason: string | null;
  recordCount: number;
  verifications: number;
}

/**
 * Where the platform's code records what operators watch. Labels hold only
 * bounded values — operation names (bounded above), department and dataset
 * codes, decisions, error codes — never request ids or values.
 */
export const metrics = {
  /** A gateway request answered. */
  request(operationName: string | null, outcome: string, seconds: number): void {
    if (!enabled) return;
    const operation = operationLabel(operationName);
    requests.inc({ operation, outcome });
    requestSeconds.observe({ operation }, seconds);
  },
  /** A gateway request refused by a limit, rate, admission or its credential. */
  refusal(code: string, limit: string | null): void {
    if (enabled) refusals.inc({ code, limit: limit ?? '' });
  },
  /** A subgraph fetch ended: `failure` null when it answered. */
  subgraphFetch(subgraph: string, seconds: number, failure: string | null): void {
    if (!enabled) return;
    fetchSeconds.observe({ subgraph }, seconds);
    if (failure !== null) fetchErrors.inc({ subgraph, reason: failure });
  },
  /** A subgraph host answered an operation, with the ACCESS records it made. */
  subgraphRequest(subgraph: string, entries: readonly AccessFacts[]): void {
    if (!enabled) return;
    subgraphRequests.inc({ subgraph });
    for (const entry of entries) {
      const dataset = entry.datasetCode ?? '';
      const consumer = entry.consumerDepartment ?? '(anonymous)';
      accessDecisions.inc({
        dataset,
        consumer,
        decision: entry.decision,
        reason: entry.reason ?? '',
      });
      if (entry.recordCount > 0) recordsServed.inc({ dataset, consumer }, entry.recordCount);
      if (entry.verifications > 0) verifications.inc({ dataset, consumer }, entry.verifications);
    }
  },
  /** Audit records waiting in this process's writer. */
  auditQueueDepth(depth: number): void {
    if (enabled) auditQueued.set(depth);
  },
  /** A group commit ended. */
  auditCommit(seconds: number, records: number, ok: boolean): void {
    if (!enabled) return;
    if (ok) auditCommitSeconds.observe(seconds);
    auditRecords.inc({ outcome: ok ? 'ok' : 'failed' }, records);
  },
  /** An audit batch is written again after a failure of `kind` (see `classifyAuditWriteFailure`). */
  auditRetry(kind: string): void {
    if (enabled) auditRetries.inc({ kind });
  },
  /** A write transaction is run again after the database rolled it back (see `inTransaction`). */
  transactionRetry(): void {
    if (enabled) transactionRetries.inc();
  },
  /** The gateway serves its `generation`th supergraph. */
  supergraphGeneration(generation: number): void {
    if (enabled) registryGeneration.set(generation);
  },
  /** The registry's subgraphs did not compose. */
  compositionFailure(): void {
    if (enabled) compositionFailures.inc();
  },
  /** Reports the connection pool of `db` as `database` from now on. */
  watchPool(database: string, db: Knex): void {
    pools.set(database, db);
  },
};
