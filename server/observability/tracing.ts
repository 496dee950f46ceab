import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import type { Knex } from 'knex';
import type { TracingConfig } from '../config/index.ts';

/** The platform's tracer; a no-op one until `startTracing` registers a provider. */
export const tracer = trace.getTracer('govdata');

let started: NodeTracerProvider | null = null;

/** Whether this process records spans (an SDK was started). */
export function tracingOn(): boolean {
  return started !== null;
}

export interface TracingOptions {
  /** Spans go here, each as it ends, instead of to OTLP: tests pass an in-memory exporter. */
  exporter?: SpanExporter;
}

/**
 * Starts the OpenTelemetry SDK for this process when `config` says where to
 * export (OTEL_EXPORTER_OTLP_ENDPOINT) or a test gives an exporter: a W3C
 * trace-context propagator, async-context tracking, and a sampler that follows
 * a caller's sampled `traceparent` and samples new traces at `sampleRatio`.
 * Without either nothing is started: only the API's no-op tracer runs, and
 * every span helper here returns at once. Returns a function that flushes and
 * stops it.
 */
export function startTracing(
  config: TracingConfig | null,
  options: TracingOptions = {},
): () => Promise<void> {
  if (started || (!config && !options.exporter)) return async () => {};
  const exporter =
    options.exporter ??
    new OTLPTraceExporter({ url: `${config!.endpoint.replace(/\/$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config?.serviceName ?? 'govdata' }),
    sampler: new ParentBasedSampler({
      root: new TraceIdRatioBasedSampler(config?.sampleRatio ?? 1),
    }),
    spanProcessors: [
      options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter),
    ],
  });
  provider.register();
  started = provider;
  return async () => {
    if (started !== provider) return;
    started = null;
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  };
}

/** Headers as Node gives them: a caller's `traceparent` is read from here. */
type IncomingHeaders = Record<string, string | string[] | undefined>;

/**
 * Runs `work` inside a SERVER span that continues the caller's `traceparent`
 * (a new trace otherwise); the span ends when `work` settles. With tracing
 * off it only runs `work`.
 */
export function inServerSpan<T>(
  name: string,
  headers: IncomingHeaders,
  attributes: Attributes,
  work: () => Promise<T>,
): Promise<T> {
  if (!started) return work();
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  return context.with(trace.setSpan(parent, span), () => ended(span, work));
}

/** Runs `work` inside an INTERNAL span of the current trace (rule evaluation, SQL). */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: () => Promise<T>,
): Promise<T> {
  if (!started) return work();
  const span = tracer.startSpan(name, { attributes });
  return context.with(trace.setSpan(context.active(), span), () => ended(span, work));
}

async function ended<T>(span: Span, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.name ?? 'error' });
    throw error;
  } finally {
    span.end();
  }
}

/** Sets `traceparent` (and `tracestate`) of the current span on an outgoing request's headers. */
export function injectTraceContext(headers: { set(name: string, value: string): void }): void {
  if (!started) return;
  propagation.inject(context.active(), headers, {
    set: (carrier, key, value) => carrier.set(key, value),
  });
}

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/**
 * The trace id of the request under way: the current span's when tracing is
 * on, else the one in the caller's `traceparent` (so logs and audit records
 * can still be joined with the caller's traces), else null.
 */
export function currentTraceId(traceparent?: string | string[] | null): string | null {
  if (started) {
    const spanContext = trace.getSpan(context.active())?.spanContext();
    if (spanContext && trace.isSpanContextValid(spanContext)) return spanContext.traceId;
  }
  const header = Array.isArray(traceparent) ? traceparent[0] : traceparent;
  const id = header ? TRACEPARENT.exec(header.trim())?.[1] : undefined;
  return id && id !== '0'.repeat(32) ? id : null;
}

/** Runs synchronous `work` (an access decision) inside an INTERNAL span, when tracing is on. */
export function inSyncSpan<T>(name: string, attributes: Attributes, work: () => T): T {
  if (!started) return work();
  const span = tracer.startSpan(name, { attributes });
  try {
    return work();
  } finally {
    span.end();
  }
}

interface KnexQuery {
  __knexQueryUid?: string;
  sql?: string;
}

const tracedDatabases = new WeakSet<object>();

/**
 * Gives every query of `db` a CLIENT span, child of the span that ran it, with
 * its SQL text (placeholders only: values are bound, never part of the text).
 * Listens to knex's query events only while tracing is on; without it, adds
 * nothing.
 */
export function traceSql(db: Knex, database: string): void {
  if (!started || tracedDatabases.has(db)) return;
  tracedDatabases.add(db);
  const open = new Map<string, Span>();
  db.on('query', (query: KnexQuery) => {
    if (!started || !query.__knexQueryUid) return;
    open.set(
      query.__knexQueryUid,
      tracer.startSpan('sql', {
        kind: SpanKind.CLIENT,
        attributes: { 'db.name': database, 'db.statement': query.sql ?? '' },
      }),
    );
  });
  const end = (query: KnexQuery, failed: boolean) => {
    const span = query.__knexQueryUid ? open.get(query.__knexQueryUid) : undefined;
    if (!span) return;
    open.delete(query.__knexQueryUid!);
    if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  db.on('query-response', (_response: unknown, query: KnexQuery) => end(query, false));
  db.on('query-error', (_error: unknown, query: KnexQuery) => end(query, true));
}
