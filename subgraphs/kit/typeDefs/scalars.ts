import type { ItemType } from '../../../schema/index.ts';

/** The GraphQL scalar each item type is served as. Dates are ISO 8601 strings. */
export const ITEM_SCALAR: Readonly<Record<ItemType, string>> = {
  STRING: 'String',
  INT: 'Int',
  FLOAT: 'Float',
  BOOLEAN: 'Boolean',
  DATE: 'String',
  DATETIME: 'String',
};

/** The filter input each item type is filtered with. */
export const ITEM_FILTER: Readonly<Record<ItemType, string>> = {
  STRING: 'StringFilter',
  INT: 'IntFilter',
  FLOAT: 'FloatFilter',
  BOOLEAN: 'BooleanFilter',
  DATE: 'DateFilter',
  DATETIME: 'DateFilter',
};

/**
 * The shared filter and paging types. Every subgraph declares the ones it uses
 * with exactly this text, so composition merges them.
 */
export const SHARED_TYPES: Readonly<Record<string, string>> = {
  PageInfo: `"Where a page of a list ends and whether another follows."
type PageInfo @shareable {
  "True when another page follows; pass endCursor as after to get it."
  hasNextPage: Boolean!
  "Cursor of the last row of this page."
  endCursor: String
}`,
  StringFilter: `"Conditions on a text item; all given conditions must hold."
input StringFilter {
  eq: String
  "At most 100 values."
  in: [String!]
  "Matches the start of the text literally (no wildcards)."
  startsWith: String
}`,
  IntFilter: `"Conditions on an integer item; all given conditions must hold."
input IntFilter {
  eq: Int
  "At most 100 values."
  in: [Int!]
  gt: Int
  gte: Int
  lt: Int
  lte: Int
}`,
  FloatFilter: `"Conditions on a decimal item; all given conditions must hold."
input FloatFilter {
  eq: Float
  "At most 100 values."
  in: [Float!]
  gt: Float
  gte: Float
  lt: Float
  lte: Float
}`,
  BooleanFilter: `"Conditions on a yes/no item."
input BooleanFilter {
  eq: Boolean
}`,
  DateFilter: `"Conditions on a date item given as YYYY-MM-DD (or an ISO 8601 date-time)."
input DateFilter {
  eq: String
  "At most 100 values."
  in: [String!]
  gt: String
  gte: String
  lt: String
  lte: String
}`,
};

/** Largest `in` list a filter accepts. */
export const MAX_IN_VALUES = 100;
