import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { getNullableType, isListType, parse, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { declaredCosts, estimateCost, OperationCosts } from '../operationCost.ts';

/** The composed supergraph the platform serves, and the API schema a gateway estimates on. */
const SUPERGRAPH = readFileSync(
  join(import.meta.dirname, '..', '..', '..', 'schema', 'supergraph.graphql'),
  'utf8',
);
const API: GraphQLSchema = Supergraph.build(SUPERGRAPH).apiSchema().toGraphQLJSSchema();
const DECLARED = declaredCosts(SUPERGRAPH);

const cost = (query: string, variables: Record<string, unknown> = {}) =>
  estimateCost(API, parse(query), null, variables, DECLARED);
const aliased = (n: number, field: string) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

describe('declared costs (the cost spec’s @cost and @listSize, read from the supergraph)', () => {
  it('are read from the supergraph, which the API schema has dropped them from', () => {
    expect(DECLARED.get('Query.auditCsv')).toEqual({ weight: 10_000 });
    expect(DECLARED.get('Query.dataErrorReports')).toEqual({
      assumedSize: 200,
      slicingArguments: ['limit'],
    });
    expect(API.getQueryType()!.getFields().auditCsv!.astNode?.directives ?? []).toEqual([]);
  });

  it('count a CSV of audit records at the records it may write, where a String was free', () => {
    expect(estimateCost(API, parse('{ auditCsv }'), null, {})).toBe(0);
    expect(cost('{ auditCsv }')).toBe(10_000);
    expect(cost(aliased(20, 'auditCsv'))).toBe(200_000);
    expect(cost('{ dcatCatalogue }')).toBe(1_000);
  });

  it('count a list paged by offset and limit at its limit, and at its most rows without one', () => {
    expect(cost('{ dataErrorReports(limit: 5) { id } }')).toBe(5);
    expect(cost('{ dataErrorReports { id } }')).toBe(200);
    expect(cost('query ($n: Int) { grants(limit: $n) { id } }', { n: 7 })).toBe(7);
    expect(cost(aliased(20, 'sharingApplications { id }'))).toBe(4_000);
    // A default limit counts as given.
    expect(cost('{ apiKeys { id } }')).toBe(50);
  });

  it('keeps estimates apart by the slicing argument’s variable', () => {
    const costs = new OperationCosts();
    costs.declare(SUPERGRAPH);
    const document = parse('query ($n: Int) { grants(limit: $n) { id } }');
    expect(costs.cost(API, document, 'h', null, { n: 3 })).toBe(3);
    expect(costs.cost(API, document, 'h', null, { n: 150 })).toBe(150);
    expect(costs.cost(API, document, 'h', null, {})).toBe(200);
  });

  it('leave no root list of the supergraph paged by offset and limit without a bound', () => {
    const unbounded = Object.values(API.getQueryType()!.getFields())
      .filter((f) => isListType(getNullableType(f.type)) && f.args.some((a) => a.name === 'limit'))
      .filter((f) => !DECLARED.get(`Query.${f.name}`)?.slicingArguments?.includes('limit'))
      .map((f) => f.name);
    expect(unbounded).toEqual([]);
  });
});
