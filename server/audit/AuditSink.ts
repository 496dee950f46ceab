import type { AuditEntry } from './AuditEntry.ts';

/** Where audit records go: `record` resolves once they are durable. */
export interface AuditSink {
  record(entries: readonly AuditEntry[]): Promise<void>;
  drain(): Promise<void>;
  /**
   * Lets a commit wait up to `ms` for records on their way: `coming()` says how
   * many callers have begun work that ends in `record` and not yet called it
   * (see `AuditWriter.gather`). A sink that commits nothing itself ignores it.
   */
  gather?(coming: () => number, ms: number): void;
}

/**
 * Records nothing. Only the audit-on/off benchmark uses it, to measure what
 * auditing costs; no served platform does.
 */
export class DiscardingAuditSinkForBenchmarks implements AuditSink {
  async record(): Promise<void> {}
  async drain(): Promise<void> {}
}
