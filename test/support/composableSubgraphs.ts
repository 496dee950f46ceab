/**
 * Three small Federation 2 subgraphs for composition tests: two that compose
 * (`people`, and `licences` adding a field to its Person), and `clash`, whose
 * `Query.person` disagrees with `people`'s.
 */
export const LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';

export const people = {
  name: 'people',
  url: 'http://127.0.0.1:4101/graphql',
  typeDefs: `${LINK}\ntype Query { person(id: ID!): Person }\ntype Person @key(fields: "id") { id: ID! name: String }`,
};

export const licences = {
  name: 'licences',
  url: 'http://127.0.0.1:4102/graphql',
  typeDefs: `${LINK}\ntype Query { licence(no: ID!): String }\ntype Person @key(fields: "id") { id: ID! licences: [String!]! }`,
};

export const clash = {
  name: 'clash',
  url: 'http://127.0.0.1:4103/graphql',
  typeDefs: `${LINK}\ntype Query { person(id: ID!): Int }`,
};
