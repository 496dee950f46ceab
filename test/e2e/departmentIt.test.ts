import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertSubgraphVersion,
  selectCurrentSubgraphs,
} from '../../subgraphs/platform/registry/index.ts';
import { insertGrant, newGrant } from '../../server/index.ts';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.ts';
import { ok, refused, waitFor } from '../support/responses.ts';
import { registerEntry, saveEntryDraft, submitEntry } from '../support/registerEntry.ts';

const ROOT = join(import.meta.dirname, '..', '..');

let platform: TestPlatform;
let deptIt: Record<string, string>;
let reviewer: Record<string, string>;

beforeAll(async () => {
  platform = await startTestPlatform('sqlite');
  deptIt = {
    authorization: `Bearer ${await platform.token({ department: 'city_water', roles: ['DEPT_IT'], user: 'wang' })}`,
  };
  reviewer = {
    authorization: `Bearer ${await platform.token({ department: 'data_office', roles: ['REVIEWER'], user: 'zhao' })}`,
  };
});
afterAll(() => platform?.close());

/** Runs the govdata command line against the test platform's data, as department IT would. */
function govdata(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts', 'govdata.ts'), ...args],
    {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: platform.database.dir },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("department IT's workflow, from an existing table to a published dataset", () => {
  it('dataset init, register and publish the entry, subgraph publish, query through the running gateway', async () => {
    const db = platform.databases.get('city_water')!;
    // The demo has a water_meters table (the README's walk-through); this test makes its own.
    await db.schema.dropTableIfExists('water_meters');
    await db.schema.createTable('water_meters', (t) => {
      t.string('meter_no', 16).primary();
      t.string('account_number', 16).notNullable();
      t.date('installed_on').notNullable();
      t.double('last_reading_m3').notNullable();
    });
    await db('water_meters').insert([
      {
        meter_no: 'M0001',
        account_number: '3301066663140896',
        installed_on: '2020-05-01',
        last_reading_m3: 1234.5,
      },
      {
        meter_no: 'M0002',
        account_number: '3302068858194893',
        installed_on: '2021-07-15',
        last_reading_m3: 88,
      },
    ]);

    const init = govdata(
      'dataset',
      'init',
      '--department',
      'city_water',
      '--table',
      'water_meters',
      '--code',
      'CW-MTR-001',
    );
    expect(init.status, init.output).toBe(0);
    const skeleton = parse(init.output) as Record<string, any>;
    expect(skeleton.binding).toEqual({
      table: 'water_meters',
      type: 'WaterMeter',
      key: ['meterNo'],
    });
    expect(
      skeleton.items.map((i: { name: string; type: string }) => `${i.name}:${i.type}`),
    ).toEqual([
      'meterNo:STRING',
      'accountNumber:STRING',
      'installedOn:DATE',
      'lastReadingM3:FLOAT',
    ]);
    expect(skeleton.sharing.type).toBe('NOT_SHARED');

    // Department IT fills in the placeholders and decides to share it.
    Object.assign(skeleton, {
      name: 'Water meters (水表)',
      summary: 'Meters and their last readings.',
      theme: 'public utilities',
    });
    skeleton.sharing = { type: 'UNCONDITIONAL', modes: ['QUERY'] };
    for (const item of skeleton.items) {
      item.title = `水表${item.name}`;
      item.description = `The ${item.name} of the meter.`;
    }
    // The meters' account numbers are CW-ACC-001's keys: undeclared, the
    // submission is refused, naming the item and what to declare.
    await saveEntryDraft(platform, deptIt, skeleton as { code: string });
    expect(refused(await submitEntry(platform, deptIt, 'CW-MTR-001'), 'BAD_USER_INPUT')).toMatch(
      /items\[1\]\.source: 2 of 2 sampled values of accountNumber are values of CW-ACC-001\.accountNumber.*declare it a copy \(authoritative: false, source: CW-ACC-001\.accountNumber\)/,
    );
    Object.assign(skeleton.items[1], {
      authoritative: false,
      source: 'CW-ACC-001.accountNumber',
      sharingType: 'CONDITIONAL',
    });
    await registerEntry(platform, deptIt, reviewer, skeleton as { code: string });

    const published = govdata('subgraph', 'publish', '--department', 'city_water');
    expect(published.status, published.output).toBe(0);
    expect(published.output).toMatch(
      /city_water: (published version \d+|version \d+ is already in force)/,
    );
    const inForce = (await selectCurrentSubgraphs(platform.platformDb)).find(
      (s) => s.name === 'city_water',
    )!;
    expect(inForce.sdl).toContain('type WaterMeter @key(fields: "joinHandle")');

    const tax = {
      authorization: `Bearer ${await platform.token({ department: 'tax', roles: ['APP_DEVELOPER'] })}`,
    };
    const meters = await waitFor('the new type through the gateway', async () => {
      const response = await platform.query<{
        waterMeters: { nodes: { meterNo: string; lastReadingM3: number }[] };
      }>(`{ waterMeters(first: 10) { nodes { meterNo lastReadingM3 } } }`, {}, tax);
      return response.errors ? undefined : response.data!.waterMeters.nodes;
    });
    expect(meters).toEqual([
      { meterNo: 'M0001', lastReadingM3: 1234.5 },
      { meterNo: 'M0002', lastReadingM3: 88 },
    ]);

    // The declared copy is CONDITIONAL, and served no more openly than its source:
    // civil_affairs, granted it here but the address only masked in CW-ACC-001,
    // reads the number concealed as it would there; without a grant, not at all.
    const meterAccount = async () =>
      platform.query<{ waterMeter: { accountNumber: string | null } | null }>(
        `{ waterMeter(meterNo: "M0001") { accountNumber } }`,
        {},
        await platform.as('civil_affairs', 'social-assistance'),
      );
    const withoutGrant = await meterAccount();
    expect(withoutGrant.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(withoutGrant.data?.waterMeter?.accountNumber ?? null).toBeNull();
    const grant = {
      id: 'G-DIT-METERS',
      consumerDepartment: 'civil_affairs',
      purposes: ['social-assistance'],
      datasetCode: 'CW-MTR-001',
      items: ['meterNo', 'accountNumber'],
      modes: ['QUERY' as const],
      validFrom: '2020-01-01T00:00:00.000Z',
      validUntil: '2099-12-31T23:59:59.999Z',
    };
    await insertGrant(platform.platformDb, { ...newGrant(grant, 'departmentIt'), ...grant });
    await platform.policies.reload();
    expect((await meterAccount()).data?.waterMeter?.accountNumber).toBe('****0896');

    // The new entity type can be read across levels too, without a restart: the
    // cross-level subgraph serves `otherLevel` on it and is in the registry with it.
    const crossLevel = (await selectCurrentSubgraphs(platform.platformDb)).find(
      (s) => s.name === 'crosslevel',
    )!;
    expect(crossLevel.sdl).toContain('type WaterMeter @key(fields: "joinHandle")');
    // Published with the department's subgraph as one registry step by the
    // catalogue publication: gateways took up one new supergraph, not one each.
    expect(crossLevel.publishedBy).toBe('catalogue publication');
    expect(crossLevel.publishedAt).toBe(inForce.publishedAt);
    const across = await waitFor('otherLevel on the new type through the gateway', async () => {
      const response = await platform.query(
        `{ waterMeters(first: 1) { nodes { meterNo otherLevel(platform: "nowhere", dataset: "X-1", items: ["a"]) { __typename } } } }`,
        {},
        tax,
      );
      const codes = (response.errors ?? []).map((e) => e.extensions?.code);
      return codes.includes('GRAPHQL_VALIDATION_FAILED') ? undefined : response;
    });
    // Answered by the cross-level subgraph (this test platform has no links: it says so).
    expect(across.data).toEqual({
      waterMeters: { nodes: [{ meterNo: 'M0001', otherLevel: null }] },
    });
    expect(across.errors?.map((e) => [e.path, e.extensions?.serviceName])).toEqual([
      [['waterMeters', 'nodes', 0, 'otherLevel'], 'crosslevel'],
    ]);
  });
});

describe('publishing while the gateway serves', () => {
  it('drops no request while a new version is published and swapped in', async () => {
    const tax = {
      authorization: `Bearer ${await platform.token({ department: 'tax', roles: ['APP_DEVELOPER'] })}`,
    };
    const db = platform.databases.get('city_water')!;
    await db.schema.createTable('hydrants', (t) => {
      t.string('hydrant_no', 16).primary();
      t.string('address', 128).notNullable();
    });
    const init = govdata(
      'dataset',
      'init',
      '--department',
      'city_water',
      '--table',
      'hydrants',
      '--code',
      'CW-HYD-001',
    );
    const entry = parse(init.output) as Record<string, any>;
    Object.assign(entry, {
      name: 'Fire hydrants',
      summary: 'Hydrant locations.',
      theme: 'public utilities',
    });
    entry.sharing = { type: 'UNCONDITIONAL', modes: ['QUERY'] };
    for (const item of entry.items)
      Object.assign(item, { title: `消火栓${item.name}`, description: item.name });

    let stop = false;
    const failures: string[] = [];
    let answered = 0;
    const load = async () => {
      while (!stop && answered < 5000) {
        const response = await platform.query(
          `{ enterprises(first: 3) { nodes { name } } utilityAccounts(first: 2) { nodes { status } } }`,
          {},
          {
            ...tax,
          },
        );
        answered++;
        if (
          response.status !== 200 ||
          response.errors?.some((e) => e.extensions?.code !== 'FORBIDDEN')
        ) {
          failures.push(JSON.stringify(response).slice(0, 300));
        }
      }
    };
    const workers = Array.from({ length: 6 }, load);
    await registerEntry(platform, deptIt, reviewer, entry as { code: string });
    await waitFor('the hydrants through the gateway', async () => {
      const response = await platform.query(
        `{ hydrants(first: 1) { nodes { hydrantNo } } }`,
        {},
        tax,
      );
      return response.errors ? undefined : true;
    });
    // The load overlapped the publication, and goes on over the new version for a while.
    const answeredWhilePublishing = answered;
    await waitFor('requests answered after the swap', async () =>
      answered >= answeredWhilePublishing + 50 ? true : undefined,
    );
    stop = true;
    await Promise.all(workers);
    console.log('answered', answeredWhilePublishing, 'while publishing,', answered, 'in all');
    expect(answeredWhilePublishing).toBeGreaterThan(0);
    expect(answered).toBeGreaterThanOrEqual(answeredWhilePublishing + 50);
    expect(failures).toEqual([]);
  });
});

describe('publications that are refused', () => {
  it('refuses a subgraph that does not compose, saying what and where, and the gateway keeps serving', async () => {
    const file = join(platform.database.dir, 'bad.graphql');
    writeFileSync(
      file,
      `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Person @key(fields: "idNumber") { idNumber: Int! }
type Query { utilityAccount(accountNumber: String!): Person }
`,
    );
    const check = govdata('subgraph', 'check', '--department', 'city_water', '--sdl', file);
    console.log(check.output);
    expect(check.status).toBe(1);
    expect(check.output).toMatch(
      /composition: .*Person\.idNumber.*"Int!" in subgraph "city_water"/,
    );
    // Where: the subgraph and line the conflicting definitions are at.
    expect(check.output).toMatch(/\(at [^)]*city_water:2/);
    const publish = govdata('subgraph', 'publish', '--department', 'city_water', '--sdl', file);
    expect(publish.status).toBe(1);
    expect(publish.output).toContain('not published');

    await platform.registry.poll();
    const tax = {
      authorization: `Bearer ${await platform.token({ department: 'tax', roles: ['APP_DEVELOPER'] })}`,
    };
    expect(
      (await platform.query(`{ enterprises(first: 1) { nodes { name } } }`, {}, tax)).errors,
    ).toBeUndefined();
    const ready = (await (
      await fetch(platform.gateway.url.replace(/graphql$/, 'ready'))
    ).json()) as { problem?: string };
    expect(ready.problem).toBeUndefined();
  });

  it('refuses a breaking change to a field a grant holder uses, naming the consumer, unless an ADMIN confirms', async () => {
    const current = (await selectCurrentSubgraphs(platform.platformDb)).find(
      (s) => s.name === 'city_water',
    )!;
    // Hand-written SDL without UtilityAccount.address, which civil_affairs's grant includes.
    const file = join(platform.database.dir, 'breaking.graphql');
    writeFileSync(file, current.sdl.replace(/\n\s+"[^"\n]*"\n\s+address: String\n/, '\n'));
    const check = govdata('subgraph', 'check', '--department', 'city_water', '--sdl', file);
    expect(check.status, check.output).toBe(1);
    expect(check.output).toContain('breaking: FIELD_REMOVED: UtilityAccount.address was removed.');
    expect(check.output).toMatch(
      /hits civil_affairs: active grant G-DEMO-CA-WATER on CW-ACC-001 includes address/,
    );
    const refused = govdata('subgraph', 'publish', '--department', 'city_water', '--sdl', file);
    expect(refused.status).toBe(1);
    const forcedWithoutAdmin = govdata(
      'subgraph',
      'publish',
      '--department',
      'city_water',
      '--sdl',
      file,
      '--force',
      '--admin-token',
      await platform.token({ department: 'city_water', roles: ['DEPT_IT'] }),
    );
    expect(forcedWithoutAdmin.status).toBe(1);
    expect(forcedWithoutAdmin.output).toContain("not an ADMIN's token");
    const after = (await selectCurrentSubgraphs(platform.platformDb)).find(
      (s) => s.name === 'city_water',
    )!;
    expect(after.version).toBe(current.version);
  });

  it("serves no signed version that declares more than city_water's entries generate: a field of its own on public_security's Person", async () => {
    const good = (await selectCurrentSubgraphs(platform.platformDb)).find(
      (v) => v.name === 'city_water',
    )!;
    // This composes: the gateway would answer Person.creditScore from city_water, a field
    // no catalogue entry defines and so no grant, review or rule governs.
    const stub = 'type Person @key(fields: "joinHandle") {';
    expect(good.sdl).toContain(stub);
    const sdl = good.sdl.replace(stub, `${stub}\n  creditScore: Float`);
    const file = join(platform.database.dir, 'person-field.graphql');
    writeFileSync(file, sdl);
    const check = govdata('subgraph', 'check', '--department', 'city_water', '--sdl', file);
    expect(check.status).toBe(1);
    expect(check.output).not.toContain('composition:');
    expect(check.output).toMatch(
      /catalogue: city_water: it declares Person\.creditScore, which its department's published catalogue entries do not generate/,
    );
    const publish = govdata('subgraph', 'publish', '--department', 'city_water', '--sdl', file);
    expect(publish.status).toBe(1);

    // Past the command, as a department host holding its own key could write it.
    await insertSubgraphVersion(
      platform.platformDb,
      { name: 'city_water', url: good.url, sdl, publishedBy: 'test', note: 'a field of its own' },
      platform.registrySigner,
    );
    await platform.registry.poll();
    const readyUrl = platform.gateway.url.replace(/graphql$/, 'ready');
    const ready = (await (await fetch(readyUrl)).json()) as { status: string; problem?: string };
    expect(ready.status).toBe('ready');
    expect(ready.problem).toMatch(
      new RegExp(
        `city_water version ${good.version + 1}: it declares Person\\.creditScore.*version ${good.version} is served instead`,
      ),
    );

    await insertSubgraphVersion(
      platform.platformDb,
      { ...good, publishedBy: 'test', note: 'back to good' },
      platform.registrySigner,
    );
    await platform.registry.poll();
    expect(
      ((await (await fetch(readyUrl)).json()) as { problem?: string }).problem,
    ).toBeUndefined();
  });

  it('keeps serving the last good supergraph when the registry itself does not compose, and says why on /ready', async () => {
    const good = (await selectCurrentSubgraphs(platform.platformDb)).find(
      (v) => v.name === 'city_water',
    )!;
    // Written past the check, as a misbehaving replica or a manual edit might.
    await insertSubgraphVersion(
      platform.platformDb,
      {
        name: 'city_water',
        url: good.url,
        // Within what its entries generate (the catalogue rule lets it by), but the
        // key's field is gone.
        sdl: good.sdl.replace(
          /(type Person @key\(fields: "joinHandle"\) \{)\n[^}]*?joinHandle: ID!/,
          '$1',
        ),
        publishedBy: 'test',
        note: 'does not compose',
      },
      platform.registrySigner,
    );
    await platform.registry.poll();
    const readyUrl = platform.gateway.url.replace(/graphql$/, 'ready');
    const ready = (await (await fetch(readyUrl)).json()) as { status: string; problem?: string };
    expect(ready.status).toBe('ready');
    expect(ready.problem).toMatch(/serving the last good supergraph: .*Person.*joinHandle/s);
    const tax = {
      authorization: `Bearer ${await platform.token({ department: 'tax', roles: ['APP_DEVELOPER'] })}`,
    };
    const served = await platform.query<{ utilityAccounts: unknown }>(
      `{ enterprises(first: 1) { nodes { name } } }`,
      {},
      tax,
    );
    expect(served.errors).toBeUndefined();

    await insertSubgraphVersion(
      platform.platformDb,
      {
        ...good,
        publishedBy: 'test',
        note: 'back to good',
      },
      platform.registrySigner,
    );
    await platform.registry.poll();
    expect(
      ((await (await fetch(readyUrl)).json()) as { problem?: string }).problem,
    ).toBeUndefined();
  });

  it('refuses to publish a catalogue change that removes a granted item, before any subgraph serves it', async () => {
    const current = platform.catalogue.source('CW-ACC-001') as Record<string, any>;
    // The address goes, and with it what the account number says it embeds.
    const changed = {
      ...current,
      items: current.items
        .filter((i: { name: string }) => i.name !== 'address')
        .map(({ embeds, ...item }: { name: string; embeds?: unknown }) =>
          item.name === 'accountNumber' ? item : { ...item, ...(embeds ? { embeds } : {}) },
        ),
    };
    const draft = ok(
      await platform.query<{ saveCatalogueDraft: { version: number } }>(
        `mutation($d: String!) { saveCatalogueDraft(document: $d, changeReason: "Stop keeping service addresses", triggerDate: "2026-11-20") { version } }`,
        { d: stringify(changed) },
        deptIt,
      ),
    ).saveCatalogueDraft;
    ok(
      await platform.query(
        `mutation($v: Int!) { submitCatalogueEntry(code: "CW-ACC-001", version: $v) { status } }`,
        { v: draft.version },
        deptIt,
      ),
    );
    const refused = await platform.query(
      `mutation($v: Int!) { publishCatalogueEntry(code: "CW-ACC-001", version: $v) { status } }`,
      { v: draft.version },
      reviewer,
    );
    expect(refused.errors![0]!.extensions!.code).toBe('CONFLICT');
    expect(refused.errors![0]!.message).toMatch(
      /UtilityAccount\.address was removed\. It would hit civil_affairs \(active grant G-DEMO-CA-WATER/,
    );
    const versions = ok(
      await platform.query<{ catalogueEntryVersions: { version: number; status: string }[] }>(
        `{ catalogueEntryVersions(code: "CW-ACC-001") { version status } }`,
        {},
        reviewer,
      ),
    ).catalogueEntryVersions;
    expect(versions.find((v) => v.version === draft.version)!.status).toBe('SUBMITTED');
    const civil = {
      authorization: `Bearer ${await platform.token({ department: 'civil_affairs', roles: ['APP_DEVELOPER'] })}`,
      'x-purpose': 'social-assistance',
    };
    const still = await platform.query<{ utilityAccounts: { nodes: { address: string }[] } }>(
      `{ utilityAccounts(first: 1) { nodes { address } } }`,
      {},
      civil,
    );
    expect(still.errors).toBeUndefined();
    expect(still.data!.utilityAccounts.nodes[0]!.address).toMatch(/^\S{6}\*+$/u);
  });
});
