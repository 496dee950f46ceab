import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSON_INDEX, personIdNumberAt } from '../../subgraphs/demo-data/index.ts';
import { mysqlAvailable } from '../support/testDatabase.ts';
import { startTestPlatform, TEST_SCALE, type TestPlatform } from '../support/testPlatform.ts';

/** The README's example: one person joined across four departments' subgraphs. */
const PERSON_WITH_RECORDS = /* GraphQL */ `
  query PersonWithRecords($idNumber: String!) {
    person(idNumber: $idNumber) {
      idNumber
      name
      gender
      regionCode
      licenses {
        licenseNumber
        kind
        issuer
        issuedOn
        validUntil
        status
      }
      creditRecords {
        recordId
        category
        authority
        decidedOn
        validUntil
      }
      landParcels {
        parcelCode
        landUse
        areaSqm
        rightType
      }
      utilityAccounts {
        accountNumber
        holderIdNumber
        address
        monthlyUsageM3
        arrears
        status
      }
    }
  }
`;

const demoPerson = personIdNumberAt(DEMO_PERSON_INDEX);

interface PersonResult {
  person: {
    idNumber: string;
    name: string;
    licenses: unknown[];
    creditRecords: unknown[];
    landParcels: unknown[];
    utilityAccounts: { holderIdNumber: string }[];
  } | null;
}

let sqlite: TestPlatform;
let mysql: TestPlatform | undefined;
const runMysql = await mysqlAvailable();

beforeAll(async () => {
  sqlite = await startTestPlatform('sqlite');
  if (runMysql) mysql = await startTestPlatform('mysql');
});

afterAll(async () => {
  await sqlite?.close();
  await mysql?.close();
});

describe('the platform through the gateway', () => {
  it('returns a person with licences, credit records, land parcels and water account from four subgraphs', async () => {
    const headers = await sqlite.as('civil_affairs', 'social-assistance');
    const response = await sqlite.query<PersonResult>(
      PERSON_WITH_RECORDS,
      { idNumber: demoPerson },
      headers,
    );
    expect(response.errors).toBeUndefined();
    const person = response.data!.person!;
    // Civil Affairs sees birth dates only to the year, so the ID number that embeds them is
    // shown with its region code alone, here and wherever it is copied.
    const concealed = `${demoPerson.slice(0, 6)}****`;
    expect(person.idNumber).toBe(concealed);
    expect(person.name).toMatch(/^\p{Script=Han}{2,4}$/u);
    expect(person.licenses.length).toBeGreaterThan(0);
    expect(person.creditRecords.length).toBeGreaterThan(0);
    expect(person.landParcels.length).toBeGreaterThan(0);
    expect(person.utilityAccounts.length).toBeGreaterThan(0);
    expect(person.utilityAccounts[0]!.holderIdNumber).toBe(concealed);
  });

  it('answers a reverse field on a reference within one subgraph as on the entity itself', async () => {
    // license → holderPerson → licenses never leaves business_environment: the Person there is
    // a stub of public_security's entity, made by the reference field, not by `_entities`.
    const response = await sqlite.query<{
      person: {
        licenses: {
          licenseNumber: string;
          holderPerson: { licenses: { licenseNumber: string }[] };
        }[];
        utilityAccounts: {
          accountNumber: string;
          holderPerson: { utilityAccounts: { accountNumber: string }[] };
        }[];
      };
    }>(
      `query ($id: String!) {
        person(idNumber: $id) {
          licenses { licenseNumber holderPerson { licenses { licenseNumber } } }
          utilityAccounts { accountNumber holderPerson { utilityAccounts { accountNumber } } }
        }
      }`,
      { id: demoPerson },
      await sqlite.as('civil_affairs', 'social-assistance'),
    );
    expect(response.errors).toBeUndefined();
    const { licenses, utilityAccounts } = response.data!.person;
    expect(licenses.length).toBeGreaterThan(0);
    expect(utilityAccounts.length).toBeGreaterThan(0);
    const numbers = (list: { licenseNumber: string }[]) => list.map((l) => l.licenseNumber).sort();
    for (const licence of licenses) {
      expect(numbers(licence.holderPerson.licenses)).toEqual(numbers(licenses));
    }
    const accounts = (list: { accountNumber: string }[]) => list.map((a) => a.accountNumber).sort();
    for (const account of utilityAccounts) {
      expect(accounts(account.holderPerson.utilityAccounts)).toEqual(accounts(utilityAccounts));
    }
  });

  it.runIf(runMysql)('answers the same data on MariaDB as on SQLite', async () => {
    const query = async (platform: TestPlatform) =>
      platform.query(
        PERSON_WITH_RECORDS,
        { idNumber: demoPerson },
        await platform.as('civil_affairs', 'social-assistance'),
      );
    const [onSqlite, onMysql] = await Promise.all([query(sqlite), query(mysql!)]);
    expect(onMysql.errors).toBeUndefined();
    expect(onMysql.data).toEqual(onSqlite.data);

    const list = /* GraphQL */ `
      {
        enterprises(first: 30) {
          nodes {
            creditCode
            name
            registeredCapital
            establishedOn
            legalRepresentativeIdNumber
            licenses {
              licenseNumber
            }
            inspections {
              inspectionId
            }
          }
        }
      }
    `;
    const provider = async (platform: TestPlatform) =>
      platform.query(list, {}, await platform.as('market_supervision'));
    const [a, b] = await Promise.all([provider(sqlite), provider(mysql!)]);
    expect(b.errors).toBeUndefined();
    expect(b.data).toEqual(a.data);
  });

  it('makes one SQL statement per entity type per plan step, whatever the number of entities', async () => {
    const counts = new Map<string, number>();
    const listeners = [...sqlite.databases].map(([code, db]) => {
      const listener = () => counts.set(code, (counts.get(code) ?? 0) + 1);
      db.on('query', listener);
      return () => db.off('query', listener);
    });
    try {
      const response = await sqlite.query<{
        persons: { nodes: { licenses: unknown[]; creditRecords: unknown[] }[] };
      }>(
        `{ persons(first: 100) { nodes { idNumber name licenses { licenseNumber kind } creditRecords { recordId category } } } }`,
        {},
        await sqlite.as('public_security'),
      );
      expect(response.errors).toBeUndefined();
      const nodes = response.data!.persons.nodes;
      expect(nodes).toHaveLength(100);
      expect(nodes.filter((n) => n.licenses.length > 0).length).toBeGreaterThan(10);
      expect(Object.fromEntries(counts)).toEqual({
        public_security: 1,
        business_environment: 1,
        development_reform: 1,
      });
    } finally {
      listeners.forEach((off) => off());
    }
  });

  it('pages through a list with cursors, in key order, without gaps or repeats', async () => {
    const headers = await sqlite.as('market_supervision');
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const response: Awaited<
        ReturnType<
          typeof sqlite.query<{
            enterprises: {
              nodes: { creditCode: string }[];
              pageInfo: { hasNextPage: boolean; endCursor: string | null };
            };
          }>
        >
      > = await sqlite.query(
        `query($after: String) { enterprises(first: 7, after: $after) { nodes { creditCode } pageInfo { hasNextPage endCursor } } }`,
        { after },
        headers,
      );
      expect(response.errors).toBeUndefined();
      const { nodes, pageInfo } = response.data!.enterprises;
      seen.push(...nodes.map((n) => n.creditCode));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen.length).toBe(TEST_SCALE / 10);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(seen);
  });

  it('filters on items with bound values', async () => {
    const headers = await sqlite.as('market_supervision');
    const all = await sqlite.query<{
      enterprises: { nodes: { regionCode: string; status: string }[] };
    }>(`{ enterprises(first: 100) { nodes { regionCode status } } }`, {}, headers);
    const expected = all.data!.enterprises.nodes.filter(
      (n) => n.regionCode.startsWith('3302') && n.status === 'ACTIVE',
    );
    const filtered = await sqlite.query<{ enterprises: { nodes: { regionCode: string }[] } }>(
      `{ enterprises(first: 100, filter: { regionCode: { startsWith: "3302" }, status: { eq: "ACTIVE" } }) { nodes { regionCode } } }`,
      {},
      headers,
    );
    expect(filtered.errors).toBeUndefined();
    expect(filtered.data!.enterprises.nodes).toHaveLength(expected.length);
    expect(expected.length).toBeGreaterThan(0);
  });

  it('refuses a date filter that is not a date, naming the argument, where text comparison answered', async () => {
    const headers = await sqlite.as('market_supervision');
    const since = async (date: string) =>
      sqlite.query<{ enterprises: { nodes: { establishedOn: string }[] } }>(
        `query ($date: String) { enterprises(first: 100, filter: { establishedOn: { gte: $date } }) { nodes { establishedOn } } }`,
        { date },
        headers,
      );
    for (const bad of ["2019-13-45'--", '2019-02-30', '20190101', 'yesterday']) {
      const refused = await since(bad);
      expect(refused.data?.enterprises ?? null).toBeNull();
      expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(refused.errors?.[0]?.message).toContain('filter.establishedOn.gte');
      expect(refused.errors?.[0]?.message).toContain('YYYY-MM-DD');
    }
    const good = await since('2019-01-01');
    expect(good.errors).toBeUndefined();
    expect(good.data!.enterprises.nodes.every((n) => n.establishedOn >= '2019-01-01')).toBe(true);
  });

  it('refuses an over-large page with a clear error instead of truncating', async () => {
    const response = await sqlite.query(
      `{ enterprises(first: 101) { nodes { name } } }`,
      {},
      await sqlite.as('market_supervision'),
    );
    expect(response.data).toEqual({ enterprises: null });
    expect(response.errors![0]).toMatchObject({
      message: expect.stringContaining('first must be between 1 and 100'),
      extensions: { code: 'BAD_USER_INPUT', argument: 'first' },
    });
  });

  it('verifies values against a record, answering only yes or no', async () => {
    const headers = await sqlite.as('public_security');
    const person = await sqlite.query<{ person: { name: string; birthDate: string } }>(
      `query($id: String!) { person(idNumber: $id) { name birthDate } }`,
      { id: demoPerson },
      headers,
    );
    const { name, birthDate } = person.data!.person;
    const verify = `query($id: String!, $match: PersonVerifyInput!) { verifyPerson(idNumber: $id, match: $match) }`;
    const yes = await sqlite.query(verify, { id: demoPerson, match: { name, birthDate } }, headers);
    const no = await sqlite.query(verify, { id: demoPerson, match: { name: `${name}X` } }, headers);
    const none = await sqlite.query(verify, { id: '110105194912310021', match: { name } }, headers);
    expect([yes.data, no.data, none.data]).toEqual([
      { verifyPerson: true },
      { verifyPerson: false },
      { verifyPerson: false },
    ]);
    const empty = await sqlite.query(verify, { id: demoPerson, match: {} }, headers);
    expect(empty.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'match',
    });
  });

  it('never lets Apollo Gateway report telemetry or probe cloud metadata', () => {
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
  });

  it('serves health, readiness and a GraphiQL page that loads nothing from elsewhere', async () => {
    const base = sqlite.gateway.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect(await (await fetch(`${base}/ready`)).json()).toMatchObject({ status: 'ready' });
    const page = await (await fetch(`${base}/`)).text();
    expect(page).toContain('GraphiQL');
    // An inline data: URI (the empty favicon) loads nothing at all.
    const sources = [...page.matchAll(/(?:src|href)="([^"]+)"/g)]
      .map((m) => m[1]!)
      .filter((source) => !source.startsWith('data:'));
    expect(sources.length).toBeGreaterThanOrEqual(4);
    for (const source of sources) {
      expect(source.startsWith('/graphiql/')).toBe(true);
      const asset = await fetch(`${base}${source}`);
      expect(asset.status).toBe(200);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
  });
});
