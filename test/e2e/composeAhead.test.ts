import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortRange } from '../../scripts/platform/portsAhead.ts';
import { compositionKey, selectCurrentSubgraphs } from '../../subgraphs/platform/registry/index.ts';
import { DEMO_PERSON_INDEX, personIdNumberAt } from '../../subgraphs/demo-data/index.ts';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.ts';

/**
 * On fixed ports the platform composes the supergraph it is about to register
 * while it builds its subgraphs (`composeAhead`), and the registry's composition
 * at start reads that supergraph back: the guess is the registry's set exactly.
 */
describe('the supergraph composed ahead at start (SQLite)', () => {
  let platform: TestPlatform;
  const lines: string[] = [];

  beforeAll(async () => {
    const portBase = await freePortRange(8);
    platform = await startTestPlatform(
      'sqlite',
      { ephemeralPorts: false, log: (line) => lines.push(line) },
      (config) => ({ ...config, subgraphPortBase: portBase }),
    );
  }, 120_000);

  afterAll(async () => {
    await platform?.close();
  });

  it('is the registry’s set, stored, so the gateway’s composition reads it instead of composing', async () => {
    expect(lines).toContain(
      "the supergraph composed ahead is the registry's: it is not composed again",
    );
    // Taken up by the gateway as soon as it was merged, before it was checked.
    expect(lines).toContain('the gateway takes up the supergraph merged ahead while it is checked');
    const stored = await platform
      .platformDb('supergraph_compositions')
      .where({
        inputs_hash: compositionKey(
          (await selectCurrentSubgraphs(platform.platformDb)).map((s) => ({
            name: s.name,
            url: s.url,
            typeDefs: s.sdl,
          })),
        ),
      })
      .first('inputs_hash');
    expect(stored).toBeDefined();
  });

  it('serves what the registry composes: a query across subgraphs answers', async () => {
    const answer = await platform.query(
      'query ($id: String!) { person(idNumber: $id) { name licenses { kind } } }',
      { id: personIdNumberAt(DEMO_PERSON_INDEX) },
      await platform.as('civil_affairs', 'social-assistance'),
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.person).toMatchObject({
      name: expect.any(String),
      licenses: expect.any(Array),
    });
  });
});
