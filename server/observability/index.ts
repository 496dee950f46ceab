export { enableMetrics, metrics, metricsEnabled, metricsRegistry } from './platformMetrics.ts';
export {
  aggregateMetricsForWorkers,
  currentMetrics,
  shareMetricsWithPrimary,
} from './clusterMetrics.ts';
export { metricsRoute } from './metricsRoute.ts';
export {
  currentTraceId,
  endSpan,
  injectTraceContext,
  inServerSpan,
  inSyncSpan,
  requestTraceContext,
  requestTraceId,
  startChildSpan,
  startTracing,
  traceSql,
  tracingOn,
} from './tracing.ts';
export type { TracingOptions } from './tracing.ts';
