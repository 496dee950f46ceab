import type { AuditEntry } from './AuditEntry.ts';

/** Where audit records go: `record` resolves once they are durable. */
export interface AuditSink {
  record(entries: readonly AuditEntry[]): Promise<void>;
  drain(): Promise<void>;
}

/**
 * Records nothing. Only the audit-on/off benchmark uses it, to measure what
 * auditing costs; no served platform does.
 */
export class DiscardingAuditSinkForBenchmarks implements AuditSink {
  async record(): Promise<void> {}
  async drain(): Promise<void> {}
}
