/**
 * The platform schema's part on the catalogue and its review: entries, their items and
 * versions, search, review and DCAT-AP.
 * `typeDefs.ts` joins the parts into the platform subgraph's SDL.
 */
import { WHOLE_CATALOGUE_COST } from './declaredCosts.ts';
export const CATALOGUE_TYPE_DEFS = /* GraphQL */ `
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

  extend type Query {
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
    dcatCatalogue: String! @cost(weight: ${WHOLE_CATALOGUE_COST})
  }

  extend type Mutation {
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
  }
`;
