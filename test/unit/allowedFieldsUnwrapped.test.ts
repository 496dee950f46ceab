import type { GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadPlatformCatalogue } from '../../scripts/platform/index.ts';
import { buildDepartmentSubgraph } from '../../subgraphs/kit/index.ts';

/**
 * A field whose rule always allows (a row's join handle, `_entities`, page
 * info) resolves as its resolver does, with no graphql-shield wrapper: through
 * shield, each call awaited the rule, a promise per row of a list. Whether such
 * fields are served at all is held by the e2e tests; this holds that they cost
 * no more than their resolver.
 */
describe('fields every caller may read', () => {
  const subgraph = buildDepartmentSubgraph(loadPlatformCatalogue(), 'public_security', {
    maxPageSize: 100,
  });
  const person = subgraph.schema.getType('Person') as GraphQLObjectType;

  it("answer a row's join handle from the resolver itself, not a promise", () => {
    const handles = { seal: (type: string, key: unknown) => `${type}:${String(key)}` };
    const resolve = person.getFields().joinHandle!.resolve!;
    const row = { idNumber: '110101199001011234' };
    const answer = resolve(row, {}, { handles, access: null }, {} as never);
    expect(answer).not.toBeInstanceOf(Promise);
    expect(answer).toBe('Person:110101199001011234');
  });
});
