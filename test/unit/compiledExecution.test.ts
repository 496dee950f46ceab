import { ApolloServer, type BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledSchemaGateway } from '../../server/http/compiledExecution.ts';

/**
 * The compiled executor of department subgraphs answers every operation as
 * graphql-js does through Apollo Server: the same data, the same errors with
 * their paths, codes and HTTP status, nulls carried up to the nearest
 * nullable field, abstract types, fragments under `@skip`/`@include`, and a
 * field under the alias `__proto__`.
 */
const schema = makeExecutableSchema({
  typeDefs: /* GraphQL */ `
    type Query {
      person(id: ID!): Person
      people(first: Int!): [Person!]!
      entity(id: ID!): Entity
      refused: String
      broken: String
      required: String!
    }
    union Entity = Person | Licence
    type Person {
      id: ID!
      name: String
      licences: [Licence!]!
      secret: String
    }
    type Licence {
      number: String!
      holder: Person
      missing: String!
    }
  `,
  resolvers: {
    Query: {
      person: (_: unknown, { id }: { id: string }) => PEOPLE.find((p) => p.id === id) ?? null,
      people: (_: unknown, { first }: { first: number }) => Promise.resolve(PEOPLE.slice(0, first)),
      entity: (_: unknown, { id }: { id: string }) =>
        PEOPLE.find((p) => p.id === id) ?? LICENCES.find((l) => l.number === id) ?? null,
      refused: () => {
        throw new GraphQLError('Not shared with you.', { extensions: { code: 'FORBIDDEN' } });
      },
      broken: () => {
        throw new Error('SELECT * FROM people failed');
      },
      required: () => null,
    },
    Entity: {
      __resolveType: (value: object) => ('number' in value ? 'Licence' : 'Person'),
    },
    Person: {
      licences: (person: { id: string }) =>
        Promise.resolve(LICENCES.filter((l) => l.holder === person.id)),
      secret: (person: { id: string }) => {
        if (person.id === 'p2')
          throw new GraphQLError('Masked.', { extensions: { code: 'FORBIDDEN' } });
        return `s-${person.id}`;
      },
    },
    Licence: {
      holder: (licence: { holder: string }) => PEOPLE.find((p) => p.id === licence.holder),
      missing: () => null,
    },
  },
});

const PEOPLE = [
  { id: 'p1', name: '张三' },
  { id: 'p2', name: '李四' },
  { id: 'p3', name: null },
];
const LICENCES = [
  { number: 'L1', holder: 'p1' },
  { number: 'L2', holder: 'p1' },
  { number: 'L3', holder: 'p2' },
];

const OPERATIONS: { query: string; variables?: Record<string, unknown> }[] = [
  { query: '{ person(id: "p1") { id name licences { number } } }' },
  { query: '{ people(first: 3) { name secret licences { number holder { name } } } }' },
  {
    query:
      'query ($id: ID!) { entity(id: $id) { __typename ... on Person { name } ... on Licence { number } } }',
    variables: { id: 'L2' },
  },
  {
    query:
      '{ a: entity(id: "p3") { ...P } b: entity(id: "L1") { ...L } } fragment P on Person { id name } fragment L on Licence { number holder { id } }',
  },
  { query: '{ refused person(id: "p2") { secret } }' },
  { query: '{ broken }' },
  { query: '{ required person(id: "p1") { id } }' },
  { query: '{ people(first: 2) { licences { number missing } } }' },
  {
    query:
      'query ($s: Boolean!) { person(id: "p1") { ...F @skip(if: $s) id licences @include(if: $s) { number } } } fragment F on Person { name licences { holder { id } } }',
    variables: { s: true },
  },
  {
    query:
      'query ($s: Boolean!) { person(id: "p1") { ...F @skip(if: $s) id licences @include(if: $s) { number } } } fragment F on Person { name licences { holder { id } } }',
    variables: { s: false },
  },
  {
    query:
      '{ __proto__: person(id: "p1") { __proto__: name id } people(first: 1) { __proto__: licences { number } } }',
  },
  { query: 'query ($n: Int!) { people(first: $n) { id } }', variables: { n: 'many' } },
  { query: 'query ($n: Int!) { people(first: $n) { id } }', variables: {} },
  { query: 'query One { person(id: "p1") { id } } query Two { person(id: "p2") { name } }' },
];

let interpreted: ApolloServer<BaseContext>;
let compiled: ApolloServer<BaseContext>;

beforeAll(async () => {
  const common = { includeStacktraceInErrorResponses: false, stopOnTerminationSignals: false };
  interpreted = new ApolloServer({ schema, ...common });
  compiled = new ApolloServer({
    gateway: compiledSchemaGateway(schema),
    ...common,
  });
  await Promise.all([interpreted.start(), compiled.start()]);
});

afterAll(async () => {
  await Promise.all([interpreted?.stop(), compiled?.stop()]);
});

describe('compiled execution (graphql-jit) against graphql-js', () => {
  it.each(OPERATIONS.map((operation, index) => [index, operation] as const))(
    'answers operation %i as graphql-js does',
    async (_, operation) => {
      for (const operationName of operation.query.includes('query One')
        ? ['One', 'Two']
        : [undefined]) {
        const request = { ...operation, ...(operationName ? { operationName } : {}) };
        // Twice: the second answer comes from the operation compiled by the first.
        for (let turn = 0; turn < 2; turn++) {
          const [expected, actual] = await Promise.all([
            interpreted.executeOperation(request),
            compiled.executeOperation(request),
          ]);
          expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
        }
      }
    },
  );

  it('keeps an error thrown by a resolver a GraphQLError with its path and code', async () => {
    const response = await compiled.executeOperation({
      query: '{ people(first: 3) { id secret } }',
    });
    const body = response.body as { kind: 'single'; singleResult: { errors?: unknown[] } };
    expect(body.singleResult.errors).toEqual([
      expect.objectContaining({
        message: 'Masked.',
        path: ['people', 1, 'secret'],
        extensions: { code: 'FORBIDDEN' },
      }),
    ]);
  });
});
