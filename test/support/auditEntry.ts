import type { AuditEntry } from '../../server/audit/AuditEntry.ts';

/**
 * A gateway REQUEST record as the audit writer takes it, for tests of the
 * writer and the audit store: Civil Affairs, answered in full, nothing read;
 * `fields` change what a test needs.
 */
export function requestAuditEntry(requestId: string, fields: Partial<AuditEntry> = {}): AuditEntry {
  return {
    at: new Date().toISOString(),
    kind: 'REQUEST',
    requestId,
    correlationId: null,
    subgraph: null,
    consumerDepartment: 'civil_affairs',
    consumerApplication: null,
    userId: null,
    purpose: 'social-assistance',
    grantId: null,
    datasetCode: null,
    providerDepartment: null,
    itemsReturned: [],
    itemsMasked: [],
    itemsDenied: [],
    recordCount: 0,
    verifications: 0,
    verifiedItems: [],
    verificationsMatched: 0,
    decision: 'ALLOWED',
    reason: null,
    operationName: null,
    operationHash: null,
    latencyMs: 1,
    ...fields,
  };
}
