import type { Knex } from 'knex';
import type { AuditDecision, AuditEntry, AuditRecord } from './AuditEntry.ts';

export interface AuditRow {
  id: number;
  writer: string;
  seq: number;
  at: string;
  kind: string;
  request_id: string;
  correlation_id: string | null;
  /** The request's trace id; null in records written before it was recorded. */
  trace_id?: string | null;
  /** An export's manifest (JSON); null on every other record. */
  manifest?: string | null;
  /** A department's signature of an ACCESS record; null on others and on older records. */
  attestation?: string | null;
  subgraph: string | null;
  consumer_department: string | null;
  consumer_application: string | null;
  user_id: string | null;
  purpose: string | null;
  grant_id: string | null;
  dataset_code: string | null;
  provider_department: string | null;
  items_returned: string;
  items_masked: string;
  items_denied: string;
  record_count: number;
  verifications: number;
  /** JSON list; null in records written before verifications were recorded. */
  verified_items: string | null;
  verifications_matched: number;
  decision: string;
  reason: string | null;
  operation_name: string | null;
  operation_hash: string | null;
  latency_ms: number;
  prev_hash: string;
  hash: string;
}

export function toAuditRow(
  writer: string,
  seq: number,
  prevHash: string,
  hash: string,
  e: AuditEntry,
): Omit<AuditRow, 'id'> {
  return {
    writer,
    seq,
    at: e.at,
    kind: e.kind,
    request_id: e.requestId,
    correlation_id: e.correlationId,
    trace_id: e.traceId ?? null,
    manifest: e.manifest ?? null,
    attestation: e.attestation ?? null,
    subgraph: e.subgraph,
    consumer_department: e.consumerDepartment,
    consumer_application: e.consumerApplication,
    user_id: e.userId,
    purpose: e.purpose,
    grant_id: e.grantId,
    dataset_code: e.datasetCode,
    provider_department: e.providerDepartment,
    items_returned: JSON.stringify(e.itemsReturned),
    items_masked: JSON.stringify(e.itemsMasked),
    items_denied: JSON.stringify(e.itemsDenied),
    record_count: e.recordCount,
    verifications: e.verifications,
    verified_items: JSON.stringify(e.verifiedItems),
    verifications_matched: e.verificationsMatched,
    decision: e.decision,
    reason: e.reason,
    operation_name: e.operationName,
    operation_hash: e.operationHash,
    latency_ms: e.latencyMs,
    prev_hash: prevHash,
    hash,
  };
}

export function fromAuditRow(r: AuditRow): AuditRecord {
  return {
    id: Number(r.id),
    writer: r.writer,
    seq: Number(r.seq),
    at: r.at,
    kind: r.kind as AuditEntry['kind'],
    requestId: r.request_id,
    correlationId: r.correlation_id ?? null,
    traceId: r.trace_id ?? null,
    manifest: r.manifest ?? null,
    attestation: r.attestation ?? null,
    subgraph: r.subgraph,
    consumerDepartment: r.consumer_department,
    consumerApplication: r.consumer_application,
    userId: r.user_id,
    purpose: r.purpose,
    grantId: r.grant_id,
    datasetCode: r.dataset_code,
    providerDepartment: r.provider_department,
    itemsReturned: JSON.parse(r.items_returned) as string[],
    itemsMasked: JSON.parse(r.items_masked) as string[],
    itemsDenied: JSON.parse(r.items_denied) as string[],
    recordCount: Number(r.record_count),
    verifications: Number(r.verifications ?? 0),
    verifiedItems: r.verified_items ? (JSON.parse(r.verified_items) as string[]) : [],
    verificationsMatched: Number(r.verifications_matched ?? 0),
    decision: r.decision as AuditDecision,
    reason: r.reason,
    operationName: r.operation_name,
    operationHash: r.operation_hash,
    latencyMs: Number(r.latency_ms),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export interface AuditFilter {
  from?: string | null;
  to?: string | null;
  /** Records where this department is the consumer or the provider. */
  department?: string | null;
  consumerDepartment?: string | null;
  providerDepartment?: string | null;
  dataset?: string | null;
  decision?: AuditDecision | null;
  purpose?: string | null;
  requestId?: string | null;
  /** Records of requests the client gave this X-Request-Id. */
  correlationId?: string | null;
  kind?: AuditEntry['kind'] | null;
  /** Only records after this id (cursor paging, in id order). */
  afterId?: number | null;
  limit: number;
}

/** Audit records matching `filter`, in the order they were written. */
export async function selectAuditRecords(db: Knex, filter: AuditFilter): Promise<AuditRecord[]> {
  const query = db<AuditRow>('audit_records');
  if (filter.from) query.where('at', '>=', filter.from);
  if (filter.to) query.where('at', '<', filter.to);
  if (filter.department) {
    const department = filter.department;
    query.where((q) => {
      void q
        .where({ consumer_department: department })
        .orWhere({ provider_department: department });
    });
  }
  if (filter.consumerDepartment) query.where({ consumer_department: filter.consumerDepartment });
  if (filter.providerDepartment) query.where({ provider_department: filter.providerDepartment });
  if (filter.dataset) query.where({ dataset_code: filter.dataset });
  if (filter.decision) query.where({ decision: filter.decision });
  if (filter.purpose) query.where({ purpose: filter.purpose });
  if (filter.requestId) query.where({ request_id: filter.requestId });
  if (filter.correlationId) query.where({ correlation_id: filter.correlationId });
  if (filter.kind) query.where({ kind: filter.kind });
  if (filter.afterId) query.where('id', '>', filter.afterId);
  const rows = await query.orderBy('id').limit(filter.limit);
  return rows.map(fromAuditRow);
}
