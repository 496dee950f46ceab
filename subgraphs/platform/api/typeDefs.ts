import { SHARED_TYPES } from '../../kit/typeDefs/index.ts';

/**
 * The platform subgraph's schema: the catalogue and its review, sharing
 * applications, grants and their change log, data error reports, department
 * scorecards, and the working-day calendar.
 */
export const PLATFORM_TYPE_DEFS = /* GraphQL */ `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])

  enum Classification {
    BASIC
    SUBJECT
    DEPARTMENT
  }
  enum SharingType {
    UNCONDITIONAL
    CONDITIONAL
    NOT_SHARED
  }
  enum SharingMode {
    QUERY
    VERIFY
    EXPORT
  }
  "Where a catalogue entry version is in its review: DRAFT → SUBMITTED → PUBLISHED or REJECTED; a newer publication SUPERSEDES; PUBLISHED → RETIRED."
  enum EntryStatus {
    DRAFT
    SUBMITTED
    PUBLISHED
    REJECTED
    SUPERSEDED
    RETIRED
  }
  enum ApplicationStatus {
    SUBMITTED
    APPROVED
    REJECTED
    WITHDRAWN
  }
  enum GrantStatus {
    ACTIVE
    REVOKED
  }
  enum MaskRule {
    KEEP_ENDS
    SURNAME_ONLY
    YEAR_ONLY
    REDACT
  }
  enum CalendarDayKind {
    HOLIDAY
    MAKEUP_WORKDAY
  }

  "One data item (信息项) of a catalogue entry."
  type CatalogueItem {
    name: String!
    title: String!
    description: String!
    type: String!
    sensitivity: String!
    "True when this dataset is the item's one authoritative source."
    authoritative: Boolean!
    "DATASET.item this item copies, when it is not authoritative."
    source: String
    "The entity type this item refers to, if any."
    references: String
    isKey: Boolean!
  }

  "Which subgraph and GraphQL type serve a dataset, and its query fields."
  type ServedBy {
    subgraph: String!
    type: String!
    lookupField: String!
    listField: String!
  }

  "A version of a catalogue entry (政务数据资源目录) with every field of the standard."
  type CatalogueEntry {
    code: String!
    version: Int!
    status: EntryStatus!
    department: String!
    name: String!
    summary: String!
    classification: Classification!
    theme: String!
    format: String!
    updateCycle: String!
    publishedOn: String!
    related: [String!]!
    sharingType: SharingType!
    sharingConditions: String!
    legalBasis: String!
    sharingModes: [SharingMode!]!
    openData: Boolean!
    items: [CatalogueItem!]!
    "Null while the version is not the published one."
    servedBy: ServedBy
    "The entry as registered, as JSON (the same fields as a catalogue file)."
    document: String!
    changeReason: String!
    "The day the law or the department's functions changed."
    triggerDate: String!
    "Last day to register the change: the trigger date plus 10 working days."
    deadline: String!
    "True when the change is not yet submitted and its deadline has passed."
    overdue: Boolean!
    "Findings that do not stop publication, e.g. items another department already provides."
    warnings: [String!]!
    createdBy: String!
    createdAt: String!
    submittedBy: String
    submittedAt: String
    reviewedBy: String
    reviewedAt: String
    reviewReason: String
  }

  type CatalogueEntryConnection {
    nodes: [CatalogueEntry!]!
    pageInfo: PageInfo!
  }

  "Conditions on published entries; all given conditions must hold."
  input CatalogueFilter {
    department: String
    classification: Classification
    theme: String
    sharingType: SharingType
    mode: SharingMode
    "Matched, ignoring case, against the code, name, summary, theme and item titles and descriptions."
    keyword: String
  }

  "An application for a CONDITIONAL dataset and its answer."
  type SharingApplication {
    id: ID!
    dataset: String!
    providerDepartment: String!
    consumerDepartment: String!
    consumerApplication: String
    applicant: String!
    items: [String!]!
    purpose: String!
    scenario: String!
    legalBasis: String!
    requestedFrom: String!
    requestedUntil: String!
    modes: [SharingMode!]!
    status: ApplicationStatus!
    "The provider answers by this day (working days from submission)."
    deadline: String!
    overdue: Boolean!
    submittedAt: String!
    decidedBy: String
    decidedAt: String
    decisionReason: String
    "The grant the approval created."
    grant: Grant
  }

  input ApplicationInput {
    dataset: String!
    items: [String!]!
    purpose: String!
    scenario: String!
    legalBasis: String!
    requestedFrom: String!
    requestedUntil: String!
    modes: [SharingMode!]!
    "Limit the grant to one of your department's applications."
    consumerApplication: String
  }

  type Mask {
    item: String!
    rule: MaskRule!
    first: Int
    last: Int
  }

  input MaskInput {
    item: String!
    rule: MaskRule!
    "KEEP_ENDS: characters kept at the start."
    first: Int
    "KEEP_ENDS: characters kept at the end."
    last: Int
  }

  "Rows whose item equals, or starts with, a value (e.g. the consumer's region code)."
  type RowCondition {
    item: String!
    eq: String
    startsWith: String
  }

  input RowConditionInput {
    item: String!
    eq: String
    startsWith: String
  }

  "The conditions of a grant, as set by an approval or an admin."
  input GrantConditionsInput {
    items: [String!]!
    masks: [MaskInput!] = []
    rowFilter: [RowConditionInput!] = []
    purposes: [String!]!
    modes: [SharingMode!]!
    validFrom: String!
    validUntil: String!
    "Records returned plus verifications per civil day in the platform's time zone; null: no limit."
    dailyQuota: Int
    "Verifications of one record per day; null: the platform's default (VERIFY_LIMIT_PER_RECORD)."
    verifyLimitPerRecord: Int
  }

  input GrantInput {
    consumerDepartment: String!
    consumerApplication: String
    dataset: String!
    conditions: GrantConditionsInput!
  }

  "A grant: a consumer may read a CONDITIONAL dataset under these conditions."
  type Grant {
    id: ID!
    consumerDepartment: String!
    consumerApplication: String
    dataset: String!
    items: [String!]!
    masks: [Mask!]!
    rowFilter: [RowCondition!]!
    purposes: [String!]!
    modes: [SharingMode!]!
    validFrom: String!
    validUntil: String!
    dailyQuota: Int
    verifyLimitPerRecord: Int
    status: GrantStatus!
    revokedAt: String
    revokedBy: String
    revokedReason: String
    "Increases with every change; edits name the version they change."
    version: Int!
    createdAt: String!
    createdBy: String!
    updatedAt: String!
  }

  "One change to a grant: who, when, why, and the grant before and after (as JSON)."
  type GrantChange {
    id: ID!
    grantId: String!
    action: String!
    actor: String!
    at: String!
    reason: String!
    before: String
    after: String
  }

  type CalendarDay {
    date: String!
    kind: CalendarDayKind!
    name: String!
  }

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

  "Where a data error report is: OPEN until the provider answers CORRECTED, REJECTED or NOT_AN_ERROR, once."
  enum DataErrorStatus {
    OPEN
    CORRECTED
    REJECTED
    NOT_AN_ERROR
  }
  "The provider's answer to a data error report."
  enum DataErrorOutcome {
    "The record was corrected at the source."
    CORRECTED
    "The report is refused (a reason is required)."
    REJECTED
    "The record is right as it stands (a reason is required)."
    NOT_AN_ERROR
  }

  "A data error report (数据纠错): a consuming department reports a suspected error in one item of one record."
  type DataErrorReport {
    id: ID!
    dataset: String!
    providerDepartment: String!
    reporterDepartment: String!
    "department/user (or department/application) of whoever reported it."
    reporter: String!
    "The record's key value, as text."
    recordKey: String!
    item: String!
    description: String!
    status: DataErrorStatus!
    "The provider answers by this day (working days from the report)."
    deadline: String!
    "True when the report is still OPEN after its deadline."
    overdue: Boolean!
    reportedAt: String!
    answeredBy: String
    answeredAt: String
    "Why it was rejected or is not an error; a note on a correction."
    answerReason: String
  }

  input DataErrorReportInput {
    "The code of a published catalogue entry."
    dataset: String!
    "The record's key value, as text (up to 200 characters)."
    recordKey: String!
    "The name of the item that looks wrong."
    item: String!
    "What looks wrong, and what you believe is right (up to 2000 characters)."
    description: String!
  }

  "A department's catalogue now: what it has registered and the changes it has not registered in time."
  type CatalogueScore {
    "Published entries of the department."
    datasetsRegistered: Int!
    "Changes (DRAFT or REJECTED versions) past their 10-working-day registration deadline."
    overdueUpdates: Int!
    "Codes of the entries with an overdue change."
    overdueDatasets: [String!]!
  }

  "Sharing applications for the department's datasets submitted in the period, with their answers as of now."
  type ApplicationScore {
    received: Int!
    "Approved or rejected."
    answered: Int!
    "Median working days from submission to answer, over the answered; null when none were."
    medianReplyWorkingDays: Float
    "Working days a provider has to answer."
    replyDeadlineWorkingDays: Int!
    "Answered after the deadline the applicant was given."
    answeredLate: Int!
    "Still unanswered after their deadline."
    unansweredOverdue: Int!
  }

  "Bulk exports of the department's datasets: started, completed, records sent, refused."
  type ExportScore {
    "Exports started in the period."
    started: Int!
    "Of those, completed: every record sent and the manifest stored."
    completed: Int!
    "Records sent by the period's deliveries (an export and each resumption of it)."
    records: Int!
    "Exports refused before any record was sent."
    refused: Int!
    byDataset: [DatasetExportScore!]!
  }

  type DatasetExportScore {
    dataset: String!
    started: Int!
    completed: Int!
    records: Int!
    refused: Int!
  }

  "Accesses to one dataset in the period, as distinct requests."
  type DatasetAccessScore {
    dataset: String!
    "Requests answered under the rules (ALLOWED, MASKED or PARTIAL)."
    served: Int!
    "Of the served, answered with masked items."
    masked: Int!
    "Of the served, also denied some of what they asked."
    partial: Int!
    "Requests answered nothing of the dataset, with a denial."
    denied: Int!
  }

  "Denied requests for one reason."
  type DenialCount {
    "The denial reason recorded in the audit trail, e.g. NO_GRANT; null when a record names none."
    reason: String
    requests: Int!
  }

  "Accesses to the department's datasets in the period, from the audit trail, in distinct platform request ids. A request counts once per dataset, by what it received in all, however many steps of its plan touched the dataset."
  type AccessScore {
    "Requests answered under the rules (ALLOWED, MASKED or PARTIAL)."
    served: Int!
    "Of the served, answered with masked items."
    masked: Int!
    "Of the served, also denied some of what they asked."
    partial: Int!
    "Requests answered nothing of the dataset, with a denial."
    denied: Int!
    deniedByReason: [DenialCount!]!
    byDataset: [DatasetAccessScore!]!
  }

  "Data error reports on the department's datasets made in the period, with their answers as of now."
  type DataErrorScore {
    received: Int!
    open: Int!
    "Still OPEN after their deadline."
    overdue: Int!
    answered: Int!
    "Median working days from report to answer, over the answered; null when none were."
    medianTurnaroundWorkingDays: Float
  }

  "A department's supervision figures (监督考核) for the period [from, to). Counts over the period are what arrived in it; the catalogue and the active grants are as of now."
  type Scorecard {
    department: String!
    from: String!
    to: String!
    "When the figures were computed."
    computedAt: String!
    catalogue: CatalogueScore!
    applications: ApplicationScore!
    "Grants on the department's datasets active and valid now."
    activeGrants: Int!
    accesses: AccessScore!
    "Bulk exports of the department's datasets (EXPORT mode) in the period."
    exports: ExportScore!
    dataErrors: DataErrorScore!
  }

  type Query {
    "Published catalogue entries, filtered, in code order. Open to everyone, signed in or not."
    catalogueEntries(
      filter: CatalogueFilter
      first: Int = 20
      after: String
    ): CatalogueEntryConnection!
    "The published version of an entry, or a given version (drafts: their department, reviewers, admins)."
    catalogueEntry(code: String!, version: Int): CatalogueEntry
    "Every version of an entry (their department, reviewers, admins)."
    catalogueEntryVersions(code: String!): [CatalogueEntry!]!
    "Versions awaiting review, or in another state; DEPT_IT sees its own department's."
    catalogueReviewQueue(status: EntryStatus = SUBMITTED): [CatalogueEntry!]!
    "Changes not submitted by their deadline; DEPT_IT sees its own department's."
    overdueCatalogueUpdates: [CatalogueEntry!]!
    "The whole published catalogue as DCAT-AP JSON-LD."
    dcatCatalogue: String!

    "Applications you made (APP_DEVELOPER) or received (DEPT_IT); reviewers and admins see all. Newest first; a page of up to limit (1 to 200) after offset, or all without a limit."
    sharingApplications(
      status: ApplicationStatus
      offset: Int = 0
      limit: Int
    ): [SharingApplication!]!
    sharingApplication(id: ID!): SharingApplication
    "Applications still unanswered after their deadline."
    overdueSharingApplications: [SharingApplication!]!

    "Grants you hold or gave; reviewers and admins see all. In id order; a page of up to limit (1 to 200) after offset, or all without a limit."
    grants(
      dataset: String
      consumerDepartment: String
      status: GrantStatus
      offset: Int = 0
      limit: Int
    ): [Grant!]!
    grant(id: ID!): Grant
    "Active grants ending within the given number of days."
    expiringGrants(withinDays: Int = 30): [Grant!]!
    "The change log of grants (reviewers and admins)."
    grantChanges(grantId: ID): [GrantChange!]!

    "Audit records you may see: a provider every access to its datasets, a consumer its own, reviewers and admins all."
    auditRecords(filter: AuditFilter, first: Int = 50, after: String): AuditRecordConnection!
    "The same records as CSV (a header line, then one line per record; up to 10000 records)."
    auditCsv(filter: AuditFilter): String!
    "Verifies every writer's hash chain and names each record that does not fit (reviewers and admins)."
    verifyAuditChain: ChainVerification!

    "Data error reports your department made or received; reviewers and admins see all. Newest first; a page of up to limit (1 to 200) after offset, or all without a limit."
    dataErrorReports(status: DataErrorStatus, offset: Int = 0, limit: Int): [DataErrorReport!]!
    "Data error reports still OPEN after their deadline."
    overdueDataErrorReports: [DataErrorReport!]!

    "Supervision figures of a department for [from, to) (dates YYYY-MM-DD): reviewers and admins any department, DEPT_IT its own."
    departmentScorecard(department: String!, from: String!, to: String!): Scorecard!

    "Holidays and make-up working days."
    calendarDays(year: Int): [CalendarDay!]!
    "The date n working days after start."
    addWorkingDays(start: String!, days: Int!): String!
  }

  type Mutation {
    "DEPT_IT: save a new or changed entry of your department as a draft (YAML or JSON, the catalogue file format)."
    saveCatalogueDraft(
      document: String!
      changeReason: String!
      triggerDate: String!
    ): CatalogueEntry!
    "DEPT_IT: submit a draft for review; it is validated against the published catalogue."
    submitCatalogueEntry(code: String!, version: Int!): CatalogueEntry!
    "REVIEWER: publish a submitted version; it reaches the subgraphs within seconds."
    publishCatalogueEntry(code: String!, version: Int!): CatalogueEntry!
    "REVIEWER: reject a submitted version, saying why."
    rejectCatalogueEntry(code: String!, version: Int!, reason: String!): CatalogueEntry!
    "REVIEWER or ADMIN: retire a published entry, saying why."
    retireCatalogueEntry(code: String!, reason: String!): CatalogueEntry!

    "APP_DEVELOPER: apply for a CONDITIONAL dataset."
    applyForAccess(input: ApplicationInput!): SharingApplication!
    "DEPT_IT of the provider: approve with conditions; creates the grant the rules enforce."
    approveSharingApplication(id: ID!, conditions: GrantConditionsInput!): SharingApplication!
    "DEPT_IT of the provider: reject, saying why."
    rejectSharingApplication(id: ID!, reason: String!): SharingApplication!
    "APP_DEVELOPER of the applying department: withdraw an unanswered application."
    withdrawSharingApplication(id: ID!): SharingApplication!

    "ADMIN: create a grant directly."
    createGrant(input: GrantInput!, reason: String!): Grant!
    "ADMIN: change a grant's conditions; refused if the grant is no longer at expectedVersion."
    updateGrant(
      id: ID!
      expectedVersion: Int!
      conditions: GrantConditionsInput!
      reason: String!
    ): Grant!
    "ADMIN: revoke a grant, saying why; in force within seconds."
    revokeGrant(id: ID!, reason: String!): Grant!

    "APP_DEVELOPER or DEPT_IT of a consuming department: report a suspected error in a record's item to its provider."
    reportDataError(input: DataErrorReportInput!): DataErrorReport!
    "DEPT_IT of the provider: answer an OPEN report, once; REJECTED and NOT_AN_ERROR need a reason."
    answerDataError(id: ID!, outcome: DataErrorOutcome!, reason: String): DataErrorReport!

    "ADMIN: add or change a holiday or make-up working day."
    setCalendarDay(date: String!, kind: CalendarDayKind!, name: String!): CalendarDay!
    "ADMIN: remove a calendar day."
    removeCalendarDay(date: String!): Boolean!
  }

  ${SHARED_TYPES.PageInfo}
`;
