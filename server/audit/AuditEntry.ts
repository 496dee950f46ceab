/** What a request or a dataset access came to. */
export type AuditDecision = 'ALLOWED' | 'MASKED' | 'DENIED' | 'OK' | 'ERROR' | 'REFUSED';

/**
 * One audit record before it is chained. REQUEST records come from the gateway
 * (who asked, what operation, how long); ACCESS records from subgraphs (which
 * dataset, which items were returned, masked or denied, how many records).
 * Item names and counts only: row values never enter the audit trail.
 */
export interface AuditEntry {
  at: string;
  kind: 'REQUEST' | 'ACCESS';
  requestId: string;
  subgraph: string | null;
  consumerDepartment: string | null;
  consumerApplication: string | null;
  userId: string | null;
  purpose: string | null;
  grantId: string | null;
  datasetCode: string | null;
  providerDepartment: string | null;
  itemsReturned: string[];
  itemsMasked: string[];
  itemsDenied: string[];
  recordCount: number;
  decision: AuditDecision;
  reason: string | null;
  operationName: string | null;
  operationHash: string | null;
  latencyMs: number;
}

/** A chained, stored audit record. */
export interface AuditRecord extends AuditEntry {
  id: number;
  writer: string;
  seq: number;
  prevHash: string;
  hash: string;
}
