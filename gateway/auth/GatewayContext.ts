import type { RequestIdentity } from '../../server/index.ts';

/** What the gateway knows of a request while it plans and fetches. */
export interface GatewayContext {
  identity: RequestIdentity;
  /** When the request arrived (ms since the epoch), for the audit record's latency. */
  startedAt: number;
  /**
   * Set when a subgraph reports that it answered some item masked, so that the
   * REQUEST record can say MASKED; see `SigningDataSource.didReceiveResponse`.
   */
  masked: boolean;
  /** The request's trace id (its span's, or the caller's `traceparent`'s), for the log and audit. */
  traceId: string | null;
  /** Subgraph fetches made so far (the request's log line reports them). */
  subgraphFetches: number;
}
