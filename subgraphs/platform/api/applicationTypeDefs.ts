/**
 * The platform schema's part on sharing applications: applying for a CONDITIONAL dataset,
 * and the provider's answer.
 * `typeDefs.ts` joins the parts into the platform subgraph's SDL.
 */
import { MAX_LIST_PAGE } from './declaredCosts.ts';
export const APPLICATION_TYPE_DEFS = /* GraphQL */ `
  enum ApplicationStatus {
    SUBMITTED
    APPROVED
    REJECTED
    WITHDRAWN
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

  extend type Query {
    "Applications you made (APP_DEVELOPER) or received (DEPT_IT); reviewers and admins see all. Newest first; a page of up to limit (1 to 200) after offset, or all of them without a limit when there are at most 200."
    sharingApplications(
      status: ApplicationStatus
      offset: Int = 0
      limit: Int
    ): [SharingApplication!]! @listSize(assumedSize: ${MAX_LIST_PAGE}, slicingArguments: ["limit"], requireOneSlicingArgument: false)
    sharingApplication(id: ID!): SharingApplication
    "Applications still unanswered after their deadline."
    overdueSharingApplications: [SharingApplication!]!
  }

  extend type Mutation {
    "APP_DEVELOPER: apply for a CONDITIONAL dataset."
    applyForAccess(input: ApplicationInput!): SharingApplication!
    "DEPT_IT of the provider: approve with conditions; creates the grant the rules enforce."
    approveSharingApplication(id: ID!, conditions: GrantConditionsInput!): SharingApplication!
    "DEPT_IT of the provider: reject, saying why."
    rejectSharingApplication(id: ID!, reason: String!): SharingApplication!
    "APP_DEVELOPER of the applying department: withdraw an unanswered application."
    withdrawSharingApplication(id: ID!): SharingApplication!
  }
`;
