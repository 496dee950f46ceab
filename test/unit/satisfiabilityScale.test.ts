import { Edge } from '@apollo/query-graphs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { composeSupergraph, CompositionError } from '../../schema/index.ts';
import { LINK } from '../support/composableSubgraphs.ts';

/**
 * Composition's satisfiability check, as patched (patches/@apollo+query-graphs+*.patch): a
 * field's edges are found by its name, not by scanning every edge out of a type, which made the
 * check quadratic in a province's root fields (100 departments, 10,000 entries: 190 s of CPU).
 * The patch must be in force after `npm install`, and must refuse what the check refused.
 */
describe('satisfiability at a province’s size', () => {
  afterEach(() => vi.restoreAllMocks());

  /** A subgraph with `fields` root fields, each returning its own entity type. */
  const wide = (name: string, fields: number) => ({
    name,
    url: `http://127.0.0.1:4100/${name}`,
    typeDefs: [
      LINK,
      `type Query {\n${Array.from({ length: fields }, (_, i) => `  ${name}${i}(id: ID!): ${name.toUpperCase()}${i}`).join('\n')}\n}`,
      ...Array.from(
        { length: fields },
        (_, i) => `type ${name.toUpperCase()}${i} @key(fields: "id") { id: ID! value: String }`,
      ),
    ].join('\n'),
  });

  it('finds each root field’s edge by name: edge checks grow with the fields, not their square', () => {
    const checks = vi.spyOn(Edge.prototype, 'matchesSupergraphTransition');
    const fields = 300;
    composeSupergraph([wide('a', fields), wide('b', fields)]);
    // Scanning: each of the 600 root fields against both subgraphs' 300 root edges, 360,000
    // checks. Found by name: about one per field and per field of the types they return.
    expect(checks.mock.calls.length).toBeGreaterThan(0);
    expect(checks.mock.calls.length).toBeLessThan(20 * 2 * fields);
  });

  it('still refuses a field no subgraph can reach, among many root fields', () => {
    const many = Array.from({ length: 40 }, (_, i) => `  f${i}: T`).join('\n');
    const attempt = () =>
      composeSupergraph([
        {
          name: 'a',
          url: 'http://127.0.0.1:4100/a',
          typeDefs: `${LINK}\ntype Query {\n  t: T\n${many}\n}\ntype T @key(fields: "id") { id: ID! x: Int }`,
        },
        {
          name: 'b',
          url: 'http://127.0.0.1:4100/b',
          typeDefs: `${LINK}\ntype Query { u: Int }\ntype T @key(fields: "id", resolvable: false) { id: ID! y: Int }`,
        },
      ]);
    expect(attempt).toThrow(CompositionError);
    expect(attempt).toThrow(/cannot be satisfied[\s\S]*cannot find field "T\.y"/);
  });
});
