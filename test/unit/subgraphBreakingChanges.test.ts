import { describe, expect, it } from 'vitest';
import {
  IN_WORKER_FROM,
  subgraphBreakingChanges,
  subgraphBreakingChangesAsync,
} from '../../schema/index.ts';
import { LINK, people } from '../support/composableSubgraphs.ts';
import { watchEventLoop } from '../support/eventLoopWatch.ts';

/**
 * What a new version of a subgraph breaks: the same answer here and in a
 * worker thread, and the comparison of a province-sized subgraph leaves the
 * event loop free.
 */
const withoutName = people.typeDefs.replace(' name: String', '');
const stricter = people.typeDefs.replace('name: String', 'name: String!');

/** A subgraph of `count` entity types, each described at length, and one of them without `value` when `dropped`. */
function large(count: number, dropped?: number): string {
  const types = Array.from(
    { length: count },
    (_, i) =>
      `"A padded description, so the SDL is large: ${'x'.repeat(120)}"\ntype T${i} @key(fields: "id") { id: ID!${i === dropped ? '' : ' value: String'} }`,
  ).join('\n');
  return `${LINK}\ntype Query { t0(id: ID!): T0 }\n${types}`;
}

describe('subgraphBreakingChanges', () => {
  it('names removed fields, and nullable fields made required are not breaking for readers', () => {
    const removed = subgraphBreakingChanges(people.typeDefs, withoutName);
    expect(removed).toEqual({
      builds: true,
      changes: [{ type: 'FIELD_REMOVED', description: 'Person.name was removed.' }],
    });
    expect(subgraphBreakingChanges(people.typeDefs, stricter)).toEqual({
      builds: true,
      changes: [],
    });
  });

  it('says when the new SDL does not build, and an old one that does not build breaks nothing', () => {
    expect(subgraphBreakingChanges(people.typeDefs, 'type Query {')).toEqual({ builds: false });
    expect(subgraphBreakingChanges('type Query {', people.typeDefs)).toEqual({
      builds: true,
      changes: [],
    });
  });

  it('compares several pairs past the threshold in a worker, each as here, and remembers them', async () => {
    const before = large(800);
    const after = large(800, 7);
    const broken = `${after}\ntype Broken {`;
    expect(before.length + after.length).toBeGreaterThan(IN_WORKER_FROM);
    const pairs = [
      { before, after },
      { before: people.typeDefs, after: withoutName },
      { before, after: broken },
    ];
    const first = performance.now();
    const there = await subgraphBreakingChangesAsync(pairs);
    const firstMs = performance.now() - first;
    expect(there).toEqual(pairs.map((p) => subgraphBreakingChanges(p.before, p.after)));
    expect(there[0]).toEqual({
      builds: true,
      changes: [{ type: 'FIELD_REMOVED', description: 'T7.value was removed.' }],
    });
    expect(there[2]).toEqual({ builds: false });
    // The same pairs again (a publication after its check): answered from memory, no worker.
    const again = performance.now();
    expect(await subgraphBreakingChangesAsync([pairs[2]!, pairs[0]!])).toEqual([
      there[2],
      there[0],
    ]);
    expect(performance.now() - again).toBeLessThan(firstMs / 5);
  });

  it('leaves the event loop free while a large subgraph is compared', async () => {
    const before = large(2000);
    const after = large(2000, 1);
    const here = performance.now();
    subgraphBreakingChanges(before, after);
    const inPlaceMs = performance.now() - here;
    const { ticks, longestGap } = await watchEventLoop(() =>
      subgraphBreakingChangesAsync([{ before, after }]),
    );
    // Compared in place the loop was held for inPlaceMs; in a worker the timer ran throughout.
    expect(ticks).toBeGreaterThan(5);
    expect(longestGap).toBeLessThan(inPlaceMs / 2);
  });
});
