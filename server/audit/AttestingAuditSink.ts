import type { KeyObject } from 'node:crypto';
import { attestAccess } from './accessAttestation.ts';
import type { AuditEntry } from './AuditEntry.ts';
import type { AuditSink } from './AuditSink.ts';

/**
 * A department subgraph's audit sink: every ACCESS record the subgraph
 * produces leaves it signed with the department's key — the ones it commits
 * itself (through `record`) and the ones it hands back to the gateway (through
 * `attest`, bound to that fetch's nonce). One Ed25519 signature per record.
 */
export class AttestingAuditSink implements AuditSink {
  constructor(
    private readonly sink: AuditSink,
    private readonly departmentKey: KeyObject,
  ) {}

  /** `entries` with each ACCESS record signed, for the fetch of hand-back `nonce` ('' for none). */
  attest(entries: readonly AuditEntry[], nonce = ''): AuditEntry[] {
    return entries.map((entry) =>
      entry.kind === 'ACCESS'
        ? { ...entry, attestation: attestAccess(entry, this.departmentKey, nonce) }
        : entry,
    );
  }

  record(entries: readonly AuditEntry[]): Promise<void> {
    return this.sink.record(this.attest(entries));
  }

  drain(): Promise<void> {
    return this.sink.drain();
  }
}
