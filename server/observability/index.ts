export { enableMetrics, metrics, metricsEnabled, metricsRegistry } from './platformMetrics.ts';
export {
  aggregateMetricsForWorkers,
  currentMetrics,
  shareMetricsWithPrimary,
} from './clusterMetrics.ts';
export { metricsRoute } from './metricsRoute.ts';
export {
  currentTraceId,
  injectTraceContext,
  inServerSpan,
  inSpan,
  inSyncSpan,
  startTracing,
  traceSql,
  tracer,
  tracingOn,
} from './tracing.ts';
export type { TracingOptions } from './tracing.ts';
