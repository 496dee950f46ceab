import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph, CompositionError } from '../../../../schema/index.ts';
import { migrateDatabase, openDatabase } from '../../../../server/index.ts';
import {
  availableEngines,
  createTestDatabase,
  type TestDatabase,
} from '../../../../test/support/testDatabase.ts';
import { clash, licences, people } from '../../../../test/support/composableSubgraphs.ts';
import { testRegistryKeys } from '../../../../test/support/registryKeys.ts';
import { composeShared, readComposition, storeComposition } from '../composeShared.ts';

/**
 * A set of subgraph versions is composed once for the platform: whoever
 * composes it first stores the supergraph, every later caller with the same
 * set (in any order) reads it back; any change to a name, URL or SDL is a new
 * set, composed afresh. Failures are never stored, and a store that cannot be
 * used costs a composition, never an answer. A stored supergraph is used only
 * when signed with a trusted key: every subgraph host can write the store.
 */
const ENGINES = await availableEngines();

describe.each(ENGINES)('composeShared on %s', (engine) => {
  let database: TestDatabase;
  let db: Knex;
  const { compositions } = testRegistryKeys([]);
  const signing = compositions.signing!;
  const options = { compositions };
  const stored = async () =>
    Promise.all(
      (await db<{ inputs_hash: string }>('supergraph_compositions').select('inputs_hash')).map(
        async ({ inputs_hash }) => ({
          inputs_hash,
          supergraph_sdl: (await readComposition(db, inputs_hash, compositions))!,
        }),
      ),
    );

  beforeAll(async () => {
    database = createTestDatabase(engine);
    db = await openDatabase(database.config, 'platform');
    await migrateDatabase(db, join(import.meta.dirname, '..', '..', 'migrations'));
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('composes a set once and gives the stored supergraph to every later caller, in any order', async () => {
    const first = await composeShared(db, [people, licences], options);
    expect(first).toBe(composeSupergraph([licences, people]));
    const rows = await stored();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.supergraph_sdl).toBe(first);

    // What later callers get is what is stored, not a composition of their own.
    const key = rows[0]!.inputs_hash;
    await db('supergraph_compositions').delete();
    await storeComposition(db, key, 'stored supergraph', signing);
    expect(await composeShared(db, [people, licences], options)).toBe('stored supergraph');
    expect(await composeShared(db, [licences, people], options)).toBe('stored supergraph');
    await db('supergraph_compositions').delete();
    await storeComposition(db, key, first, signing);
  });

  it('uses no stored supergraph that is unsigned or signed with a key it does not trust, and stores its own over it', async () => {
    const honest = await composeShared(db, [people, licences], options);
    const [{ inputs_hash: key }] = await db('supergraph_compositions')
      .select('inputs_hash')
      .orderBy('composed_at', 'desc')
      .limit(1);
    // Whoever holds the database credential rewrites the stored supergraph: routed elsewhere.
    const forged = honest.replaceAll('http://127.0.0.1:4101/graphql', 'http://10.9.9.9/graphql');
    expect(forged).not.toBe(honest);
    const other = testRegistryKeys([]).compositions.signing!;
    for (const signature of [null, 'A'.repeat(86)]) {
      await db('supergraph_compositions').where({ inputs_hash: key }).update({ signature });
      expect(await composeShared(db, [people, licences], options)).toBe(honest);
    }
    await storeComposition(db, key, forged, other);
    expect(await readComposition(db, key, compositions)).toBeUndefined();
    expect(await composeShared(db, [licences, people], options)).toBe(honest);
    // The honest composition took the forged one's place.
    expect(await readComposition(db, key, compositions)).toBe(honest);
  });

  it('neither reads nor stores without composition keys', async () => {
    const before = await db('supergraph_compositions').count({ n: '*' });
    const moved = { ...licences, url: 'http://127.0.0.1:4999/graphql' };
    expect(await composeShared(db, [people, moved])).toBe(composeSupergraph([moved, people]));
    expect(await db('supergraph_compositions').count({ n: '*' })).toEqual(before);
  });

  it("stores a province's supergraph, larger than one MariaDB statement carries uncompressed", async () => {
    // About 23 MiB of SDL, shaped like a composed supergraph: a type per catalogue entry.
    const types = Array.from(
      { length: 60_000 },
      (_, i) =>
        `"Records of dataset SYN-${i}."\ntype Syn${i}Rec @join__type(graph: DEPT_${i % 100}, key: "joinHandle") {\n` +
        `  "Opaque handle the platform joins this entity by, valid only within this request."\n  joinHandle: ID!\n` +
        `  recordId: String\n  title: String\n  regionCode: String\n  amount: Float\n  recordedOn: String\n}\n`.repeat(
          2,
        ),
    );
    const huge = types.join('\n');
    expect(Buffer.byteLength(huge)).toBeGreaterThan(16 * 2 ** 20);
    const key = 'f'.repeat(64);
    await storeComposition(db, key, huge, signing);
    expect(await readComposition(db, key, compositions)).toBe(huge);
    await db('supergraph_compositions').where({ inputs_hash: key }).delete();
  });

  it('composes afresh when a name, URL or SDL changes', async () => {
    const moved = { ...licences, url: 'http://127.0.0.1:4202/graphql' };
    const changed = {
      ...people,
      typeDefs: people.typeDefs.replace('name: String', 'name: String!'),
    };
    const before = (await stored()).length;
    const afterMove = await composeShared(db, [people, moved], options);
    expect(afterMove).toContain('http://127.0.0.1:4202/graphql');
    expect(afterMove).not.toContain('http://127.0.0.1:4102/graphql');
    expect(await composeShared(db, [changed, licences], options)).toBe(
      composeSupergraph([licences, changed]),
    );
    expect(await stored()).toHaveLength(before + 2);
  });

  it('stores nothing for subgraphs that do not compose', async () => {
    const before = (await stored()).length;
    await expect(composeShared(db, [people, clash], options)).rejects.toBeInstanceOf(
      CompositionError,
    );
    expect(await stored()).toHaveLength(before);
  });

  it('keeps the newest twenty compositions', async () => {
    const urls: string[] = [];
    for (let i = 0; i < 24; i++) {
      const url = `http://127.0.0.1:${5000 + i}/graphql`;
      urls.push(url);
      await composeShared(db, [people, { ...licences, url }], options);
    }
    const rows = await stored();
    expect(rows).toHaveLength(20);
    // The newest is kept (the ones composed in the same millisecond may go either way).
    expect(rows.some((r) => r.supergraph_sdl.includes(urls.at(-1)!))).toBe(true);
  });

  it('composes all the same when the store cannot be used, and says why', async () => {
    await db.schema.dropTable('supergraph_compositions');
    const problems: string[] = [];
    expect(
      await composeShared(db, [people, licences], {
        compositions,
        onStoreProblem: (p) => problems.push(p),
      }),
    ).toBe(composeSupergraph([licences, people]));
    expect(problems).toEqual([
      expect.stringContaining('the composed supergraph could not be read'),
      expect.stringContaining('the composed supergraph could not be stored'),
    ]);
  });
});
