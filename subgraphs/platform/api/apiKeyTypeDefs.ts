/**
 * The platform schema's API key part: admins list, issue and revoke the API
 * keys applications send as `X-Api-Key` (what `npm run apikey` does on the
 * command line). Extends the types of typeDefs.ts.
 */
export const API_KEY_TYPE_DEFS = /* GraphQL */ `
  "An application's API key as it may be shown anywhere: never its secret, nor the secret's hash."
  type ApiKey {
    id: ID!
    department: String!
    application: String
    user: String
    "The roles the key's caller holds (APP_DEVELOPER, DEPT_IT, REVIEWER, ADMIN)."
    roles: [String!]!
    label: String!
    createdAt: String!
    "When it stops working: every key expires (90 days after issue unless asked otherwise)."
    expiresAt: String
    revokedAt: String
    "Who issued it (department/user), or cli for the command line; null for keys issued before this was recorded."
    issuedBy: String
    revokedBy: String
    "Neither revoked nor expired."
    active: Boolean!
  }

  "A key just issued: the whole key, shown this once (only its hash is stored), and the key as listed."
  type IssuedApiKey {
    "Send it as the X-Api-Key header. It cannot be shown again: store it now."
    secret: String!
    apiKey: ApiKey!
  }

  input ApiKeyInput {
    "The department the key's caller belongs to, e.g. civil_affairs."
    department: String!
    "The application the key is for, e.g. relief-app (letters, digits, . _ -; up to 64)."
    application: String!
    "The roles the key carries; default APP_DEVELOPER."
    roles: [String!] = ["APP_DEVELOPER"]
    "A note shown in the list (up to 128 characters); default department/application."
    label: String
    "Days the key is valid, 1 to 365; default 90. Issue its successor before it expires."
    validDays: Int = 90
  }

  extend type Query {
    "ADMIN: issued API keys, oldest first, optionally of one department, a page at a time (limit up to 200)."
    apiKeys(department: String, offset: Int = 0, limit: Int = 50): [ApiKey!]!
      @listSize(assumedSize: 200, slicingArguments: ["limit"], requireOneSlicingArgument: false)
  }

  extend type Mutation {
    "ADMIN: issue an API key; the answer carries the whole key, once."
    issueApiKey(input: ApiKeyInput!): IssuedApiKey!
    "ADMIN: revoke a key by its id; every gateway refuses it within seconds."
    revokeApiKey(id: ID!): ApiKey!
  }
`;

/** The object types of API_KEY_TYPE_DEFS: their fields show what the root field already allowed. */
export const API_KEY_OBJECT_TYPES = ['ApiKey', 'IssuedApiKey'];
