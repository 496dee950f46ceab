import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { estimateCost, OperationCosts } from '../operationCost.ts';

const SDL = `
  type Query {
    person(id: ID!): Person
    people(first: Int = 20): PersonConnection!
  }
  type Person { id: ID! name: String licences: [Licence!]! }
  type Licence { number: String }
  type PersonConnection { nodes: [Person!]! pageInfo: PageInfo! }
  type PageInfo { hasNextPage: Boolean! }
`;

const PEOPLE = parse(`
  query People($n: Int, $withLicences: Boolean!, $id: ID!) {
    people(first: $n) { nodes { id licences @include(if: $withLicences) { number } } }
    person(id: $id) { name }
  }
`);

describe('OperationCosts', () => {
  it('keeps estimates by the variables the estimate reads, and gives what a fresh walk gives', () => {
    const schema = buildSchema(SDL);
    const costs = new OperationCosts();
    const cases: Record<string, unknown>[] = [
      { n: 5, withLicences: true, id: 'a' },
      { n: 5, withLicences: true, id: 'b' },
      { n: 50, withLicences: true, id: 'a' },
      { n: 50, withLicences: false, id: 'a' },
      { withLicences: false, id: 'c' },
      { n: null, withLicences: false, id: 'c' },
    ];
    // Twice over, so the second pass answers from what the first kept.
    for (const variables of [...cases, ...cases]) {
      expect(costs.cost(schema, PEOPLE, 'h', 'People', variables)).toBe(
        estimateCost(schema, PEOPLE, 'People', variables),
      );
    }
    const small = costs.cost(schema, PEOPLE, 'h', 'People', cases[0]!);
    expect(costs.cost(schema, PEOPLE, 'h', 'People', cases[2]!)).toBeGreaterThan(small);
    expect(costs.cost(schema, PEOPLE, 'h', 'People', cases[3]!)).toBeLessThan(
      costs.cost(schema, PEOPLE, 'h', 'People', cases[2]!),
    );
  });

  it('refuses variables that do not fit every time, never from a kept estimate', () => {
    const schema = buildSchema(SDL);
    const costs = new OperationCosts();
    const bad = { n: 'many', withLicences: true, id: 'a' };
    for (let i = 0; i < 2; i++) {
      expect(() => costs.cost(schema, PEOPLE, 'h', 'People', bad)).toThrow(/Int/);
    }
  });

  it('forgets what it kept when the schema changes', () => {
    const costs = new OperationCosts();
    const document = parse('{ people { nodes { licences { number } } } }');
    const before = costs.cost(buildSchema(SDL), document, 'h2', null, {});
    const after = costs.cost(
      buildSchema(SDL.replace('people(first: Int = 20)', 'people(first: Int = 90)')),
      document,
      'h2',
      null,
      {},
    );
    expect(after).toBeGreaterThan(before);
  });
});
