import type { KeyObject } from 'node:crypto';
import { attestationProblem } from './accessAttestation.ts';
import type { AuditDecision, AuditEntry } from './AuditEntry.ts';

/**
 * The response extension in which a subgraph hands its ACCESS records back to
 * the gateway that asked for them (the `hb` claim of its context token). The
 * gateway commits them with its REQUEST record, in one commit, before it
 * answers the client, and never passes the extension on.
 */
export const ACCESS_RECORDS_EXTENSION = 'govdataAccessRecords';

/** Who the handed-back records must be about: the fetch the gateway made. */
export interface HandedBackFetch {
  requestId: string;
  correlationId: string | null;
  subgraph: string;
  consumerDepartment: string | null;
  consumerApplication: string | null;
  userId: string | null;
  purpose: string | null;
  /** The hand-back nonce the fetch's token carried: each record must be signed for it. */
  nonce: string;
}

const ACCESS_DECISIONS = new Set<AuditDecision>(['ALLOWED', 'MASKED', 'PARTIAL', 'DENIED']);
const MAX_RECORDS = 1000;
const MAX_TEXT = 4096;
const MAX_ITEMS = 1000;

/**
 * The ACCESS records a subgraph handed back for `fetch`, rebuilt field by field
 * (nothing else a response carries reaches the audit trail). Throws when the
 * value is not a list of well-formed ACCESS records of this very fetch — its
 * request, its subgraph, its caller — so a subgraph cannot record another
 * request, another subgraph or another consumer through the gateway.
 *
 * Each record must also be about the subgraph's own department's data and
 * carry that department's attestation, for this fetch's nonce, verifying
 * under `departmentKey(department)` (which throws when the department has no
 * key): a record altered after signing, signed with another department's key,
 * replayed from another fetch or not signed at all fails the fetch too.
 */
export function readHandedBackAccess(
  value: unknown,
  fetch: HandedBackFetch,
  departmentKey: (department: string) => KeyObject,
): AuditEntry[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_RECORDS) {
    throw new Error('handed-back ACCESS records are not a list of at most 1000');
  }
  return value.map((raw, index) => {
    const at = `handed-back ACCESS record ${index}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new Error(`${at} is not an object`);
    }
    const r = raw as Record<string, unknown>;
    const same = (field: keyof HandedBackFetch) => {
      if (r[field] !== fetch[field]) throw new Error(`${at}: ${field} is not the fetch's`);
      return fetch[field];
    };
    if (r.kind !== 'ACCESS') throw new Error(`${at} is not an ACCESS record`);
    const decision = r.decision as AuditDecision;
    if (!ACCESS_DECISIONS.has(decision)) throw new Error(`${at}: unknown decision`);
    const entry: AuditEntry = {
      at: timestamp(r.at, at),
      kind: 'ACCESS',
      requestId: same('requestId') as string,
      correlationId: same('correlationId'),
      subgraph: same('subgraph'),
      consumerDepartment: same('consumerDepartment'),
      consumerApplication: same('consumerApplication'),
      userId: same('userId'),
      purpose: same('purpose'),
      grantId: text(r.grantId, at, 'grantId'),
      datasetCode: text(r.datasetCode, at, 'datasetCode'),
      providerDepartment: text(r.providerDepartment, at, 'providerDepartment'),
      itemsReturned: items(r.itemsReturned, at, 'itemsReturned'),
      itemsMasked: items(r.itemsMasked, at, 'itemsMasked'),
      itemsDenied: items(r.itemsDenied, at, 'itemsDenied'),
      recordCount: count(r.recordCount, at, 'recordCount'),
      verifications: count(r.verifications, at, 'verifications'),
      verifiedItems: items(r.verifiedItems, at, 'verifiedItems'),
      verificationsMatched: count(r.verificationsMatched, at, 'verificationsMatched'),
      decision,
      reason: text(r.reason, at, 'reason'),
      operationName: text(r.operationName, at, 'operationName'),
      operationHash: text(r.operationHash, at, 'operationHash'),
      latencyMs: count(r.latencyMs, at, 'latencyMs'),
    };
    if (r.manifest !== undefined && r.manifest !== null) {
      throw new Error(`${at}: a manifest belongs to an export's own record`);
    }
    if (entry.providerDepartment !== fetch.subgraph) {
      throw new Error(`${at}: providerDepartment is not the subgraph's department`);
    }
    const attestation = text(r.attestation ?? null, at, 'attestation');
    const problem = attestationProblem(
      entry,
      attestation,
      departmentKey(fetch.subgraph),
      fetch.nonce,
    );
    if (problem !== null) throw new Error(`${at}: ${problem}`);
    return { ...entry, attestation };
  });
}

function text(value: unknown, at: string, field: string): string | null {
  if (value === null) return null;
  if (typeof value === 'string' && value.length <= MAX_TEXT) return value;
  throw new Error(`${at}: ${field} is not text of at most ${MAX_TEXT} characters or null`);
}

function items(value: unknown, at: string, field: string): string[] {
  if (
    Array.isArray(value) &&
    value.length <= MAX_ITEMS &&
    value.every((v) => typeof v === 'string' && v.length <= MAX_TEXT)
  ) {
    return value as string[];
  }
  throw new Error(`${at}: ${field} is not a list of item names`);
}

function count(value: unknown, at: string, field: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new Error(`${at}: ${field} is not a whole number`);
}

function timestamp(value: unknown, at: string): string {
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/.test(value)) {
    return value;
  }
  throw new Error(`${at}: at is not an ISO time in UTC`);
}
