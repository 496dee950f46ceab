/**
 * The platform schema's part on grants and their conditions (items, masks, row filter,
 * purposes, modes, period, quota), and their change log.
 * `typeDefs.ts` joins the parts into the platform subgraph's SDL.
 */
import { MAX_LIST_PAGE } from './declaredCosts.ts';
export const GRANT_TYPE_DEFS = /* GraphQL */ `
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

  extend type Query {
    "Grants you hold or gave; reviewers and admins see all. In id order; a page of up to limit (1 to 200) after offset, or all of them without a limit when there are at most 200."
    grants(
      dataset: String
      consumerDepartment: String
      status: GrantStatus
      offset: Int = 0
      limit: Int
    ): [Grant!]! @listSize(assumedSize: ${MAX_LIST_PAGE}, slicingArguments: ["limit"], requireOneSlicingArgument: false)
    grant(id: ID!): Grant
    "Active grants ending within the given number of days."
    expiringGrants(withinDays: Int = 30): [Grant!]!
    "The change log of grants (reviewers and admins)."
    grantChanges(grantId: ID): [GrantChange!]!
  }

  extend type Mutation {
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
  }
`;
