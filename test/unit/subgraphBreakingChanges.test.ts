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

  it('gives the same answer in a worker thread for a subgraph past the threshold', async () => {
    const before = large(800);
    const after = large(800, 7);
    expect(before.length + after.length).toBeGreaterThan(IN_WORKER_FROM);
    const there = await subgraphBreakingChangesAsync(before, after);
    expect(there).toEqual(subgraphBreakingChanges(before, after));
    expect(there).toEqual({
      builds: true,
      changes: [{ type: 'FIELD_REMOVED', description: 'T7.value was removed.' }],
    });
    expect(await subgraphBreakingChangesAsync(before, `${after}\ntype Broken {`)).toEqual({
      builds: false,
    });
  });

  it('leaves the event loop free while a large subgraph is compared', async () => {
    const before = large(2000);
    const after = large(2000, 1);
    const here = performance.now();
    subgraphBreakingChanges(before, after);
    const inPlaceMs = performance.now() - here;
    const { ticks, longestGap } = await watchEventLoop(() =>
      subgraphBreakingChangesAsync(before, after),
    );
    // Compared in place the loop was held for inPlaceMs; in a worker the timer ran throughout.
    expect(ticks).toBeGreaterThan(5);
    expect(longestGap).toBeLessThan(inPlaceMs / 2);
  });
});
