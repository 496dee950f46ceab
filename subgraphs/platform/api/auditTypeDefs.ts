/**
 * The platform schema's part on the audit trail: records, their CSV, and the verification
 * of every writer's hash chain.
 * `typeDefs.ts` joins the parts into the platform subgraph's SDL.
 */
import { CSV_LIMIT, WHOLE_TRAIL_COST } from './declaredCosts.ts';
export const AUDIT_TYPE_DEFS = /* GraphQL */ `
  "What a request or a dataset access came to, as the caller received it."
  enum AuditDecision {
    "Everything asked was answered, nothing masked (also an allowed lookup that found nothing)."
    ALLOWED
    "Everything asked was answered, some item masked."
    MASKED
    "Something was answered and something was denied."
    PARTIAL
    "Nothing was answered; at least one denial."
    DENIED
    "REQUEST only: nothing was answered, for a reason other than the sharing rules."
    ERROR
    "REQUEST only: the credential or a header was refused before anything ran."
    REFUSED
    "REQUEST records written before PARTIAL existed: answered without error."
    OK
  }
  enum AuditKind {
    REQUEST
    ACCESS
  }

  "One audit record: a gateway REQUEST, or one dataset ACCESS by a subgraph. Names and counts only, never row values."
  type AuditRecord {
    id: ID!
    at: String!
    kind: AuditKind!
    "The platform's id of the request (a UUID the gateway made and answered in X-Request-Id)."
    requestId: String!
    "The client's own id of the request (the X-Request-Id it sent), if any."
    correlationId: String
    subgraph: String
    consumerDepartment: String
    consumerApplication: String
    userId: String
    purpose: String
    "REQUEST: the grant the caller named. ACCESS: every grant the dataset was read under, comma-separated."
    grantId: String
    dataset: String
    providerDepartment: String
    itemsReturned: [String!]!
    itemsMasked: [String!]!
    itemsDenied: [String!]!
    "ACCESS: the records the caller received at least one item of (masked or not)."
    recordCount: Int!
    "ACCESS: verifications answered."
    verifications: Int!
    "ACCESS: the items those verifications compared."
    verifiedItems: [String!]!
    "ACCESS: how many of them answered yes."
    verificationsMatched: Int!
    decision: AuditDecision!
    "The first denial reason of an access, or the first error code of a request."
    reason: String
    operationName: String
    operationHash: String
    latencyMs: Int!
    "REQUEST: the request's trace id (W3C, 32 hex digits): its trace, and its log lines, carry it."
    traceId: String
    "ACCESS of a bulk export: its manifest as JSON (record count, items, masks, filters, checksum; no values)."
    manifest: String
    "Which hash chain the record is in, its place there, and the hashes."
    writer: String!
    seq: Int!
    prevHash: String!
    hash: String!
  }

  type AuditRecordConnection {
    nodes: [AuditRecord!]!
    pageInfo: PageInfo!
  }

  "Conditions on audit records; all given conditions must hold. Times are ISO 8601 instants."
  input AuditFilter {
    from: String
    to: String
    "Records where this department is the consumer or the provider."
    department: String
    dataset: String
    decision: AuditDecision
    purpose: String
    "The platform's request id."
    requestId: String
    "The client's X-Request-Id: every request it sent with that id."
    correlationId: String
    kind: AuditKind
  }

  type ChainProblem {
    writer: String!
    "The record that does not fit; null when records are missing."
    recordId: ID
    seq: Int!
    problem: String!
  }

  type ChainVerification {
    ok: Boolean!
    chains: Int!
    records: Int!
    problems: [ChainProblem!]!
    "Signed checkpoints (outside the database) the records were checked against."
    checkpoints: Int!
    "Records after their chain's last signed checkpoint: hash-chained, not signed yet."
    unsignedRecords: Int!
  }

  extend type Query {
    "Audit records you may see: a provider every access to its datasets, a consumer its own, reviewers and admins all."
    auditRecords(filter: AuditFilter, first: Int = 50, after: String): AuditRecordConnection!
    "The same records as CSV (a header line, then one line per record; up to 10000 records)."
    auditCsv(filter: AuditFilter): String! @cost(weight: ${CSV_LIMIT})
    "Verifies every writer's hash chain and names each record that does not fit (reviewers and admins)."
    verifyAuditChain: ChainVerification! @cost(weight: ${WHOLE_TRAIL_COST})
  }
`;
