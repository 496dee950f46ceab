import { describe, expect, it } from 'vitest';
import {
  IN_WORKER_FROM,
  composeSupergraph,
  composeSupergraphAsync,
  composeSupergraphInWorker,
  CompositionError,
} from '../../schema/index.ts';
import { clash, licences, LINK, people } from '../support/composableSubgraphs.ts';
import { watchEventLoop } from '../support/eventLoopWatch.ts';

/**
 * Composition in a worker thread gives what composition here gives: the same
 * supergraph, the same errors (with where they are); and large sets go there.
 */
describe('composeSupergraphInWorker', () => {
  it('gives the supergraph composition here gives', async () => {
    expect(await composeSupergraphInWorker([people, licences])).toBe(
      composeSupergraph([people, licences]),
    );
  });

  it('rejects subgraphs that do not compose with the same CompositionError', async () => {
    const here = (() => {
      try {
        composeSupergraph([people, clash]);
      } catch (error) {
        return error as CompositionError;
      }
    })();
    const there = await composeSupergraphInWorker([people, clash]).catch((e: unknown) => e);
    expect(there).toBeInstanceOf(CompositionError);
    expect((there as CompositionError).errors).toEqual(here!.errors);
    expect((there as CompositionError).message).toContain('(at clash:2, people:2)');
  });

  // Many types in one subgraph push the SDL past the threshold.
  const types = Array.from(
    { length: 1500 },
    (_, i) =>
      `"A padded description, so the SDL is large: ${'x'.repeat(120)}"\ntype T${i} @key(fields: "id") { id: ID! value: String }`,
  ).join('\n');
  const large = {
    name: 'large',
    url: 'http://127.0.0.1:4104/graphql',
    typeDefs: `${LINK}\ntype Query { t0(id: ID!): T0 }\n${types}`,
  };

  it('composes a set larger than the threshold in a worker, and gives the same answer', async () => {
    expect(large.typeDefs.length).toBeGreaterThan(IN_WORKER_FROM);
    expect(await composeSupergraphAsync([people, large])).toBe(composeSupergraph([people, large]));
  });

  it('leaves the event loop free while a large set composes', async () => {
    // Composing in place holds the loop for the whole composition: no tick can run.
    const here = performance.now();
    const inPlace = await watchEventLoop(async () => composeSupergraph([people, large]));
    const inPlaceMs = performance.now() - here;
    // In a worker the timer runs throughout, its gaps far shorter than that composition.
    const inWorker = await watchEventLoop(() => composeSupergraphAsync([people, large]));
    expect(inPlace.ticks).toBeLessThanOrEqual(1);
    expect(inWorker.ticks).toBeGreaterThan(5);
    expect(inWorker.longestGap).toBeLessThan(inPlaceMs / 2);
  });
});
