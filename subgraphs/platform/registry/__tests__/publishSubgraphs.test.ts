import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Catalogue } from '../../../../schema/index.ts';
import { migrateDatabase, openDatabase } from '../../../../server/index.ts';
import {
  availableEngines,
  createTestDatabase,
  type TestDatabase,
} from '../../../../test/support/testDatabase.ts';
import { clash, licences, people } from '../../../../test/support/composableSubgraphs.ts';
import { testRegistryKeys } from '../../../../test/support/registryKeys.ts';
import type { CatalogueSdl } from '../catalogueReach.ts';
import { publishSubgraphs } from '../publishSubgraph.ts';
import { RegistryWatcher } from '../RegistryWatcher.ts';
import {
  insertSubgraphVersion,
  sdlHash,
  selectCurrentSubgraphs,
  selectRegistryRevision,
  selectServedSubgraphs,
} from '../registryQueries.ts';

/**
 * Subgraphs that change together (a catalogue publication: a department's and
 * the cross-level one) are published as one registry step: all recorded in one
 * transaction or none, one move of the registry's revision, and the one
 * supergraph composed for the check is what gateways then find stored.
 */
const ENGINES = await availableEngines();
const NO_GRANTS = new Catalogue([]);
const candidate = (s: { name: string; url: string; typeDefs: string }) => ({
  name: s.name,
  url: s.url,
  sdl: s.typeDefs,
});
const withAge = {
  ...people,
  typeDefs: people.typeDefs.replace('name: String', 'name: String age: Int'),
};
const withCount = {
  ...licences,
  typeDefs: licences.typeDefs.replace(
    'licences: [String!]!',
    'licences: [String!]! licenceCount: Int',
  ),
};

/** What each subgraph's "catalogue" generates: the largest version each test publishes. */
const CATALOGUE: CatalogueSdl = (name) =>
  ({ people: withAge.typeDefs, licences: withCount.typeDefs })[name];

describe.each(ENGINES)('publishSubgraphs on %s', (engine) => {
  let database: TestDatabase;
  let db: Knex;
  const { signer, verify, compositions } = testRegistryKeys(['people', 'licences']);
  const request = (candidates: ReturnType<typeof candidate>[]) => ({
    signer,
    compositions,
    candidates,
    publishedBy: 'test',
    note: 'a catalogue publication',
  });

  beforeAll(async () => {
    database = createTestDatabase(engine);
    db = await openDatabase(database.config, 'platform');
    await migrateDatabase(db, join(import.meta.dirname, '..', '..', 'migrations'));
  });
  beforeEach(async () => {
    await db('subgraph_versions').delete();
    await db('supergraph_compositions').delete();
    for (const s of [people, licences]) {
      await insertSubgraphVersion(
        db,
        { ...candidate(s), publishedBy: 'test', note: 'first' },
        signer,
      );
    }
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('records every changed subgraph in one step, composing their set once', async () => {
    const before = await selectRegistryRevision(db);
    const outcome = await publishSubgraphs(
      db,
      NO_GRANTS,
      request([candidate(withAge), candidate(withCount)]),
    );
    expect(outcome.published).toBe(true);
    const current = await selectCurrentSubgraphs(db);
    expect(current.map((s) => [s.name, s.version, s.sdl])).toEqual([
      ['licences', 2, withCount.typeDefs],
      ['people', 2, withAge.typeDefs],
    ]);
    // One step: the same moment for both, so a gateway polling the registry
    // never sees one without the other.
    expect(new Set(current.map((s) => s.publishedAt)).size).toBe(1);
    expect(await selectRegistryRevision(db)).not.toBe(before);
    // The check composed the final set only (no set with one of them changed), and stored it.
    expect(await db('supergraph_compositions').count({ n: '*' })).toEqual([{ n: 1 }]);
    expect(outcome.published && outcome.check.supergraphSdl).toContain('licenceCount');
    expect(outcome.published && outcome.check.supergraphSdl).toContain('age');
  });

  it('records none of them when one does not compose, and names them', async () => {
    const broken = { ...clash, name: 'licences', url: licences.url };
    const outcome = await publishSubgraphs(
      db,
      NO_GRANTS,
      request([candidate(withAge), candidate(broken)]),
    );
    expect(outcome.published).toBe(false);
    expect(!outcome.published && !outcome.unchanged && outcome.refusal).toBe(
      'people, licences do not compose with the published subgraphs',
    );
    expect((await selectCurrentSubgraphs(db)).map((s) => s.version)).toEqual([1, 1]);
  });

  it('leaves out the subgraphs already in force as they are, and publishes nothing if all are', async () => {
    const some = await publishSubgraphs(
      db,
      NO_GRANTS,
      request([candidate(people), candidate(withCount)]),
    );
    expect(some.published && some.versions.map((v) => [v.name, v.version])).toEqual([
      ['licences', 2],
    ]);
    const before = await selectRegistryRevision(db);
    const none = await publishSubgraphs(
      db,
      NO_GRANTS,
      request([candidate(people), candidate(withCount)]),
    );
    expect(none).toMatchObject({ published: false, unchanged: true });
    expect(await selectRegistryRevision(db)).toBe(before);
  });

  it('names the subgraph of each breaking change', async () => {
    const withoutName = { ...people, typeDefs: people.typeDefs.replace(' name: String', '') };
    const outcome = await publishSubgraphs(
      db,
      NO_GRANTS,
      request([candidate(withoutName), candidate(withCount)]),
    );
    // Nobody is hit (no grants, no readers), so it is published, with the change named.
    expect(outcome.published).toBe(true);
    expect(outcome.check.breakingChanges).toEqual([
      {
        subgraph: 'people',
        type: 'FIELD_REMOVED',
        description: 'Person.name was removed.',
        affected: [],
      },
    ]);
  });

  describe('signed entries', () => {
    // A host holding the database credential but only people's key (a department host of its own).
    const peopleOnly = testRegistryKeys(['people']);
    const forge = async (name: string, url: string, signature: string | null) => {
      const newest = (await selectCurrentSubgraphs(db)).find((v) => v.name === name)!;
      await db('subgraph_versions').insert({
        name,
        version: newest.version + 1,
        url,
        sdl: newest.sdl,
        sdl_hash: newest.sdlHash,
        published_by: `${name} DEPT_IT (govdata)`,
        published_at: new Date().toISOString(),
        note: 'rerouted',
        signature,
      });
    };

    /** Records `sdl` as licences's next version, signed with its key; version 1 stays served. */
    const signedAsLicences = async (sdl: string) => {
      await insertSubgraphVersion(
        db,
        { name: 'licences', url: licences.url, sdl, publishedBy: 'x', note: 'x' },
        signer,
      );
      const { served, problems } = await selectServedSubgraphs(db, verify, CATALOGUE);
      expect(served.find((v) => v.name === 'licences')!.version).toBe(1);
      return problems;
    };

    it('serves the newest version signed with its subgraph key, passing over rows written with the credential alone', async () => {
      await forge('people', 'http://10.9.9.9/graphql', null);
      const { served, problems } = await selectServedSubgraphs(db, verify, CATALOGUE);
      expect(served.map((v) => [v.name, v.version, v.url])).toEqual([
        ['licences', 1, licences.url],
        ['people', 1, people.url],
      ]);
      expect(problems).toEqual([
        'subgraph people version 2 is not signed: version 1 is served instead',
      ]);
    });

    it("passes over a version signed with another subgraph's key, or with a signature copied from another version", async () => {
      // people's key signs a row for licences: a department publishing as another.
      const asLicences = (await selectCurrentSubgraphs(db)).find((v) => v.name === 'licences')!;
      await insertSubgraphVersion(
        db,
        {
          name: 'people',
          url: 'http://10.9.9.9/graphql',
          sdl: people.typeDefs,
          publishedBy: 'x',
          note: 'x',
        },
        peopleOnly.signer,
      );
      await forge('licences', 'http://10.9.9.8/graphql', asLicences.signature);
      const { served, problems } = await selectServedSubgraphs(db, verify, CATALOGUE);
      expect(served.map((v) => [v.name, v.version])).toEqual([
        ['licences', 1],
        ['people', 1],
      ]);
      expect(problems).toEqual([
        "subgraph licences version 2 is not signed with licences's key: version 1 is served instead",
        "subgraph people version 2 is not signed with people's key: version 1 is served instead",
      ]);
    });

    it('serves no subgraph that has no signed version, and names a signer whose key is not provisioned', async () => {
      await db('subgraph_versions').where({ name: 'licences' }).update({ signature: null });
      await db('subgraph_versions').insert({
        name: 'stranger',
        version: 1,
        url: 'http://10.9.9.7/graphql',
        sdl: licences.typeDefs,
        sdl_hash: sdlHash(licences.typeDefs),
        published_by: 'x',
        published_at: new Date().toISOString(),
        note: 'x',
        signature: 'A'.repeat(86),
      });
      const { served, problems } = await selectServedSubgraphs(db, verify, CATALOGUE);
      expect(served.map((v) => v.name)).toEqual(['people']);
      expect(problems).toEqual([
        'subgraph licences version 1 is not signed: the subgraph is not served',
        'subgraph stranger version 1: no registry key of stranger is provisioned here (stranger.jwk.json in DEPARTMENT_VERIFY_KEYS_DIR): the subgraph is not served',
      ]);
    });

    it('does not go back: a gateway keeps its supergraph when a served version is deleted or loses its signature', async () => {
      const applied: string[] = [];
      const told: (string | null)[] = [];
      const watcher = new RegistryWatcher(
        db,
        { entries: verify, catalogueSdl: async () => CATALOGUE, compositions },
        (sdl) => applied.push(sdl),
        (problem) => told.push(problem),
      );
      await watcher.compose();
      const moved = { ...candidate(people), url: 'http://127.0.0.1:4301/graphql' };
      await insertSubgraphVersion(db, { ...moved, publishedBy: 'test', note: 'moved' }, signer);
      await watcher.poll();
      expect(applied).toHaveLength(1);
      expect(applied[0]).toContain(moved.url);

      // The database credential alone: people's version 2 deleted, back to version 1's URL.
      await db('subgraph_versions').where({ name: 'people', version: 2 }).delete();
      await watcher.poll();
      expect(applied).toHaveLength(1);
      expect(watcher.problem).toBe(
        'subgraph people version 2, served until now, is no longer in the registry signed',
      );
      // ... or licences' signatures removed, which would drop it from the supergraph.
      await db('subgraph_versions').where({ name: 'licences' }).update({ signature: null });
      await watcher.poll();
      expect(applied).toHaveLength(1);
      expect(watcher.problem).toContain(
        'subgraph licences version 1, served until now, is no longer in the registry signed',
      );
      // The department publishes again, signed: followed as before.
      await publishSubgraphs(db, NO_GRANTS, request([moved, candidate(licences)]));
      await watcher.poll();
      expect(applied).toHaveLength(2);
      expect(watcher.problem).toBeNull();
      expect(told.at(-1)).toBeNull();
    });

    it("passes over a signed department subgraph that reaches into another's fields, under any name, and one whose SDL was changed after signing", async () => {
      // licences takes over people's Person.name, signed with licences's own key.
      const takeovers = [
        licences.typeDefs
          .replace('import: ["@key"]', 'import: ["@key", "@override"]')
          .replace(
            'licences: [String!]!',
            'licences: [String!]! name: String @override(from: "people")',
          ),
        licences.typeDefs.replace(
          'licences: [String!]!',
          'licences: [String!]! name: String @federation__override(from: "people")',
        ),
        licences.typeDefs
          .replace('import: ["@key"]', 'import: ["@key", { name: "@override", as: "@mine" }]')
          .replace(
            'licences: [String!]!',
            'licences: [String!]! name: String @mine(from: "people")',
          ),
        licences.typeDefs
          .replace('import: ["@key"]', 'import: ["@key", "@external", "@requires"]')
          .replace(
            'licences: [String!]!',
            'licences: [String!]! name: String @external copy: String @requires(fields: "name")',
          ),
      ];
      // @override under an allowed name, by making that name mean @link (red team s4 G1).
      const field = 'licences: [String!]! name: String @link(from: "people")';
      const relinked = [
        `directive @shareable(url: String, as: String, import: [String]) repeatable on SCHEMA\n` +
          `extend schema @shareable(url: "https://specs.apollo.dev/link/v1.0", as: "shareable")` +
          ` @shareable(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", { name: "@override", as: "@link" }])\n` +
          `type Query { licence(no: ID!): String }\ntype Person @key(fields: "id") { id: ID! ${field} }`,
        `extend schema @link(url: "https://specs.apollo.dev/link/v1.0", as: "shareable")` +
          ` @shareable(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", { name: "@override", as: "@link" }])\n` +
          `type Query { licence(no: ID!): String }\ntype Person @key(fields: "id") { id: ID! ${field} }`,
      ];
      takeovers.push(...relinked);
      for (const sdl of takeovers) {
        const problems = await signedAsLicences(sdl);
        expect(problems[0]).toMatch(
          /^subgraph licences version \d+: it uses .*which a department's subgraph may not/,
        );
      }
      // The publisher refuses it before the gateways would.
      const refused = await publishSubgraphs(
        db,
        NO_GRANTS,
        request([{ name: 'licences', url: licences.url, sdl: takeovers[0]! }]),
      );
      expect(!refused.published && !refused.unchanged && refused.refusal).toMatch(
        /licences: it uses @override.*gateways would not serve it/,
      );

      // The SDL of the version in force, edited in place with the database credential.
      await db('subgraph_versions').where({ name: 'licences' }).delete();
      await insertSubgraphVersion(
        db,
        { ...candidate(licences), publishedBy: 'x', note: 'x' },
        signer,
      );
      await db('subgraph_versions')
        .where({ name: 'licences' })
        .update({
          sdl: licences.typeDefs.replace('licence(no: ID!): String', 'licence(no: ID!): Int'),
        });
      const edited = await selectServedSubgraphs(db, verify, CATALOGUE);
      expect(edited.served.map((v) => v.name)).toEqual(['people']);
      expect(edited.problems).toEqual([
        'subgraph licences version 1: its SDL is not the one signed (changed in the database since): the subgraph is not served',
      ]);
    });

    it('passes over a signed department subgraph that declares more than its catalogue generates', async () => {
      // Each is signed with licences's own key and uses only @key: the directive rule lets them by.
      const person = 'type Person @key(fields: "id") { id: ID! licences: [String!]! }';
      const beyond: [string, string][] = [
        // A key on a field of another's type: the gateway would hand its values over.
        [
          person.replace('@key(fields: "id")', '@key(fields: "id") @key(fields: "name")'),
          'Person @key(fields: "name")',
        ],
        [person.replace('licences: [String!]!', 'licences: [String!]! score: Int'), 'Person.score'],
        [`${person}\ntype Secret { x: Int }`, 'type Secret'],
        [
          `${person}\ninterface Node { id: ID! }`.replace(
            'type Person',
            'type Person implements Node',
          ),
          'type Node',
        ],
        [person.replace('licences: [String!]!', 'licences: [Person]'), 'Person.licences: [Person]'],
        [`schema { query: Query }\n${person}`, 'root operation types of its own'],
      ];
      for (const [types, named] of beyond) {
        const problems = await signedAsLicences(
          `${licences.typeDefs.split('\n')[0]}\ntype Query { licence(no: ID!): String }\n${types}`,
        );
        expect(problems).toHaveLength(1);
        expect(problems[0]).toMatch(
          /^subgraph licences version \d+: it declares .*which its department's published catalogue entries do not generate/,
        );
        expect(problems[0]).toContain(named);
      }
      // An argument the catalogue does not give, on a version after a conforming one.
      await insertSubgraphVersion(
        db,
        { ...candidate(withCount), publishedBy: 'x', note: 'x' },
        signer,
      );
      const fit = (await selectCurrentSubgraphs(db)).find((v) => v.name === 'licences')!;
      await insertSubgraphVersion(
        db,
        {
          ...candidate(licences),
          sdl: licences.typeDefs.replace('licence(no: ID!)', 'licence(no: ID!, all: Boolean)'),
          publishedBy: 'x',
          note: 'x',
        },
        signer,
      );
      const { served, problems } = await selectServedSubgraphs(db, verify, CATALOGUE);
      expect(served.find((v) => v.name === 'licences')!.version).toBe(fit.version);
      expect(problems[0]).toContain('Query.licence(all: Boolean)');
      // A subgraph signed by a department the catalogue does not have is not served at all.
      const none = await selectServedSubgraphs(db, verify, (name) =>
        name === 'people' ? withAge.typeDefs : undefined,
      );
      expect(none.served.map((v) => v.name)).toEqual(['people']);
      expect(none.problems.at(-1)).toMatch(
        /licences is no department of the published catalogue: the subgraph is not served$/,
      );
    });

    it('takes up a version passed over once its catalogue entry is published, and rolls nothing for a catalogue change that moves no version', async () => {
      // licences's catalogue does not have licenceCount yet.
      let catalogue: CatalogueSdl = (name) =>
        ({ people: withAge.typeDefs, licences: licences.typeDefs })[name];
      const applied: string[] = [];
      const watcher = new RegistryWatcher(
        db,
        { entries: verify, catalogueSdl: async () => catalogue, compositions },
        (sdl) => applied.push(sdl),
        () => {},
      );
      await watcher.compose();
      await db('catalogue_entries').delete();
      const publishEntry = async (code: string) => {
        const at = new Date().toISOString();
        await db('catalogue_entries').insert({
          code,
          version: 1,
          department: 'licences',
          status: 'PUBLISHED',
          document: '{}',
          warnings: '[]',
          change_reason: '',
          trigger_date: '2026-12-07',
          deadline: '2026-12-07',
          created_by: 'test',
          created_at: at,
          updated_at: at,
        });
      };
      // Published ahead of its entry (a hand-written SDL, say): passed over, and said so.
      await insertSubgraphVersion(
        db,
        { ...candidate(withCount), publishedBy: 'test', note: 'ahead' },
        signer,
      );
      await watcher.poll();
      expect(applied).toHaveLength(0);
      expect(watcher.problem).toContain('Person.licenceCount');
      // A catalogue change that moves no version: nothing taken up again.
      await publishEntry('LIC-OTHER');
      await watcher.poll();
      expect(applied).toHaveLength(0);
      // Its entry published: the version is served without another publication.
      catalogue = CATALOGUE;
      await publishEntry('LIC-COUNT');
      await watcher.poll();
      expect(applied).toHaveLength(1);
      expect(applied[0]).toContain('licenceCount');
      expect(watcher.problem).toBeNull();
    });

    it('publishes a subgraph only with its own key, and signs again a version in force that is not signed', async () => {
      await expect(
        publishSubgraphs(db, NO_GRANTS, {
          ...request([candidate(withCount)]),
          signer: peopleOnly.signer,
        }),
      ).rejects.toThrow(/cannot publish subgraph licences: it is signed with licences's key/);
      expect((await selectCurrentSubgraphs(db)).map((v) => v.version)).toEqual([1, 1]);
      // The row in force, same URL and SDL, written without the key: not in force for the publisher.
      await db('subgraph_versions').where({ name: 'people' }).update({ signature: null });
      const outcome = await publishSubgraphs(db, NO_GRANTS, request([candidate(people)]));
      expect(outcome.published && outcome.versions.map((v) => [v.name, v.version])).toEqual([
        ['people', 2],
      ]);
      expect((await selectServedSubgraphs(db, verify, CATALOGUE)).problems).toEqual([]);
    });
  });
});
