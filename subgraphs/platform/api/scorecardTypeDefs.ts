/**
 * The platform schema's part on department scorecards: the supervision figures of a
 * department over a period.
 * `typeDefs.ts` joins the parts into the platform subgraph's SDL.
 */
import { TRAIL_AGGREGATE_COST } from './declaredCosts.ts';
export const SCORECARD_TYPE_DEFS = /* GraphQL */ `
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

  extend type Query {
    "Supervision figures of a department for [from, to) (dates YYYY-MM-DD): reviewers and admins any department, DEPT_IT its own."
    departmentScorecard(department: String!, from: String!, to: String!): Scorecard!
      @cost(weight: ${TRAIL_AGGREGATE_COST})
  }
`;
