/**
 * The platform schema's part on data error reports (数据纠错) from consuming departments,
 * and the provider's answers.
 * `typeDefs.ts` joins the parts into the platform subgraph's SDL.
 */
import { MAX_LIST_PAGE } from './declaredCosts.ts';
export const DATA_ERROR_TYPE_DEFS = /* GraphQL */ `
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

  extend type Query {
    "Data error reports your department made or received; reviewers and admins see all. Newest first; a page of up to limit (1 to 200) after offset, or all of them without a limit when there are at most 200."
    dataErrorReports(status: DataErrorStatus, offset: Int = 0, limit: Int): [DataErrorReport!]!
      @listSize(assumedSize: ${MAX_LIST_PAGE}, slicingArguments: ["limit"], requireOneSlicingArgument: false)
    "Data error reports still OPEN after their deadline."
    overdueDataErrorReports: [DataErrorReport!]!
  }

  extend type Mutation {
    "APP_DEVELOPER or DEPT_IT of a consuming department: report a suspected error in a record's item to its provider."
    reportDataError(input: DataErrorReportInput!): DataErrorReport!
    "DEPT_IT of the provider: answer an OPEN report, once; REJECTED and NOT_AN_ERROR need a reason."
    answerDataError(id: ID!, outcome: DataErrorOutcome!, reason: String): DataErrorReport!
  }
`;
