import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph, CompositionError } from '../../../../schema/index.ts';
import { migrateDatabase, openDatabase } from '../../../../server/index.ts';
import {
  createTestDatabase,
  mysqlAvailable,
  type Engine,
  type TestDatabase,
} from '../../../../test/support/testDatabase.ts';
import { composeShared } from '../composeShared.ts';

/**
 * A set of subgraph versions is composed once for the platform: whoever
 * composes it first stores the supergraph, every later caller with the same
 * set (in any order) reads it back; any change to a name, URL or SDL is a new
 * set, composed afresh. Failures are never stored, and a store that cannot be
 * used costs a composition, never an answer.
 */
const ENGINES: Engine[] = (await mysqlAvailable()) ? ['sqlite', 'mysql'] : ['sqlite'];

const LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const people = {
  name: 'people',
  url: 'http://127.0.0.1:4101/graphql',
  typeDefs: `${LINK}\ntype Query { person(id: ID!): Person }\ntype Person @key(fields: "id") { id: ID! name: String }`,
};
const licences = {
  name: 'licences',
  url: 'http://127.0.0.1:4102/graphql',
  typeDefs: `${LINK}\ntype Query { licence(no: ID!): String }\ntype Person @key(fields: "id") { id: ID! licences: [String!]! }`,
};

describe.each(ENGINES)('composeShared on %s', (engine) => {
  let database: TestDatabase;
  let db: Knex;
  const stored = () =>
    db<{ inputs_hash: string; supergraph_sdl: string }>('supergraph_compositions').select(
      'inputs_hash',
      'supergraph_sdl',
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
    const first = await composeShared(db, [people, licences]);
    expect(first).toBe(composeSupergraph([licences, people]));
    const rows = await stored();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.supergraph_sdl).toBe(first);

    // What later callers get is what is stored, not a composition of their own.
    await db('supergraph_compositions').update({ supergraph_sdl: 'stored supergraph' });
    expect(await composeShared(db, [people, licences])).toBe('stored supergraph');
    expect(await composeShared(db, [licences, people])).toBe('stored supergraph');
    await db('supergraph_compositions').update({ supergraph_sdl: first });
  });

  it('composes afresh when a name, URL or SDL changes', async () => {
    const moved = { ...licences, url: 'http://127.0.0.1:4202/graphql' };
    const changed = {
      ...people,
      typeDefs: people.typeDefs.replace('name: String', 'name: String!'),
    };
    const before = (await stored()).length;
    const afterMove = await composeShared(db, [people, moved]);
    expect(afterMove).toContain('http://127.0.0.1:4202/graphql');
    expect(afterMove).not.toContain('http://127.0.0.1:4102/graphql');
    expect(await composeShared(db, [changed, licences])).toBe(
      composeSupergraph([licences, changed]),
    );
    expect(await stored()).toHaveLength(before + 2);
  });

  it('stores nothing for subgraphs that do not compose', async () => {
    const before = (await stored()).length;
    const clash = {
      name: 'clash',
      url: 'http://127.0.0.1:4103/graphql',
      typeDefs: `${LINK}\ntype Query { person(id: ID!): Int }`,
    };
    await expect(composeShared(db, [people, clash])).rejects.toBeInstanceOf(CompositionError);
    expect(await stored()).toHaveLength(before);
  });

  it('keeps the newest twenty compositions', async () => {
    const urls: string[] = [];
    for (let i = 0; i < 24; i++) {
      const url = `http://127.0.0.1:${5000 + i}/graphql`;
      urls.push(url);
      await composeShared(db, [people, { ...licences, url }]);
    }
    const rows = await stored();
    expect(rows).toHaveLength(20);
    // The newest is kept (the ones composed in the same millisecond may go either way).
    expect(rows.some((r) => r.supergraph_sdl.includes(urls.at(-1)!))).toBe(true);
  });

  it('composes all the same when the store cannot be used', async () => {
    await db.schema.dropTable('supergraph_compositions');
    expect(await composeShared(db, [people, licences])).toBe(composeSupergraph([licences, people]));
  });
});
