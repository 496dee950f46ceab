import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { subgraphUrls } from '../subgraphUrls.ts';

/** The subgraphs' URLs come from the supergraph's join__Graph enum, however it is laid out. */
const SUPERGRAPH = readFileSync(
  join(import.meta.dirname, '..', '..', '..', 'schema', 'supergraph.graphql'),
  'utf8',
);

describe('subgraphUrls', () => {
  it("reads every subgraph's URL from the composed supergraph", () => {
    const urls = subgraphUrls(SUPERGRAPH);
    expect(urls.get('public_security')).toMatch(/^http:\/\/.+\/graphql$/);
    expect([...urls.keys()].sort()).toEqual([
      'business_environment',
      'city_water',
      'development_reform',
      'market_supervision',
      'natural_resources',
      'platform',
      'public_security',
    ]);
  });

  it('reads the same from a supergraph printed on one line, parsing it whole', () => {
    const oneLine = SUPERGRAPH.replace(/\n\}/g, ' }');
    expect(oneLine).not.toContain('\n}');
    expect(subgraphUrls(oneLine)).toEqual(subgraphUrls(SUPERGRAPH));
  });

  it('finds nothing in a document without the enum', () => {
    expect(subgraphUrls('type Query { a: Int }').size).toBe(0);
  });
});
