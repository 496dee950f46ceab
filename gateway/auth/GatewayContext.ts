import type { Context, Span } from '@opentelemetry/api';
import type { AuditEntry, RequestIdentity } from '../../server/index.ts';

/** What the gateway knows of a request while it plans and fetches. */
export interface GatewayContext {
  identity: RequestIdentity;
  /** When the request arrived (ms since the epoch), for the audit record's latency. */
  startedAt: number;
  /**
   * Set when a subgraph reports that it answered some item masked, so that the
   * REQUEST record can say MASKED; see `SigningDataSource.takeAccessRecords`.
   */
  masked: boolean;
  /**
   * The ACCESS records subgraphs handed back with their answers, committed
   * with the REQUEST record before the client is answered (see
   * `requestAuditPlugin`).
   */
  accessRecords: AuditEntry[];
  /** The request's trace id (its span's, or the caller's `traceparent`'s), for the log and audit. */
  traceId: string | null;
  /**
   * The request's trace context (its SERVER span) when the gateway traces:
   * the explicit parent of its planning and fetch spans, and what an
   * unsampled request's fetches pass on so subgraphs do not record either.
   */
  trace?: Context;
  /** The `gateway.plan` span while the query is planned (sampled requests only). */
  planning?: Span;
  /** Subgraph fetches made so far (the request's log line reports them). */
  subgraphFetches: number;
}
