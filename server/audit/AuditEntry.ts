/**
 * What a request or a dataset access came to, as the caller received it:
 *
 * - `ALLOWED`: everything asked was answered, nothing masked (an answer that
 *   found no record is ALLOWED with `recordCount` 0).
 * - `MASKED`: everything asked was answered, some item masked.
 * - `PARTIAL`: something was answered and something was denied.
 * - `DENIED`: nothing was answered; at least one denial.
 * - `ERROR` (REQUEST only): nothing was answered, for a reason other than the
 *   sharing rules (invalid operation, unavailable subgraph).
 * - `REFUSED` (REQUEST only): the credential or a header was refused before
 *   anything ran.
 * - `OK` appears only in records written before PARTIAL existed (REQUEST
 *   records then said OK or ERROR).
 */
export type AuditDecision =
  'ALLOWED' | 'MASKED' | 'PARTIAL' | 'DENIED' | 'ERROR' | 'REFUSED' | 'OK';

/**
 * The operation name of a bulk export's records (`GET /export`), the
 * platform's own: a GraphQL operation may not take it (the gateway refuses
 * one so named), so export records and figures count exports alone.
 */
export const EXPORT_OPERATION_NAME = 'EXPORT';

/**
 * The response extension a subgraph sets to `true` when it answered some item
 * masked, so the gateway's REQUEST record can say MASKED. The gateway never
 * passes subgraph extensions to the client.
 */
export const ACCESS_MASKED_EXTENSION = 'govdataAccessMasked';

/**
 * One audit record before it is chained. REQUEST records come from the gateway
 * (who asked, what operation, how long); ACCESS records from subgraphs (which
 * dataset, which items were returned, masked or denied, how many records).
 * Item names and counts only: row values never enter the audit trail.
 */
export interface AuditEntry {
  at: string;
  kind: 'REQUEST' | 'ACCESS';
  /** The platform's id of the request (a UUID the gateway made). */
  requestId: string;
  /** The client's own id of the request (its X-Request-Id), if it sent one. */
  correlationId: string | null;
  /**
   * REQUEST: the request's OpenTelemetry trace id (its span's, or the caller's
   * `traceparent`'s), linking the record to the trace; absent or null otherwise.
   */
  traceId?: string | null;
  subgraph: string | null;
  consumerDepartment: string | null;
  consumerApplication: string | null;
  userId: string | null;
  purpose: string | null;
  /**
   * REQUEST: the grant the caller named, if any. ACCESS: every grant the
   * dataset was read under in this operation, comma-separated in id order.
   */
  grantId: string | null;
  datasetCode: string | null;
  providerDepartment: string | null;
  itemsReturned: string[];
  itemsMasked: string[];
  itemsDenied: string[];
  /** ACCESS: the records the caller received at least one item of. */
  recordCount: number;
  /** ACCESS: verifications answered (each a yes/no about one record). */
  verifications: number;
  /** ACCESS: the items those verifications compared. */
  verifiedItems: string[];
  /** ACCESS: how many of them answered yes. */
  verificationsMatched: number;
  decision: AuditDecision;
  reason: string | null;
  operationName: string | null;
  operationHash: string | null;
  latencyMs: number;
  /**
   * ACCESS of a bulk export: its manifest as JSON (record count, items, masks,
   * filters, checksum; never a value). Absent or null on every other record.
   */
  manifest?: string | null;
  /**
   * ACCESS: the department's signature over the record (see `attestAccess`),
   * made by the subgraph that produced it. Absent or null on REQUEST records
   * and on records written before attestations existed.
   */
  attestation?: string | null;
}

/** A chained, stored audit record. */
export interface AuditRecord extends AuditEntry {
  id: number;
  writer: string;
  seq: number;
  prevHash: string;
  hash: string;
}
