import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  composeSupergraph,
  composeSupergraphInWorker,
  CompositionError,
  type SubgraphDefinition,
} from '../../schema/index.ts';
import { licences, LINK, people } from '../support/composableSubgraphs.ts';

/**
 * Composition says its merged supergraph before it checks satisfiability (so
 * a gateway can take it up meanwhile): what it says is what it returns, what
 * Apollo's one-step composition gives, and a set that fails the check is still
 * refused after it was said.
 */
describe('the merged supergraph, said before satisfiability is checked', () => {
  /** Person.secret is only in a subgraph that cannot resolve Person: no plan reaches it. */
  const unreachable: SubgraphDefinition = {
    name: 'unreachable',
    url: 'http://127.0.0.1:4105/graphql',
    typeDefs: `${LINK}\ntype Person @key(fields: "id", resolvable: false) { id: ID! secret: String }`,
  };

  const apollo = (subgraphs: SubgraphDefinition[]) =>
    composeServices(subgraphs.map((s) => ({ ...s, typeDefs: parse(s.typeDefs) })));

  it('is the supergraph returned, and the one Apollo composes in one step', () => {
    const said: string[] = [];
    const sdl = composeSupergraph([people, licences], (merged) => said.push(merged));
    expect(said).toEqual([sdl]);
    expect(sdl).toBe(apollo([people, licences]).supergraphSdl);
  });

  it('is said, then the set is refused, when satisfiability fails', () => {
    expect(apollo([people, unreachable]).errors?.[0]?.extensions.code).toBe('SATISFIABILITY_ERROR');
    const said: string[] = [];
    expect(() => composeSupergraph([people, unreachable], (merged) => said.push(merged))).toThrow(
      CompositionError,
    );
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('secret: String');
  });

  it('comes from a worker thread before its outcome, and is what the worker returns', async () => {
    const said: string[] = [];
    const sdl = await composeSupergraphInWorker([people, licences], (merged) => said.push(merged));
    expect(said).toEqual([sdl]);
    const refused = await composeSupergraphInWorker([people, unreachable], (merged) =>
      said.push(merged),
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CompositionError);
    expect(said).toHaveLength(2);
  });
});
