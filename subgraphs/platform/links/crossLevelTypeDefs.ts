/**
 * The SDL of the cross-level subgraph: links between platforms (administrators),
 * the directory across levels, and `otherLevel` on each entity type of this
 * platform — a dataset of a linked platform about this entity, read under the
 * grants the caller holds there.
 */
export function crossLevelTypeDefs(entityTypes: readonly string[]): string {
  const entities = entityTypes.map(
    (type) => `"${type}: its records in datasets of linked platforms."
type ${type} @key(fields: "joinHandle") {
  joinHandle: ID!
  """
  Records of dataset \`dataset\` of linked platform \`platform\` that refer to this ${type}: the
  items asked, as that platform's grants to your department show them (masked where they say),
  decided, counted and audited there. \`grant\` names one of your grants there.
  """
  otherLevel(platform: String!, dataset: String!, items: [String!]!, grant: String): OtherLevelRecords
}`,
  );
  return `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

"The two levels that run platforms; counties and townships are departments of their city's."
enum PlatformLevel { PROVINCIAL MUNICIPAL }

enum PlatformLinkStatus { ACTIVE SUSPENDED }

"This platform, as its administrator described it, with the key linked platforms register for it."
type ThisPlatform {
  code: String!
  name: String!
  level: PlatformLevel!
  regionCode: String!
  "The Ed25519 public key (JWK x) this platform signs link requests with."
  linkPublicKey: String!
  "The next key, once a rotation is prepared: register it at every linked platform, then activate."
  nextLinkPublicKey: String
}

"Another platform, as this platform's administrator registered it."
type PlatformLink {
  code: String!
  name: String!
  level: PlatformLevel!
  regionCode: String!
  gatewayUrl: String!
  publicKeys: [String!]!
  status: PlatformLinkStatus!
  registeredBy: String!
  registeredAt: String!
  changedBy: String!
  changedAt: String!
  changeReason: String
}

input PlatformLinkInput {
  code: String!
  name: String!
  level: PlatformLevel!
  regionCode: String!
  "The other platform's gateway GraphQL URL."
  gatewayUrl: String!
  "Its link public keys (its thisPlatform.linkPublicKey)."
  publicKeys: [String!]!
}

"A catalogue entry in the directory across levels: this platform's own, or a linked platform's."
type DirectoryEntry {
  platform: String!
  level: PlatformLevel!
  code: String!
  title: String!
  department: String!
  departmentRegion: String!
  sharingType: String!
  "When it was harvested from its platform; null for this platform's own entries."
  harvestedAt: String
  "One-source data elements this platform takes the entry as the authoritative source of (one number, one source across levels): a harvested entry's claim on an element this platform already holds is not taken (see authorityConflicts). Own elements (Type.item) in lower case."
  authoritativeFor: [String!]!
}

"A linked platform's harvested entry claiming to be the authoritative source of an element this platform (or a linked platform before it) already holds: not taken into the directory as authoritative."
type AuthorityConflict {
  platform: String!
  entry: String!
  item: String!
  department: String!
  "The element, as compared: a dictionary code, or Type.item in lower case."
  element: String!
  "Who holds it: CODE.item (department) on this platform, or platform:CODE.item (department)."
  heldBy: String!
}

type OtherLevelValue {
  item: String!
  value: String
}

type OtherLevelRecord {
  values: [OtherLevelValue!]!
}

type OtherLevelRecords {
  platform: String!
  dataset: String!
  "The id both platforms' audit trails record this access under."
  correlationId: String!
  records: [OtherLevelRecord!]!
}

input OtherLevelApplicationInput {
  dataset: String!
  items: [String!]!
  purpose: String!
  scenario: String!
  legalBasis: String!
  requestedFrom: String!
  requestedUntil: String!
  modes: [String!]!
}

"A sharing application held by a linked platform (the dataset's own), seen from this one."
type OtherLevelApplication {
  platform: String!
  id: ID!
  dataset: String!
  "Your department as the owner knows it: <this platform>:<department>."
  consumerDepartment: String!
  status: String!
  correlationId: String!
}

type Query {
  "APP_DEVELOPER: your application on a linked platform, as that platform answers it."
  otherLevelApplication(platform: String!, id: ID!): OtherLevelApplication
  "ADMIN: this platform as linked platforms know it; null until described."
  thisPlatform: ThisPlatform
  "ADMIN: every linked platform."
  platformLinks: [PlatformLink!]!
  "Any department: published entries of this platform and of linked platforms, by words of code, title or department."
  directory(search: String, platform: String): [DirectoryEntry!]!
  "ADMIN or REVIEWER: harvested claims of authority that conflict with this platform's (one number, one source across levels)."
  authorityConflicts: [AuthorityConflict!]!
}

type Mutation {
  "APP_DEVELOPER: applies for a linked platform's dataset; the application is made and answered there."
  applyToOtherLevel(platform: String!, input: OtherLevelApplicationInput!): OtherLevelApplication!
  "ADMIN: describes this platform (once, before linking)."
  describeThisPlatform(code: String!, name: String!, level: PlatformLevel!, regionCode: String!): ThisPlatform!
  "ADMIN: registers (or re-registers) another platform. Nothing crosses until its administrator registers this one too."
  registerPlatformLink(link: PlatformLinkInput!): PlatformLink!
  "ADMIN: suspends a link at once, both ways: its requests are refused and none are sent."
  suspendPlatformLink(code: String!, reason: String!): PlatformLink!
  "ADMIN: resumes a suspended link."
  resumePlatformLink(code: String!, reason: String!): PlatformLink!
  "ADMIN: replaces the keys a linked platform's requests may be signed with (its rotation)."
  setPlatformLinkKeys(code: String!, publicKeys: [String!]!, reason: String!): PlatformLink!
  "ADMIN: makes this platform's next link key; register it at every linked platform before activating."
  prepareLinkKeyRotation: ThisPlatform!
  "ADMIN: signs with the prepared key from now on."
  activateLinkKeyRotation: ThisPlatform!
}

${entities.join('\n\n')}
`;
}
