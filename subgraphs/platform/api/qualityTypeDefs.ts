/**
 * The platform schema's data quality part (issue 18): the data element
 * dictionary, quality inspections, uncatalogued collection, compliance
 * reports and technical service units. Extends the types of typeDefs.ts.
 */
import { TRAIL_AGGREGATE_COST } from './declaredCosts.ts';
export const QUALITY_TYPE_DEFS = /* GraphQL */ `
  "A standard data element (数据元): what a value means and how it is written, whatever dataset holds it."
  type DataElement {
    code: String!
    title: String!
    meaning: String!
    type: String!
    format: String!
    "Whole-value pattern (RE2 syntax) every value must match."
    pattern: String
    enumeration: [String!]
    "GB11643 (resident ID numbers) or GB32100 (credit codes): the check character a value must carry."
    checkDigit: String
    "A basic fact with exactly one authoritative item in the catalogue (one number, one source)."
    oneSource: Boolean!
  }

  extend type CatalogueItem {
    "The dictionary's data element the item declares, if any (dataElements lists them)."
    element: String
    "Why the department collects, itself, a one-source element another department provides."
    collectionBasis: String
  }

  "A share: passed of checked; rate is null when nothing was checked."
  type QualityRate {
    passed: Float!
    checked: Float!
    rate: Float
  }

  enum QualityRule {
    REQUIRED
    PATTERN
    ENUMERATION
    RANGE
    CHECK_DIGIT
    UNIQUE
    CONSISTENCY
  }

  "Records that broke one rule of one item, and some of their keys (never values)."
  type QualityRuleFailures {
    item: String!
    rule: QualityRule!
    records: Int!
    sampleKeys: [String!]!
  }

  "One inspection of one dataset."
  type QualityRun {
    id: ID!
    dataset: String!
    department: String!
    "department/user who ran it (naming the department a service unit acted for), or schedule."
    triggeredBy: String!
    startedAt: String!
    finishedAt: String!
    records: Int!
    "Required values present, of required values expected."
    completeness: QualityRate!
    "Present values passing every format rule (pattern, values, range, check character, uniqueness), of present values with rules."
    validity: QualityRate!
    "Copied values equal to the authoritative record, of copied values compared."
    consistency: QualityRate!
    "1 of 1 when the newest lastUpdated date is within the update cycle, 0 of 1 when older; 0 of 0 when not measured."
    timeliness: QualityRate!
    newestUpdate: String
    failures: [QualityRuleFailures!]!
    "Data error reports this run opened to authoritative providers."
    reportsOpened: Int!
  }

  extend type Scorecard {
    "The latest inspection of each of the department's datasets."
    quality: [QualityRun!]!
  }

  "A table (column null) or a column of a department's database that no published entry binds."
  type UncataloguedColumn {
    table: String!
    column: String
  }

  "Temporary collection a reviewer exempted from the uncatalogued list until expiresOn."
  type CollectionExemption {
    id: ID!
    department: String!
    table: String!
    column: String
    reason: String!
    expiresOn: String!
    grantedBy: String!
    grantedAt: String!
  }

  type CollectionFindings {
    department: String!
    uncatalogued: [UncataloguedColumn!]!
    exemptions: [CollectionExemption!]!
  }

  input CollectionExemptionInput {
    department: String!
    table: String!
    "None: the whole table."
    column: String
    reason: String!
    "Last day of the exemption (YYYY-MM-DD), at most a year ahead."
    expiresOn: String!
  }

  enum ComplianceMeasure {
    OVERDUE_CATALOGUE_UPDATES
    APPLICATIONS_ANSWERED_ON_TIME
    QUALITY_COMPLETENESS
    QUALITY_VALIDITY
    QUALITY_CONSISTENCY
    QUALITY_TIMELINESS
    ERROR_REPORTS_ANSWERED_ON_TIME
    UNCATALOGUED_COLUMNS
  }

  enum ComplianceVerdict {
    PASS
    FAIL
    NO_DATA
  }

  type ComplianceFinding {
    measure: ComplianceMeasure!
    "REGISTRATION, SHARING, QUALITY, ERROR_CORRECTION or COLLECTION."
    area: String!
    "AT_MOST (a count) or AT_LEAST (a share) the threshold."
    judged: String!
    value: Float
    threshold: Float!
    verdict: ComplianceVerdict!
    "What the value was computed from, with the counts."
    evidence: String!
  }

  "A department's compliance report for [from, to): the basis for project acceptance and funding decisions."
  type ComplianceReport {
    department: String!
    from: String!
    to: String!
    computedAt: String!
    "FAIL when any finding fails."
    verdict: ComplianceVerdict!
    findings: [ComplianceFinding!]!
    "The report as CSV, to download."
    csv: String!
    "The report as a self-contained HTML page, to download or print to PDF."
    html: String!
  }

  type ComplianceThreshold {
    measure: ComplianceMeasure!
    threshold: Float!
  }

  enum ServiceUnitDuty {
    CATALOGUING
    ANSWERING_APPLICATIONS
    OPERATING_SUBGRAPH
  }

  "A department's authorization of a technical service unit (技术服务单位) to act for it."
  type ServiceUnitAuthorization {
    id: ID!
    "The unit's code: the department its credentials name."
    unit: String!
    department: String!
    duties: [ServiceUnitDuty!]!
    validFrom: String!
    validUntil: String!
    status: String!
    grantedBy: String!
    grantedAt: String!
    revokedBy: String
    revokedAt: String
    revokeReason: String
  }

  input ServiceUnitInput {
    unit: String!
    department: String!
    duties: [ServiceUnitDuty!]!
    "First day (YYYY-MM-DD)."
    validFrom: String!
    "Day the authorization ends (exclusive, YYYY-MM-DD)."
    validUntil: String!
  }

  "A technical service unit's own scorecard for [from, to)."
  type ServiceUnitScorecard {
    unit: String!
    from: String!
    to: String!
    authorizations: [ServiceUnitAuthorization!]!
    applicationsAnswered: Int!
    "Of those, answered after the applicant's deadline."
    applicationsAnsweredLate: Int!
    catalogueVersionsCreated: Int!
    departmentsServed: [String!]!
  }

  extend type Query {
    "The platform's data element dictionary."
    dataElements: [DataElement!]!
    "Inspections, newest first, of one dataset or of one department's datasets: its DEPT_IT (or a unit it authorizes to operate its subgraph), reviewers and admins."
    qualityRuns(dataset: String, department: String, first: Int! = 20): [QualityRun!]!
    "Tables and columns of a department's database that no published entry binds: reviewers and admins any department, DEPT_IT its own."
    uncataloguedCollection(department: String!): CollectionFindings!
    "A department's compliance report for [from, to) (dates YYYY-MM-DD): reviewers and admins any department, DEPT_IT its own."
    complianceReport(department: String!, from: String!, to: String!): ComplianceReport!
      @cost(weight: ${TRAIL_AGGREGATE_COST})
    "Service unit authorizations: admins and reviewers all, others those naming their department or unit."
    serviceUnitAuthorizations: [ServiceUnitAuthorization!]!
    "A service unit's work for the departments it serves (dates YYYY-MM-DD): the unit itself, reviewers and admins."
    serviceUnitScorecard(unit: String!, from: String!, to: String!): ServiceUnitScorecard!
  }

  extend type Mutation {
    "Inspects a published dataset now: its DEPT_IT (or an authorized unit), reviewers and admins."
    runQualityInspection(dataset: String!): QualityRun!
    "A reviewer exempts temporary collection from the uncatalogued list until a day."
    exemptCollection(input: CollectionExemptionInput!): CollectionExemption!
    "An admin sets the threshold of a compliance measure."
    setComplianceThreshold(measure: ComplianceMeasure!, threshold: Float!): ComplianceThreshold!
    "A department's IT (for its department) or an admin authorizes a technical service unit."
    authorizeServiceUnit(input: ServiceUnitInput!): ServiceUnitAuthorization!
    "The authorizing department or an admin revokes an authorization, saying why."
    revokeServiceUnit(id: ID!, reason: String!): ServiceUnitAuthorization!
  }
`;
