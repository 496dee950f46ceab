/** Logs, metrics and traces of a process. */
export interface ObservabilityConfig {
  /**
   * `json`: one JSON object a line (what log collectors read); `pretty`:
   * coloured lines for a person; `auto`: pretty when stdout is a terminal and
   * this is not production (NODE_ENV), JSON otherwise.
   */
  logFormat: 'json' | 'pretty' | 'auto';
  /** NODE_ENV is `production`: never pretty in `auto`. */
  production: boolean;
  /** Prometheus metrics collected and served at `/metrics` (METRICS=off: neither). */
  metrics: boolean;
  /**
   * The bearer token a scraper must send for `/metrics` (METRICS_TOKEN); null:
   * only a process on the same host may read them.
   */
  metricsToken: string | null;
  /** Traces, when exported: null (no OTEL_EXPORTER_OTLP_ENDPOINT) means no SDK is started at all. */
  tracing: TracingConfig | null;
}

export interface TracingConfig {
  /** OTLP/HTTP base URL of a collector; spans go to `<endpoint>/v1/traces`. */
  endpoint: string;
  /** Share of new traces recorded (a caller's sampled traceparent is always followed): 0 to 1. */
  sampleRatio: number;
  /** The `service.name` of this process's spans. */
  serviceName: string;
}

export const DEFAULT_OBSERVABILITY: ObservabilityConfig = {
  logFormat: 'auto',
  production: false,
  metrics: true,
  metricsToken: null,
  tracing: null,
};
