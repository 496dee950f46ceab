import type { IncomingMessage } from 'node:http';
import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapPropagator,
  type Tracer,
} from '@opentelemetry/api';
import type * as AsyncHooks from '@opentelemetry/context-async-hooks';
import type * as Core from '@opentelemetry/core';
import type * as OtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import type * as Resources from '@opentelemetry/resources';
import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';
import type { BasicTracerProvider, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Knex } from 'knex';
import { createRequire } from 'node:module';
import type { TracingConfig } from '../config/index.ts';

/**
 * The SDK's packages, loaded when a process starts tracing and not before:
 * the OTLP exporter, the SDK and their dependencies add about 16 MB to every
 * process that loads them, and most run with tracing off.
 */
const load = createRequire(import.meta.url);
const sdk = () => ({
  ...(load('@opentelemetry/sdk-trace-base') as typeof SdkTraceBase),
  ...(load('@opentelemetry/resources') as typeof Resources),
  ...(load('@opentelemetry/core') as typeof Core),
  ...(load('@opentelemetry/context-async-hooks') as typeof AsyncHooks),
});

/**
 * The platform's tracing, started per process by `startTracing`; null while
 * off. Deliberately not the global OpenTelemetry provider: libraries that
 * trace through the global API (Apollo Gateway makes half a dozen spans per
 * request) stay on its no-op tracer, and the gateway makes the spans the
 * platform needs — the request, planning, each subgraph fetch — itself, with
 * explicit parents. So a gateway process needs no async-context tracking,
 * which on Node 20 puts a hook on every promise of every request, sampled or
 * not; subgraph hosts, whose rule and SQL spans are made deep in library
 * callbacks, do track it (`asyncContext`).
 */
let started: {
  provider: BasicTracerProvider;
  tracer: Tracer;
  asyncContext: boolean;
  /** W3C trace context, in and out. */
  propagator: TextMapPropagator;
} | null = null;

/** Whether this process records spans (an SDK was started). */
export function tracingOn(): boolean {
  return started !== null;
}

export interface TracingOptions {
  /** Spans go here, each as it ends, instead of to OTLP: tests pass an in-memory exporter. */
  exporter?: SpanExporter;
  /**
   * Track the current span across async calls (a context manager), so spans
   * made without an explicit parent — rule evaluation, SQL — find theirs.
   * Subgraph hosts need it; a gateway-only process does not. Default true.
   */
  asyncContext?: boolean;
}

/**
 * Starts the OpenTelemetry SDK for this process when `config` says where to
 * export (OTEL_EXPORTER_OTLP_ENDPOINT) or a test gives an exporter: W3C trace
 * context in and out, and a sampler that follows a caller's `traceparent`
 * (sampled or not) and samples new traces at `sampleRatio`. Without either
 * nothing is started and every span helper here returns at once. Returns a
 * function that flushes and stops it.
 */
export function startTracing(
  config: TracingConfig | null,
  options: TracingOptions = {},
): () => Promise<void> {
  if (started || (!config && !options.exporter)) return async () => {};
  const {
    AsyncLocalStorageContextManager,
    BasicTracerProvider,
    BatchSpanProcessor,
    ParentBasedSampler,
    resourceFromAttributes,
    SimpleSpanProcessor,
    TraceIdRatioBasedSampler,
    W3CTraceContextPropagator,
  } = sdk();
  const exporter = options.exporter ?? otlpExporter(config!.endpoint);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config?.serviceName ?? 'govdata' }),
    sampler: new ParentBasedSampler({
      root: new TraceIdRatioBasedSampler(config?.sampleRatio ?? 1),
    }),
    spanProcessors: [
      options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter),
    ],
  });
  const asyncContext = options.asyncContext ?? true;
  if (asyncContext) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const mine = {
    provider,
    tracer: provider.getTracer('govdata'),
    asyncContext,
    propagator: new W3CTraceContextPropagator(),
  };
  started = mine;
  return async () => {
    if (started !== mine) return;
    started = null;
    await provider.shutdown();
    if (asyncContext) context.disable();
  };
}

function otlpExporter(endpoint: string): SpanExporter {
  const { OTLPTraceExporter } = load('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttp;
  return new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` });
}

/** Each request's trace context (its SERVER span), for the spans and headers made on its behalf. */
const requestTraces = new WeakMap<IncomingMessage, Context>();

/**
 * Runs `work` inside a SERVER span that continues the caller's `traceparent`
 * (a new trace otherwise); the span ends when `work` settles. Its context is
 * kept for the request (`requestTraceContext`) and, with async-context
 * tracking, is current while `work` runs. With tracing off it only runs `work`.
 */
export function inServerSpan<T>(
  name: string,
  req: IncomingMessage,
  attributes: Attributes,
  work: () => Promise<T>,
): Promise<T> {
  if (!started) return work();
  const parent = started.propagator.extract(ROOT_CONTEXT, req.headers, headerGetter);
  const span = started.tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  const current = trace.setSpan(parent, span);
  requestTraces.set(req, current);
  // An unsampled request's span records nothing and ends as a no-op: nothing to wait for.
  const run = span.isRecording() ? () => ended(span, work) : work;
  return started.asyncContext ? context.with(current, run) : run();
}

/** The trace context `inServerSpan` started for `req`; undefined with tracing off. */
export function requestTraceContext(req: IncomingMessage): Context | undefined {
  return requestTraces.get(req);
}

/**
 * A span under `parent` (a request's trace context), or undefined when
 * tracing is off or the request is not sampled: an unsampled request costs
 * no span objects at all. The caller ends it.
 */
export function startChildSpan(
  name: string,
  parent: Context | undefined,
  attributes: Attributes,
  kind: SpanKind = SpanKind.INTERNAL,
): Span | undefined {
  if (!started || !parent || !trace.getSpan(parent)?.isRecording()) return undefined;
  return started.tracer.startSpan(name, { kind, attributes }, parent);
}

/** Ends `span` (if any), marked as failed when `failed`. */
export function endSpan(span: Span | undefined, failed = false): void {
  if (!span) return;
  if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
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

/**
 * Sets `traceparent` (and `tracestate`) of `spanContext`'s span — a fetch's
 * span, or the request's when it is not sampled, so the subgraph follows the
 * gateway's decision not to record — on an outgoing request's headers.
 */
export function injectTraceContext(spanContext: Context | undefined, headers: HeaderSetter): void {
  if (!started || !spanContext) return;
  started.propagator.inject(spanContext, headers, {
    set: (carrier: HeaderSetter, key, value) => carrier.set(key, value),
  });
}

interface HeaderSetter {
  set(name: string, value: string): void;
}

const headerGetter = {
  get: (headers: IncomingMessage['headers'], key: string) => headers[key],
  keys: (headers: IncomingMessage['headers']) => Object.keys(headers),
};

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/**
 * The trace id of the request under way: the current span's when this process
 * tracks async context, else the one in the caller's `traceparent` (so logs
 * and audit records can still be joined with the caller's traces), else null.
 */
export function currentTraceId(traceparent?: string | string[] | null): string | null {
  if (started?.asyncContext) {
    const spanContext = trace.getSpanContext(context.active());
    if (spanContext && trace.isSpanContextValid(spanContext)) return spanContext.traceId;
  }
  const header = Array.isArray(traceparent) ? traceparent[0] : traceparent;
  const id = header ? TRACEPARENT.exec(header.trim())?.[1] : undefined;
  return id && id !== '0'.repeat(32) ? id : null;
}

/** The trace id of `req`: its SERVER span's when tracing is on, else as `currentTraceId`. */
export function requestTraceId(req: IncomingMessage): string | null {
  const traced = requestTraces.get(req);
  const spanContext = traced ? trace.getSpanContext(traced) : undefined;
  if (spanContext && trace.isSpanContextValid(spanContext)) return spanContext.traceId;
  return currentTraceId(req.headers.traceparent);
}

/** Runs synchronous `work` (an access decision) inside an INTERNAL span, when tracing is on. */
export function inSyncSpan<T>(name: string, attributes: Attributes, work: () => T): T {
  if (!started?.asyncContext) return work();
  const span = started.tracer.startSpan(name, { attributes });
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
  if (!started?.asyncContext || tracedDatabases.has(db)) return;
  const { tracer } = started;
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
    endSpan(span, failed);
  };
  db.on('query-response', (_response: unknown, query: KnexQuery) => end(query, false));
  db.on('query-error', (_error: unknown, query: KnexQuery) => end(query, true));
}
