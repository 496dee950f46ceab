import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertGrant,
  loadOrCreateSigningKeys,
  newGrant,
  revokeGrant,
  signInternalToken,
  type Grant,
  type PlatformConfig,
  type RequestIdentity,
} from '../../server/index.ts';
import { DEMO_PERSON_INDEX, personIdNumberAt, REGIONS } from '../../subgraphs/demo-data/index.ts';
import { DEMO_GRANTS } from '../../subgraphs/platform/seeds/demoGrants.ts';
import {
  errorsAt,
  errorsWithReason,
  expectDenied,
  expectIdConcealed,
  expectItemRefused,
  expectNoErrors,
  expectNoIdBeyondRegion,
  expectNotLeaked,
  expectOpaque,
  isIdLike,
  keepEnds,
  revealsAtMost,
  stringsIn,
  type Path,
} from '../support/accessChecks.ts';
import { waitFor } from '../support/responses.ts';
import { availableEngines } from '../support/testDatabase.ts';
import {
  startTestPlatform,
  testConfig,
  type GraphQLResponse,
  type TestPlatform,
} from '../support/testPlatform.ts';

/**
 * Acceptance of issue 11, findings 1-6: the access model cannot be read around.
 * Each test is an attack through the gateway, as a consuming department would
 * make it, and fails if the attack gets data: key items read in full, sourced
 * copies read more openly than their source, verification used as an oracle,
 * row filters skipped in one mode or path, quotas counted per request, and a
 * second grant that narrows or widens the first. One platform per engine; each
 * test that needs grants of its own makes them for a consumer department of
 * its own, so counters (quotas, verification limits) never meet.
 */

const ENGINES = await availableEngines();

/** Verifications of one record a department may make a day unless its grant says otherwise. */
const DEFAULT_VERIFY_LIMIT = 5;
const PURPOSE = 'attack';
const PS = 'PS-POP-001';
const CW = 'CW-ACC-001';
/** The README's example person, who holds one of everything. */
const README_PERSON = personIdNumberAt(DEMO_PERSON_INDEX);

interface PersonRow {
  id_number: string;
  name: string;
  birth_date: string;
  gender: string;
  region_code: string;
  address: string;
  phone: string;
}
interface LicenseRow {
  license_number: string;
  kind: string;
  holder_id_number: string | null;
}
interface CreditRow {
  record_id: string;
  subject_id_number: string | null;
}
interface AccountRow {
  account_number: string;
  holder_id_number: string | null;
  holder_credit_code: string | null;
  address: string;
  status: string;
}
interface ParcelRow {
  parcel_code: string;
  holder_id_number: string | null;
}
interface EnterpriseRow {
  credit_code: string;
  legal_rep_id_number: string | null;
}

/** The demo data as the departments' databases hold it, read once per engine. */
interface DemoData {
  persons: PersonRow[];
  person: Map<string, PersonRow>;
  licenses: LicenseRow[];
  license: Map<string, LicenseRow>;
  credits: CreditRow[];
  accounts: AccountRow[];
  account: Map<string, AccountRow>;
  parcels: ParcelRow[];
  enterprises: EnterpriseRow[];
  enterprise: Map<string, EnterpriseRow>;
  ids: string[];
}

type GrantSpec = Pick<Grant, 'id' | 'consumerDepartment' | 'datasetCode' | 'items'> &
  Partial<Grant>;

interface Page<T> {
  nodes: (T | null)[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** The values of `key` among `group` that no row of `others` shares: seeing one is a leak. */
const valuesOnlyIn = (
  group: readonly PersonRow[],
  others: readonly PersonRow[],
  key: 'name' | 'birth_date',
) => {
  const shared = new Set(others.map((p) => p[key]));
  return [...new Set(group.map((p) => p[key]))].filter((v) => !shared.has(v));
};

/**
 * The test platform with the gateway's and subgraphs' operation limits (aliases,
 * root fields, tokens, cost, rates, response size) opened wide: these attacks
 * test the access model itself, which must hold however many aliases reach it;
 * the operation limits are a separate defence with tests of their own.
 */
function withOpenOperationLimits(config: PlatformConfig): PlatformConfig {
  const limits = (config as unknown as { limits?: Record<string, unknown> }).limits;
  if (!limits) return config;
  const open = {
    depth: 20,
    aliases: 5000,
    rootFields: 5000,
    directives: 50,
    tokens: 500_000,
    cost: 100_000_000,
    requestsPerSecond: 100_000,
    costPerSecond: 1_000_000_000,
  };
  return {
    ...config,
    limits: {
      ...limits,
      authenticated: { ...(limits.authenticated as object), ...open },
      responseMaxBytes: 64 * 1024 * 1024,
      subgraph: { depth: 20, aliases: 5000 },
    },
  } as PlatformConfig;
}

/** `YYYY-MM-DD` as it sits in digits 7-14 of an ID number. */
const compact = (date: string) => date.replace(/-/g, '');

/** Whether `access` is what one demo grant gives: the grant, if the seed still has it. */
const demoGrant = (consumer: string, dataset: string) =>
  DEMO_GRANTS.find((g) => g.consumerDepartment === consumer && g.datasetCode === dataset);

describe.each(ENGINES)('on %s', (engine) => {
  let platform: TestPlatform;
  let data: DemoData;
  const handedOut = new Set<string>();

  beforeAll(async () => {
    platform = await startTestPlatform(engine, {}, withOpenOperationLimits);
    data = await readDemoData(platform);
  });

  afterAll(async () => {
    await platform?.close();
  });

  // ------------------------------------------------------------------ helpers

  const as = (department: string, purpose: string | null = PURPOSE) =>
    platform.as(department, purpose);
  const civilAffairs = () => as('civil_affairs', 'social-assistance');
  const statistics = () => as('statistics', 'statistics');

  /** Inserts an active grant (valid 2020-2099 unless said otherwise) and reloads the rules. */
  async function addGrant(spec: GrantSpec): Promise<Grant> {
    const grant: Grant = {
      ...newGrant(
        {
          purposes: [PURPOSE],
          modes: ['QUERY'],
          validFrom: '2020-01-01T00:00:00.000Z',
          validUntil: '2099-12-31T23:59:59.999Z',
          ...spec,
        },
        'attacksAccessModel.test',
      ),
      ...spec,
    };
    await insertGrant(platform.platformDb, grant);
    await platform.policies.reload();
    return grant;
  }

  async function removeGrant(id: string): Promise<void> {
    await revokeGrant(platform.platformDb, id, 'attacksAccessModel.test', 'test cleanup');
    await platform.policies.reload();
  }

  /** `n` persons no earlier test used (verification limits count per record). */
  function take(n: number, where: (p: PersonRow) => boolean = () => true): PersonRow[] {
    const found = data.persons
      .filter((p) => !handedOut.has(p.id_number) && p.id_number !== README_PERSON && where(p))
      .slice(0, n);
    expect(found, 'enough unused demo persons').toHaveLength(n);
    for (const p of found) handedOut.add(p.id_number);
    return found;
  }

  const inHangzhou = (p: PersonRow) => p.region_code.startsWith('3301');
  const inNingbo = (p: PersonRow) => p.region_code.startsWith('3302');

  /** Every page of a list field, following endCursor (at most 10 pages). */
  async function allPages<T>(
    field: string,
    selection: string,
    headers: Record<string, string>,
    args = '',
  ): Promise<{
    nodes: (T | null)[];
    responses: GraphQLResponse<Record<string, Page<T>>>[];
    /** Each page's nodes, with the response they came in and their index there. */
    located: { node: T | null; response: GraphQLResponse<unknown>; path: Path }[];
  }> {
    const nodes: (T | null)[] = [];
    const responses: GraphQLResponse<Record<string, Page<T>>>[] = [];
    const located: { node: T | null; response: GraphQLResponse<unknown>; path: Path }[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const response: GraphQLResponse<Record<string, Page<T>>> = await platform.query(
        `query ($after: String) { ${field}(first: 100, after: $after${args}) { nodes { ${selection} } pageInfo { hasNextPage endCursor } } }`,
        { after },
        headers,
      );
      responses.push(response);
      const list = response.data?.[field];
      if (!list) break;
      nodes.push(...list.nodes);
      list.nodes.forEach((node, i) => located.push({ node, response, path: [field, 'nodes', i] }));
      if (!list.pageInfo.hasNextPage) break;
      after = list.pageInfo.endCursor;
    }
    return { nodes, responses, located };
  }

  /** A person ID value at `path`: null with a FORBIDDEN naming `item`, or at most its region code. */
  function expectIdAtMostRegion(
    response: GraphQLResponse<unknown>,
    path: Path,
    shown: unknown,
    real: string | null,
    item: string,
  ): void {
    if (shown === null) {
      if (real !== null) expectDenied(response, path, { item });
      return;
    }
    expect(real, `${path.join('.')} answered for a record without a value`).not.toBeNull();
    expectIdConcealed(shown, real!, path.join('.'));
  }

  /** Denials as a client compares them: where, and why; not the wording. */
  const denialsOf = (response: GraphQLResponse<unknown>) =>
    (response.errors ?? [])
      .map((e) =>
        JSON.stringify({
          path: e.path,
          code: e.extensions?.code,
          reason: e.extensions?.reason,
          dataset: e.extensions?.dataset,
          item: e.extensions?.item,
        }),
      )
      .sort();

  // ============================================================ 1. keys are items

  describe('1. keys are items', () => {
    it('the original attack: civil_affairs (birthDate masked to the year) learns no full birth date from persons { idNumber birthDate }', async () => {
      const response = await platform.query<{
        persons: { nodes: ({ idNumber: string | null; birthDate: string | null } | null)[] };
      }>(`{ persons(first: 100) { nodes { idNumber birthDate } } }`, {}, await civilAffairs());
      expect(response.status).toBe(200);
      const nodes = response.data!.persons.nodes;
      expect(nodes).toHaveLength(100);
      nodes.forEach((node, i) => {
        expect(node, `node ${i}`).not.toBeNull();
        expect(node!.birthDate).toMatch(/^\d{4}$/);
        if (node!.idNumber === null) {
          expectDenied(response, ['persons', 'nodes', i, 'idNumber'], {
            dataset: PS,
            item: 'idNumber',
            reason: 'NO_GRANT',
          });
        }
      });
      expectNoIdBeyondRegion(response, data.ids);
      const text = JSON.stringify(response);
      const learned = data.persons.filter(
        (p) => text.includes(compact(p.birth_date)) || text.includes(p.birth_date),
      );
      expect(learned.map((p) => p.birth_date)).toEqual([]);
    });

    it.each([
      ['market_supervision', 'enterprise-registration'],
      ['hangzhou_civil_affairs', 'social-assistance'],
    ])(
      '%s, not granted birthDate, learns no birth date or sex from idNumber on a list',
      async (department, purpose) => {
        const response = await platform.query<{
          persons: { nodes: ({ idNumber: string | null; regionCode: string } | null)[] };
        }>(
          `{ persons(first: 100) { nodes { idNumber regionCode } } }`,
          {},
          await as(department, purpose),
        );
        expect(response.status).toBe(200);
        const nodes = response.data!.persons.nodes;
        expect(nodes.length).toBeGreaterThan(10);
        nodes.forEach((node, i) => {
          if (node?.idNumber === null) {
            expectDenied(response, ['persons', 'nodes', i, 'idNumber'], {
              dataset: PS,
              item: 'idNumber',
            });
          }
        });
        expectNoIdBeyondRegion(response, data.ids);
        const text = JSON.stringify(response);
        expect(data.persons.filter((p) => text.includes(compact(p.birth_date)))).toEqual([]);
      },
    );

    it('a lookup by key still answers, and the key in the answer is decided like an item (aliases, inline and named fragments)', async () => {
      const [p] = take(1);
      const response = await platform.query<{ person: Record<string, unknown> | null }>(
        `fragment Key on Person { b: idNumber }
        query ($id: String!) {
          person(idNumber: $id) { name idNumber a: idNumber ... on Person { c: idNumber } ...Key }
        }`,
        { id: p!.id_number },
        await civilAffairs(),
      );
      expect(response.status).toBe(200);
      const person = response.data!.person!;
      expect(person.name).toBe(p!.name);
      for (const field of ['idNumber', 'a', 'b', 'c']) {
        expectIdAtMostRegion(response, ['person', field], person[field], p!.id_number, 'idNumber');
      }
      expectNotLeaked(response, p!.id_number, compact(p!.birth_date));
    });

    it('through an _entities join: license → holderPerson { idNumber } is decided like an item; the join still answers', async () => {
      const license = data.licenses.find(
        (l) => l.holder_id_number && !handedOut.has(l.holder_id_number),
      )!;
      const holder = data.person.get(license.holder_id_number!)!;
      const query = `query ($n: String!) {
        license(licenseNumber: $n) { kind holderIdNumber holderPerson { idNumber name } }
      }`;
      const ca = await platform.query<{
        license: {
          kind: string;
          holderIdNumber: string | null;
          holderPerson: { idNumber: string | null; name: string } | null;
        };
      }>(query, { n: license.license_number }, await civilAffairs());
      expect(ca.status).toBe(200);
      expect(ca.data!.license.kind).toBe(license.kind);
      expect(ca.data!.license.holderPerson?.name, 'the join through the key still works').toBe(
        holder.name,
      );
      expectIdAtMostRegion(
        ca,
        ['license', 'holderPerson', 'idNumber'],
        ca.data!.license.holderPerson!.idNumber,
        holder.id_number,
        'idNumber',
      );
      expectIdAtMostRegion(
        ca,
        ['license', 'holderIdNumber'],
        ca.data!.license.holderIdNumber,
        holder.id_number,
        'holderIdNumber',
      );
      expectNotLeaked(ca, holder.id_number, compact(holder.birth_date));

      // transport holds no grant on PS-POP-001: the key is denied, not served.
      const transport = await platform.query<{
        license: {
          kind: string;
          holderIdNumber: string | null;
          holderPerson: { idNumber: string | null } | null;
        };
      }>(query, { n: license.license_number }, await as('transport', null));
      expect(transport.data!.license.kind).toBe(license.kind);
      expect(transport.data!.license.holderIdNumber).toBeNull();
      expect(transport.data!.license.holderPerson?.idNumber ?? null).toBeNull();
      expect(errorsAt(transport, ['license', 'holderIdNumber'])[0]?.extensions?.code).toBe(
        'FORBIDDEN',
      );
      expectNotLeaked(transport, holder.id_number, holder.name);
    });

    it('through reverse fields and their joins back: person → utilityAccounts / licenses / creditRecords / landParcels never carry the whole key', async () => {
      const response = await platform.query(
        `query ($id: String!) {
          person(idNumber: $id) {
            name
            utilityAccounts { holderIdNumber holderPerson { idNumber } }
            licenses { holderIdNumber holderPerson { idNumber } }
            creditRecords { subjectIdNumber subjectPerson { idNumber } }
            landParcels { holderIdNumber holderPerson { idNumber } }
            representedEnterprises { legalRepresentativeIdNumber legalRepresentative { idNumber } }
          }
        }`,
        { id: README_PERSON },
        await civilAffairs(),
      );
      expect(response.status).toBe(200);
      const person = (response.data as { person: Record<string, unknown> }).person;
      expect(person.name).toBe(data.person.get(README_PERSON)!.name);
      for (const field of ['utilityAccounts', 'licenses', 'creditRecords', 'landParcels']) {
        expect(person[field], `${field} still joins`).toEqual(
          expect.arrayContaining([expect.anything()]),
        );
      }
      expectNoIdBeyondRegion(response, data.ids);
      for (const error of response.errors ?? []) {
        expect(error.extensions?.code, JSON.stringify(error)).toBe('FORBIDDEN');
      }
    });

    it("the README's query still answers across five departments for civil_affairs, with the key only as its grant allows", async () => {
      const response = await platform.query<{
        person: {
          idNumber: string | null;
          name: string;
          licenses: { licenseNumber: string | null; kind: string }[];
          creditRecords: { category: string }[];
          landParcels: { parcelCode: string | null; landUse: string }[];
          utilityAccounts: { accountNumber: string | null; monthlyUsageM3: number }[];
        };
      }>(
        `query ($idNumber: String!) {
          person(idNumber: $idNumber) {
            idNumber name gender regionCode phone
            licenses { licenseNumber kind status }
            creditRecords { category authority decidedOn }
            landParcels { parcelCode landUse areaSqm }
            utilityAccounts { accountNumber address monthlyUsageM3 arrears }
          }
        }`,
        { idNumber: README_PERSON },
        await civilAffairs(),
      );
      expect(response.status).toBe(200);
      const person = response.data!.person;
      expect(person.name).toBe(data.person.get(README_PERSON)!.name);
      expect(person.licenses.length).toBeGreaterThan(0);
      expect(person.creditRecords.length).toBeGreaterThan(0);
      expect(person.landParcels.length).toBeGreaterThan(0);
      expect(person.utilityAccounts.length).toBeGreaterThan(0);
      expectIdAtMostRegion(
        response,
        ['person', 'idNumber'],
        person.idNumber,
        README_PERSON,
        'idNumber',
      );
      // Keys of the joined datasets: shown exactly when the demo grant gives them.
      const water = demoGrant('civil_affairs', CW)!;
      person.utilityAccounts.forEach((a, i) => {
        if (water.items.includes('accountNumber')) expect(a.accountNumber).not.toBeNull();
        else {
          expect(a.accountNumber).toBeNull();
          expectDenied(response, ['person', 'utilityAccounts', i, 'accountNumber'], {
            dataset: CW,
            item: 'accountNumber',
            reason: 'NO_GRANT',
          });
        }
      });
      const land = demoGrant('civil_affairs', 'NR-LAND-001')!;
      person.landParcels.forEach((l, i) => {
        if (land.items.includes('parcelCode')) expect(l.parcelCode).not.toBeNull();
        else {
          expect(l.parcelCode).toBeNull();
          expectDenied(response, ['person', 'landParcels', i, 'parcelCode'], {
            item: 'parcelCode',
            reason: 'NO_GRANT',
          });
        }
      });
      for (const error of response.errors ?? []) {
        expect(error.extensions?.code, JSON.stringify(error)).toBe('FORBIDDEN');
      }
      expectNoIdBeyondRegion(response, data.ids);
    });

    it('a grant that omits another dataset key (CW-ACC-001 accountNumber): null with NO_GRANT on lookups and lists', async () => {
      await addGrant({
        id: 'G-ATK-KEY-OMIT',
        consumerDepartment: 'atk_key_omit',
        datasetCode: CW,
        items: ['address', 'status'],
      });
      const account = data.accounts[7]!;
      const response = await platform.query<{
        utilityAccount: { accountNumber: string | null; status: string } | null;
        utilityAccounts: { nodes: ({ accountNumber: string | null; status: string } | null)[] };
      }>(
        `query ($a: String!) {
          utilityAccount(accountNumber: $a) { accountNumber status }
          utilityAccounts(first: 20) { nodes { accountNumber status } }
        }`,
        { a: account.account_number },
        await as('atk_key_omit'),
      );
      expect(response.status).toBe(200);
      expect(response.data!.utilityAccount).toEqual({
        accountNumber: null,
        status: account.status,
      });
      const denial = { dataset: CW, item: 'accountNumber', reason: 'NO_GRANT' };
      expectDenied(response, ['utilityAccount', 'accountNumber'], denial);
      const nodes = response.data!.utilityAccounts.nodes;
      expect(nodes).toHaveLength(20);
      nodes.forEach((node, i) => {
        expect(node?.accountNumber ?? null).toBeNull();
        expect(node?.status).toMatch(/^[A-Z]+$/);
        expectDenied(response, ['utilityAccounts', 'nodes', i, 'accountNumber'], denial);
      });
      expectNotLeaked(response, ...data.accounts.map((a) => a.account_number));
    });

    it('a grant that masks a key (accountNumber KEEP_ENDS 4/2): masked on lookups and lists, and no filter on it', async () => {
      await addGrant({
        id: 'G-ATK-KEY-MASK',
        consumerDepartment: 'atk_key_mask',
        datasetCode: CW,
        // The address unmasked: the number, which embeds its region, is the grant's own mask alone.
        items: ['accountNumber', 'status', 'address'],
        masks: { accountNumber: { rule: 'KEEP_ENDS', first: 4, last: 2 } },
      });
      const account = data.accounts[8]!;
      const headers = await as('atk_key_mask');
      const response = await platform.query<{
        utilityAccount: { accountNumber: string | null } | null;
        utilityAccounts: { nodes: ({ accountNumber: string | null } | null)[] };
      }>(
        `query ($a: String!) {
          utilityAccount(accountNumber: $a) { accountNumber }
          utilityAccounts(first: 30) { nodes { accountNumber } }
        }`,
        { a: account.account_number },
        headers,
      );
      expectNoErrors(response);
      expect(response.data!.utilityAccount).toEqual({
        accountNumber: keepEnds(account.account_number, 4, 2),
      });
      for (const node of response.data!.utilityAccounts.nodes) {
        const shown = node!.accountNumber!;
        expect(
          data.accounts.some((a) =>
            revealsAtMost(
              shown,
              a.account_number,
              (i) => i < 4 || i >= a.account_number.length - 2,
            ),
          ),
          shown,
        ).toBe(true);
      }
      expectNotLeaked(response, ...data.accounts.map((a) => a.account_number));

      const filtered = await platform.query(
        `query ($p: String!) { utilityAccounts(first: 5, filter: { accountNumber: { startsWith: $p } }) { nodes { status } } }`,
        { p: account.account_number.slice(0, 10) },
        headers,
      );
      expect(filtered.data ?? { utilityAccounts: null }).toEqual({ utilityAccounts: null });
      expectItemRefused(filtered, ['utilityAccounts'], 'accountNumber', CW);
    });

    it('the provider itself still reads and filters its key in full (control)', async () => {
      const [p] = take(1);
      const response = await platform.query<{
        persons: { nodes: { idNumber: string }[] };
      }>(
        `query ($id: String!) { persons(first: 5, filter: { idNumber: { eq: $id } }) { nodes { idNumber } } }`,
        { id: p!.id_number },
        await as('public_security', null),
      );
      expectNoErrors(response);
      expect(response.data!.persons.nodes).toEqual([{ idNumber: p!.id_number }]);
    });

    describe('embedded facts: idNumber embeds birthDate and gender', () => {
      it('a grant listing idNumber unmasked but birthDate masked to the year gets at most the region code, on lookups and lists', async () => {
        await addGrant({
          id: 'G-ATK-EMB-YEAR',
          consumerDepartment: 'atk_emb_year',
          datasetCode: PS,
          items: ['idNumber', 'name', 'birthDate', 'gender'],
          masks: { birthDate: { rule: 'YEAR_ONLY' } },
        });
        const [p] = take(1);
        const headers = await as('atk_emb_year');
        const lookup = await platform.query<{ person: { idNumber: string | null } }>(
          `query ($id: String!) { person(idNumber: $id) { idNumber } }`,
          { id: p!.id_number },
          headers,
        );
        expect(
          lookup.data!.person.idNumber,
          'idNumber is granted: masked, not denied',
        ).not.toBeNull();
        expectIdConcealed(lookup.data!.person.idNumber, p!.id_number);
        const list = await platform.query(
          `{ persons(first: 100) { nodes { idNumber birthDate gender } } }`,
          {},
          headers,
        );
        expect(list.status).toBe(200);
        expectNoIdBeyondRegion(list, data.ids);
        const text = JSON.stringify(list);
        expect(data.persons.filter((x) => text.includes(compact(x.birth_date)))).toEqual([]);
      });

      it('a grant listing idNumber and birthDate but not gender gets at most the region code', async () => {
        await addGrant({
          id: 'G-ATK-EMB-NOSEX',
          consumerDepartment: 'atk_emb_nosex',
          datasetCode: PS,
          items: ['idNumber', 'birthDate'],
        });
        const response = await platform.query(
          `{ persons(first: 100) { nodes { idNumber birthDate } } }`,
          {},
          await as('atk_emb_nosex'),
        );
        expect(response.status).toBe(200);
        expectNoIdBeyondRegion(response, data.ids);
      });

      it("a grant masking idNumber to its last 4 (sex digit) without gender gets neither the tail nor more than the grant's mask", async () => {
        await addGrant({
          id: 'G-ATK-EMB-TAIL',
          consumerDepartment: 'atk_emb_tail',
          datasetCode: PS,
          items: ['idNumber', 'birthDate'],
          masks: { idNumber: { rule: 'KEEP_ENDS', first: 0, last: 4 } },
        });
        const [p] = take(1);
        const response = await platform.query<{ person: { idNumber: string | null } }>(
          `query ($id: String!) { person(idNumber: $id) { idNumber } }`,
          { id: p!.id_number },
          await as('atk_emb_tail'),
        );
        expect(response.status).toBe(200);
        const shown = response.data!.person.idNumber;
        // The grant shows at most positions 14-17, the embedding at most 0-5: nothing may show.
        if (shown !== null) expect(shown).toBe('****');
        expectNotLeaked(response, p!.id_number, p!.id_number.slice(-4));
      });

      it('control: a grant giving idNumber, birthDate and gender unmasked reads the whole number and may filter on it', async () => {
        await addGrant({
          id: 'G-ATK-EMB-FULL',
          consumerDepartment: 'atk_emb_full',
          datasetCode: PS,
          items: ['idNumber', 'birthDate', 'gender'],
        });
        const [p] = take(1);
        const response = await platform.query<{
          person: { idNumber: string };
          persons: { nodes: { idNumber: string }[] };
        }>(
          `query ($id: String!) {
            person(idNumber: $id) { idNumber }
            persons(first: 5, filter: { idNumber: { eq: $id } }) { nodes { idNumber } }
          }`,
          { id: p!.id_number },
          await as('atk_emb_full'),
        );
        expectNoErrors(response);
        expect(response.data!.person.idNumber).toBe(p!.id_number);
        expect(response.data!.persons.nodes).toEqual([{ idNumber: p!.id_number }]);
      });
    });

    describe('filters on a key need it unmasked', () => {
      it.each([
        ['startsWith', { startsWith: '330106' }],
        ['eq', { eq: README_PERSON }],
        ['in', { in: [README_PERSON] }],
      ])('civil_affairs filtering persons by idNumber (%s) is refused', async (_op, condition) => {
        const response = await platform.query(
          `query ($f: StringFilter) { persons(first: 5, filter: { idNumber: $f }) { nodes { name } } }`,
          { f: condition },
          await civilAffairs(),
        );
        expect(response.data ?? { persons: null }).toEqual({ persons: null });
        expectItemRefused(response, ['persons'], 'idNumber', PS);
      });

      it.each([
        ['utilityAccounts', 'holderIdNumber', 'accountNumber'],
        ['licenses', 'holderIdNumber', 'kind'],
        ['creditRecords', 'subjectIdNumber', 'category'],
        ['landParcels', 'holderIdNumber', 'landUse'],
      ])(
        'civil_affairs filtering %s by the copied ID number (%s) is refused',
        async (list, item, other) => {
          const response = await platform.query(
            `query ($id: String!) { ${list}(first: 5, filter: { ${item}: { eq: $id } }) { nodes { ${other} } } }`,
            { id: README_PERSON },
            await civilAffairs(),
          );
          expect(response.data ?? { [list]: null }).toEqual({ [list]: null });
          expectItemRefused(response, [list], item);
        },
      );
    });

    it('the order of a list does not give away the concealed key: civil_affairs cannot sort people by birth date', async () => {
      // Lists page in a fixed order. If that order were the ID number's, a consumer who
      // sees the number concealed to its first 6 digits, and the birth year, would still
      // learn who of the same birthplace was born before whom: digits 7-14 are the birth date.
      const { nodes } = await allPages<{
        idNumber: string | null;
        name: string;
        gender: string;
        birthDate: string;
      }>('persons', 'idNumber name gender birthDate', await civilAffairs());
      expect(nodes).toHaveLength(data.persons.length);
      const groups = new Map<string, string[]>();
      for (const node of nodes) {
        const prefix = node!.idNumber?.slice(0, 6) ?? '';
        const matches = data.persons.filter(
          (p) =>
            p.id_number.startsWith(prefix) &&
            p.name === node!.name &&
            p.gender === node!.gender &&
            p.birth_date.startsWith(node!.birthDate),
        );
        if (matches.length !== 1) continue;
        groups.set(prefix, [...(groups.get(prefix) ?? []), matches[0]!.birth_date]);
      }
      // Pairs listed in birth-date order: about half in an order that owes nothing to the key.
      let concordant = 0;
      let pairs = 0;
      for (const dates of groups.values()) {
        dates.forEach((a, i) =>
          dates.slice(i + 1).forEach((b) => {
            if (a === b) return;
            pairs += 1;
            if (a < b) concordant += 1;
          }),
        );
      }
      expect(pairs, 'pairs of people told apart').toBeGreaterThan(500);
      expect(
        concordant / pairs,
        `${concordant} of ${pairs} pairs of people (same visible prefix) listed in birth-date order`,
      ).toBeLessThan(0.7);
    });

    describe('join handles and cursors are opaque', () => {
      it('joinHandle reveals no key, differs per request and means nothing as a key', async () => {
        const query = `{ persons(first: 10) { nodes { joinHandle name } } }`;
        const headers = await civilAffairs();
        const first = await platform.query<{
          persons: { nodes: { joinHandle: string; name: string }[] };
        }>(query, {}, headers);
        const second = await platform.query<{
          persons: { nodes: { joinHandle: string; name: string }[] };
        }>(query, {}, headers);
        expectNoErrors(first);
        expectNoErrors(second);
        const a = first.data!.persons.nodes;
        const b = second.data!.persons.nodes;
        expect(a.map((n) => n.name)).toEqual(b.map((n) => n.name));
        a.forEach((node, i) => {
          expect(node.joinHandle).toEqual(expect.any(String));
          expect(node.joinHandle, 'sealed afresh in every request').not.toBe(b[i]!.joinHandle);
          expectOpaque(node.joinHandle, ...data.ids);
        });
        expect(new Set(a.map((n) => n.joinHandle)).size).toBe(a.length);

        const asKey = await platform.query(
          `query ($id: String!) { person(idNumber: $id) { name } }`,
          { id: a[0]!.joinHandle },
          headers,
        );
        expect(asKey.data ?? { person: null }).toEqual({ person: null });
        for (const error of asKey.errors ?? []) {
          expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
        }
      });

      it("a handle replayed to the subgraph in another request's signed context opens nothing (control: in its own request's, it does)", async () => {
        const listed = await fetch(platform.gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(await as('public_security', null)) },
          body: JSON.stringify({ query: `{ persons(first: 1) { nodes { joinHandle } } }` }),
        });
        const requestId = listed.headers.get('x-request-id');
        expect(requestId, 'the gateway names its request').toEqual(expect.any(String));
        const handle = (
          (await listed.json()) as { data: { persons: { nodes: { joinHandle: string }[] } } }
        ).data.persons.nodes[0]!.joinHandle;
        const privateKey = await gatewaySigningKey(platform);
        const url = platform.subgraphs.find((s) => s.name === 'public_security')!.url;
        const body = JSON.stringify({
          query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { name phone } } }`,
          variables: { r: [{ __typename: 'Person', joinHandle: handle }] },
        });
        /** Posts the representation to the subgraph as the gateway would, within request `rid`. */
        const replay = async (rid: string) => {
          const identity = {
            caller: {
              department: 'public_security',
              application: null,
              user: null,
              roles: ['APP_DEVELOPER'],
            },
            purpose: null,
            grantId: null,
            requestId: rid,
            correlationId: null,
            operationName: null,
          } as RequestIdentity;
          const token = await signInternalToken(identity, 'public_security', privateKey, body);
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-govdata-context': token },
            body,
          });
          return response.text();
        };
        const owner = data.persons[0]!;
        const own = await replay(requestId!);
        expect(own, 'control: the handle opens within its own request').toContain(owner.name);
        const elsewhere = await replay('replayed-elsewhere');
        expect(elsewhere).not.toContain(owner.name);
        expect(elsewhere).not.toContain(owner.phone);
        expect(elsewhere).not.toContain(owner.id_number);
      });

      it('list cursors hold no key, page on, and forged or foreign cursors are BAD_USER_INPUT', async () => {
        const headers = await civilAffairs();
        const page = `query ($after: String) { persons(first: 5, after: $after) { nodes { name regionCode } pageInfo { endCursor hasNextPage } } }`;
        type P = { persons: Page<{ name: string; regionCode: string }> };
        const one = await platform.query<P>(page, { after: null }, headers);
        expectNoErrors(one);
        const cursor = one.data!.persons.pageInfo.endCursor!;
        expectOpaque(cursor, ...data.ids);
        const two = await platform.query<P>(page, { after: cursor }, headers);
        expectNoErrors(two);
        const ten = await platform.query<{ persons: { nodes: unknown[] } }>(
          `{ persons(first: 10) { nodes { name regionCode } } }`,
          {},
          headers,
        );
        expectNoErrors(ten);
        expect([...one.data!.persons.nodes, ...two.data!.persons.nodes]).toEqual(
          ten.data!.persons.nodes,
        );

        const water = await platform.query<{ utilityAccounts: Page<unknown> }>(
          `{ utilityAccounts(first: 5) { nodes { status } pageInfo { endCursor hasNextPage } } }`,
          {},
          await statistics(),
        );
        expectNoErrors(water);
        expectOpaque(
          water.data!.utilityAccounts.pageInfo.endCursor!,
          ...data.accounts.map((a) => a.account_number),
        );

        const licenses = await platform.query<{ licenses: Page<unknown> }>(
          `{ licenses(first: 5) { nodes { kind } pageInfo { endCursor hasNextPage } } }`,
          {},
          headers,
        );
        expectNoErrors(licenses);
        const licenseCursor = licenses.data!.licenses.pageInfo.endCursor!;
        expectOpaque(licenseCursor, ...data.licenses.map((l) => l.license_number));

        const flipped = cursor.slice(0, -2) + (cursor.at(-2) === 'A' ? 'B' : 'A') + cursor.at(-1);
        const forged = [
          [
            'an old-style cursor naming a key',
            Buffer.from(JSON.stringify([README_PERSON])).toString('base64url'),
          ],
          ['a cursor of another dataset (licenses)', licenseCursor],
          ['a tampered cursor', flipped],
          ['a truncated cursor', cursor.slice(0, Math.floor(cursor.length / 2))],
        ];
        for (const [label, after] of forged) {
          const response = await platform.query(page, { after }, headers);
          expect(response.data?.persons ?? null, label).toBeNull();
          expect(response.errors?.[0]?.extensions?.code, label).toBe('BAD_USER_INPUT');
        }
      });
    });
  });

  // ============================================== 2. sourced facts keep their source's rules

  describe("2. sourced facts keep their source's rules", () => {
    it('the original attack: statistics re-identifies no masked water holder from licence and credit record copies', async () => {
      const headers = await statistics();
      const water = await allPages<{ holderIdNumber: string | null }>(
        'utilityAccounts',
        'accountNumber holderIdNumber',
        headers,
      );
      const licenses = await allPages<{ holderIdNumber: string | null }>(
        'licenses',
        'licenseNumber holderIdNumber',
        headers,
      );
      const credits = await allPages<{ subjectIdNumber: string | null }>(
        'creditRecords',
        'recordId subjectIdNumber',
        headers,
      );
      const enterprises = await allPages<{ legalRepresentativeIdNumber: string | null }>(
        'enterprises',
        'creditCode legalRepresentativeIdNumber',
        headers,
      );
      const responses: GraphQLResponse<unknown>[] = [
        ...water.responses,
        ...licenses.responses,
        ...credits.responses,
        ...enterprises.responses,
      ];
      expect(licenses.nodes.length).toBeGreaterThan(50);
      expect(credits.nodes.length).toBeGreaterThan(20);
      const values = responses.flatMap((r) => stringsIn(r.data)).filter(isIdLike);
      const realIds = new Set(data.ids);
      const whole = new Set(values.filter((v) => realIds.has(v)));
      const masked = values.filter((v) => v.includes('*'));
      const reidentified = masked.filter(
        (m) => [...whole].filter((w) => revealsAtMost(m, w, () => true)).length === 1,
      );
      expect([...whole], 'whole ID numbers served to statistics').toEqual([]);
      expect(reidentified).toEqual([]);
      for (const response of responses) expectNoIdBeyondRegion(response, data.ids);
    });

    it('transport, with no grant on PS-POP-001, gets every copied ID number denied while the rest of the open datasets answers', async () => {
      const response = await platform.query<{
        licenses: { nodes: { kind: string; holderIdNumber: string | null }[] };
        creditRecords: { nodes: { category: string; subjectIdNumber: string | null }[] };
        enterprises: { nodes: { name: string; legalRepresentativeIdNumber: string | null }[] };
      }>(
        `{
          licenses(first: 50) { nodes { kind holderIdNumber } }
          creditRecords(first: 50) { nodes { category subjectIdNumber } }
          enterprises(first: 40) { nodes { name legalRepresentativeIdNumber } }
        }`,
        {},
        await as('transport', null),
      );
      expect(response.status).toBe(200);
      const d = response.data!;
      expect(d.licenses.nodes.length).toBe(50);
      for (const n of d.licenses.nodes) {
        expect(n.kind).toEqual(expect.any(String));
        expect(n.holderIdNumber).toBeNull();
      }
      for (const n of d.creditRecords.nodes) {
        expect(n.category).toEqual(expect.any(String));
        expect(n.subjectIdNumber).toBeNull();
      }
      for (const n of d.enterprises.nodes) {
        expect(n.name).toEqual(expect.any(String));
        expect(n.legalRepresentativeIdNumber).toBeNull();
      }
      for (const item of ['holderIdNumber', 'subjectIdNumber', 'legalRepresentativeIdNumber']) {
        const denials = (response.errors ?? []).filter((e) => e.extensions?.item === item);
        expect(denials.length, `${item} denied`).toBeGreaterThan(0);
        for (const e of denials) expect(e.extensions?.code).toBe('FORBIDDEN');
      }
      expectNotLeaked(response, ...data.ids);
    });

    it('civil_affairs (birthDate masked) gets every copy of the ID number at most as its source: the region code', async () => {
      const headers = await civilAffairs();
      const lists: [string, string][] = [
        ['licenses', 'kind holderIdNumber'],
        ['creditRecords', 'recordId subjectIdNumber'],
        ['utilityAccounts', 'holderIdNumber status'],
        ['landParcels', 'holderIdNumber landUse'],
        ['enterprises', 'creditCode legalRepresentativeIdNumber'],
      ];
      for (const [field, selection] of lists) {
        const { nodes, responses } = await allPages<unknown>(field, selection, headers);
        expect(nodes.length, `${field} answers`).toBeGreaterThan(0);
        for (const response of responses) expectNoIdBeyondRegion(response, data.ids);
      }
    });

    it.each([
      ['statistics', 'statistics'],
      ['transport', null],
      ['civil_affairs', 'social-assistance'],
    ])(
      "a licence number that is its holder's ID number (driving licences) is not served to %s in full: the key of an open dataset embeds the ID number",
      async (department, purpose) => {
        const driving = data.licenses.filter(
          (l) => l.holder_id_number !== null && l.license_number === l.holder_id_number,
        );
        expect(driving.length, 'the demo numbers driving licences by ID number').toBeGreaterThan(0);
        const headers = await as(department, purpose);
        const { nodes, responses } = await allPages<{ licenseNumber: string | null }>(
          'licenses',
          'licenseNumber kind',
          headers,
        );
        expect(nodes.length).toBe(data.licenses.length);
        for (const response of responses) expectNoIdBeyondRegion(response, data.ids);
        const [license] = driving;
        const lookup = await platform.query(
          `query ($n: String!) { license(licenseNumber: $n) { licenseNumber kind holderPerson { name } } }`,
          { n: license!.license_number },
          headers,
        );
        expect(lookup.status).toBe(200);
        expectNoIdBeyondRegion(lookup, data.ids);
      },
    );

    /** Grants on the datasets holding copies, for the copy items (their own sharingType is CONDITIONAL). */
    async function copyGrants(consumer: string): Promise<void> {
      await addGrant({
        id: `G-ATK-${consumer}-LIC`,
        consumerDepartment: consumer,
        datasetCode: 'BE-LIC-001',
        items: ['kind', 'holderIdNumber'],
      });
      await addGrant({
        id: `G-ATK-${consumer}-CRD`,
        consumerDepartment: consumer,
        datasetCode: 'DR-CRD-001',
        items: ['recordId', 'category', 'subjectIdNumber'],
      });
    }

    it('when the source grant has a row filter, every copy is denied (it cannot be checked per record)', async () => {
      await addGrant({
        id: 'G-ATK-SRC-ROWS',
        consumerDepartment: 'atk_src_rows',
        datasetCode: PS,
        items: ['idNumber', 'name', 'birthDate', 'gender'],
        rowFilter: { regionCode: { startsWith: '3301' } },
      });
      await copyGrants('atk_src_rows');
      const headers = await as('atk_src_rows');
      const [inside] = take(1, inHangzhou);
      const control = await platform.query<{ person: { idNumber: string } }>(
        `query ($id: String!) { person(idNumber: $id) { idNumber } }`,
        { id: inside!.id_number },
        headers,
      );
      expectNoErrors(control);
      expect(control.data!.person.idNumber).toBe(inside!.id_number);
      expect(
        data.licenses.some(
          (l) => l.holder_id_number && inHangzhou(data.person.get(l.holder_id_number)!),
        ),
      ).toBe(true);

      const licenses = await allPages<{ kind: string; holderIdNumber: string | null }>(
        'licenses',
        'kind holderIdNumber',
        headers,
      );
      expect(licenses.nodes.length).toBe(data.licenses.length);
      for (const node of licenses.nodes) expect(node!.holderIdNumber).toBeNull();
      const credits = await allPages<{ recordId: string; subjectIdNumber: string | null }>(
        'creditRecords',
        'recordId subjectIdNumber',
        headers,
      );
      expect(credits.nodes.length).toBe(data.credits.length);
      for (const node of credits.nodes) expect(node!.subjectIdNumber).toBeNull();
      for (const response of [...licenses.responses, ...credits.responses])
        expectNotLeaked(response, ...data.ids);
    });

    it('when the source masks idNumber (KEEP_ENDS 3/2), the credit record copy is masked at least as much, and cannot be filtered on', async () => {
      await addGrant({
        id: 'G-ATK-SRC-MASK',
        consumerDepartment: 'atk_src_mask',
        datasetCode: PS,
        items: ['idNumber', 'birthDate', 'gender'],
        masks: { idNumber: { rule: 'KEEP_ENDS', first: 3, last: 2 } },
      });
      await copyGrants('atk_src_mask');
      const headers = await as('atk_src_mask');
      const credits = await allPages<{ recordId: string; subjectIdNumber: string | null }>(
        'creditRecords',
        'recordId subjectIdNumber',
        headers,
      );
      const record = new Map(data.credits.map((c) => [c.record_id, c]));
      let masked = 0;
      for (const node of credits.nodes) {
        const real = record.get(node!.recordId)!.subject_id_number;
        if (node!.subjectIdNumber === null) continue;
        expect(real).not.toBeNull();
        expect(revealsAtMost(node!.subjectIdNumber, real!, (i) => i < 3 || i >= 16)).toBe(true);
        masked += 1;
      }
      expect(masked, 'the masked copy is served, not denied outright').toBeGreaterThan(0);
      for (const response of credits.responses) expectNotLeaked(response, ...data.ids);

      const filtered = await platform.query(
        `query ($id: String!) { licenses(first: 5, filter: { holderIdNumber: { eq: $id } }) { nodes { kind } } }`,
        { id: README_PERSON },
        headers,
      );
      expect(filtered.data ?? { licenses: null }).toEqual({ licenses: null });
      expectItemRefused(filtered, ['licenses'], 'holderIdNumber');
    });

    it('control: when the source gives idNumber, birthDate and gender unmasked (and a grant gives the copy), the copies answer in full and can be filtered on', async () => {
      await addGrant({
        id: 'G-ATK-SRC-FULL',
        consumerDepartment: 'atk_src_full',
        datasetCode: PS,
        items: ['idNumber', 'birthDate', 'gender'],
      });
      await copyGrants('atk_src_full');
      const headers = await as('atk_src_full');
      const credits = await allPages<{ recordId: string; subjectIdNumber: string | null }>(
        'creditRecords',
        'recordId subjectIdNumber',
        headers,
      );
      for (const response of credits.responses) expectNoErrors(response);
      const record = new Map(data.credits.map((c) => [c.record_id, c]));
      expect(credits.nodes.length).toBe(data.credits.length);
      for (const node of credits.nodes) {
        expect(node!.subjectIdNumber).toBe(record.get(node!.recordId)!.subject_id_number);
      }
      const filtered = await platform.query<{ licenses: { nodes: { kind: string }[] } }>(
        `query ($id: String!) { licenses(first: 100, filter: { holderIdNumber: { eq: $id } }) { nodes { kind } } }`,
        { id: README_PERSON },
        headers,
      );
      expectNoErrors(filtered);
      expect(filtered.data!.licenses.nodes.map((n) => n.kind).sort()).toEqual(
        data.licenses
          .filter((l) => l.holder_id_number === README_PERSON)
          .map((l) => l.kind)
          .sort(),
      );
    });

    it.each([
      ['transport', null, 'licenses', 'holderIdNumber', 'eq'],
      ['statistics', 'statistics', 'creditRecords', 'subjectIdNumber', 'startsWith'],
      ['transport', null, 'enterprises', 'legalRepresentativeIdNumber', 'in'],
    ])(
      '%s filtering %s by the copied %s (%s) is refused: no filter oracle on a copy',
      async (department, purpose, list, item, op) => {
        const condition =
          op === 'eq'
            ? { eq: README_PERSON }
            : op === 'in'
              ? { in: [README_PERSON] }
              : { startsWith: '330106' };
        const response = await platform.query(
          `query ($f: StringFilter) { ${list}(first: 5, filter: { ${item}: $f }) { pageInfo { hasNextPage } } }`,
          { f: condition },
          await as(department, purpose),
        );
        expect(response.data ?? { [list]: null }).toEqual({ [list]: null });
        expectItemRefused(response, [list], item);
      },
    );

    it('through joins and reverse fields: statistics reaching licences and credit records via a legal representative reads no whole ID', async () => {
      const response = await platform.query(
        `{
          enterprises(first: 40) {
            nodes {
              legalRepresentativeIdNumber
              legalRepresentative {
                idNumber
                licenses { holderIdNumber holderPerson { idNumber } }
                creditRecords { subjectIdNumber }
                landParcels { holderIdNumber }
              }
              licenses { holderIdNumber }
            }
          }
        }`,
        {},
        await statistics(),
      );
      expect(response.status).toBe(200);
      expectNoIdBeyondRegion(response, data.ids);
      for (const error of response.errors ?? []) {
        expect(error.extensions?.code, JSON.stringify(error)).toBe('FORBIDDEN');
      }
    });

    describe('catalogue validation: a copy may not be published more openly than its source', () => {
      const SAVE = `mutation ($doc: String!) { saveCatalogueDraft(document: $doc, changeReason: "Attack test", triggerDate: "2026-11-20") { code version status } }`;
      const SUBMIT = `mutation ($code: String!) { submitCatalogueEntry(code: $code, version: 1) { status warnings } }`;

      /** A city_water entry holding a copy of the resident ID number, on a table that exists. */
      async function draft(
        code: string,
        sharing: Record<string, unknown>,
        copy: Record<string, unknown>,
      ): Promise<GraphQLResponse<{ submitCatalogueEntry: { status: string } }>> {
        const suffix = code.replace(/-/g, '').toLowerCase();
        const table = `t_${suffix}`;
        try {
          await platform.databases.get('city_water')!.schema.createTable(table, (t) => {
            t.string('record_number', 32).primary();
            t.string('holder_id_number', 18);
          });
        } catch {
          // A department connection without CREATE rights: the draft still names a table.
        }
        const doc = JSON.stringify({
          code,
          name: `Attack dataset ${code}`,
          summary: `A dataset copying the resident ID number (${code}).`,
          classification: 'DEPARTMENT',
          theme: 'testing',
          department: 'city_water',
          format: 'DATABASE',
          updateCycle: 'DAILY',
          publishedOn: '2026-11-21',
          sharing,
          binding: { table, type: `Atk${suffix.replace(/[^a-z0-9]/g, '')}`, key: ['recordNumber'] },
          items: [
            {
              name: 'recordNumber',
              title: `记录编号 ${code}`,
              description: 'Number of the record.',
              type: 'STRING',
              column: 'record_number',
              sensitivity: 'INTERNAL',
            },
            {
              name: 'holderIdNumber',
              title: `户主身份号码 ${code}`,
              description: 'Resident ID number of the holder.',
              type: 'STRING',
              column: 'holder_id_number',
              sensitivity: 'SENSITIVE',
              ...copy,
            },
          ],
        });
        const it = {
          authorization: `Bearer ${await platform.token({ department: 'city_water', roles: ['DEPT_IT'], user: 'cw.it' })}`,
        };
        const saved = await platform.query<{ saveCatalogueDraft: { status: string } }>(
          SAVE,
          { doc },
          it,
        );
        expectNoErrors(saved);
        return platform.query(SUBMIT, { code }, it);
      }

      it.each([
        [
          'source: PS-POP-001.idNumber',
          'CW-ATK-201',
          { authoritative: false, source: 'PS-POP-001.idNumber' },
        ],
        [
          'references: Person',
          'CW-ATK-202',
          { authoritative: false, references: { type: 'Person', field: 'holderPerson' } },
        ],
      ])(
        'an UNCONDITIONAL entry with a copy by %s is refused, naming both entries',
        async (_label, code, copy) => {
          const response = await draft(code, { type: 'UNCONDITIONAL', modes: ['QUERY'] }, copy);
          expect(response.data?.submitCatalogueEntry ?? null).toBeNull();
          const error = response.errors?.[0];
          expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
          expect(error?.message).toContain(code);
          expect(error?.message).toContain(PS);
        },
      );

      it('control: the same copy in a CONDITIONAL entry is submitted', async () => {
        const response = await draft(
          'CW-ATK-203',
          {
            type: 'CONDITIONAL',
            conditions: 'For the tests only.',
            legalBasis: 'Test regulation, art. 1.',
            modes: ['QUERY'],
          },
          { authoritative: false, source: 'PS-POP-001.idNumber' },
        );
        expectNoErrors(response);
        expect(response.data!.submitCatalogueEntry.status).toBe('SUBMITTED');
      });
    });
  });

  // ================================================================ 3. VERIFY is a read

  describe('3. VERIFY is a read', () => {
    const verifyAliases = (
      entries: { alias: string; id: string; match: Record<string, string> }[],
    ) =>
      `{ ${entries
        .map(
          (e) =>
            `${e.alias}: verifyPerson(idNumber: ${JSON.stringify(e.id)}, match: { ${Object.entries(
              e.match,
            )
              .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
              .join(', ')} })`,
        )
        .join('\n')} }`;

    it('the original attack: 365 aliases of verifyPerson(birthDate) under a grant masking birthDate learn no true', async () => {
      const [p] = take(1);
      const year = Number(p!.birth_date.slice(0, 4));
      const days: string[] = [];
      for (
        let d = new Date(Date.UTC(year, 0, 1));
        d.getUTCFullYear() === year;
        d.setUTCDate(d.getUTCDate() + 1)
      ) {
        days.push(d.toISOString().slice(0, 10));
      }
      expect(days).toContain(p!.birth_date);
      const response = await platform.query<Record<string, boolean | null>>(
        verifyAliases(
          days.map((day, i) => ({ alias: `d${i}`, id: p!.id_number, match: { birthDate: day } })),
        ),
        {},
        await civilAffairs(),
      );
      expect(response.status).toBe(200);
      const answers = Object.values(response.data ?? {});
      expect(answers.filter((a) => a === true)).toEqual([]);
      expect(answers.filter((a) => a !== null)).toEqual([]);
      days.forEach((_, i) => expectItemRefused(response, [`d${i}`], 'birthDate', PS));
    });

    it('market_supervision (name, regionCode granted) may verify name but not birthDate or gender', async () => {
      const [p] = take(1);
      const response = await platform.query<Record<string, boolean | null>>(
        verifyAliases([
          { alias: 'name', id: p!.id_number, match: { name: p!.name } },
          { alias: 'birth', id: p!.id_number, match: { birthDate: p!.birth_date } },
          { alias: 'sex', id: p!.id_number, match: { gender: p!.gender } },
          { alias: 'both', id: p!.id_number, match: { name: p!.name, birthDate: p!.birth_date } },
        ]),
        {},
        await as('market_supervision', 'enterprise-registration'),
      );
      expect(response.data).toEqual({ name: true, birth: null, sex: null, both: null });
      expectItemRefused(response, ['birth'], 'birthDate', PS);
      expectItemRefused(response, ['sex'], 'gender', PS);
      expectItemRefused(response, ['both'], 'birthDate', PS);
    });

    it('a masked item (address KEEP_ENDS 6/0) may not be verified, alone or beside an unmasked one', async () => {
      await addGrant({
        id: 'G-ATK-V-MASK',
        consumerDepartment: 'atk_v_mask',
        datasetCode: PS,
        items: ['name', 'address'],
        masks: { address: { rule: 'KEEP_ENDS', first: 6, last: 0 } },
        modes: ['QUERY', 'VERIFY'],
      });
      const [p] = take(1);
      const response = await platform.query<Record<string, boolean | null>>(
        verifyAliases([
          { alias: 'name', id: p!.id_number, match: { name: p!.name } },
          { alias: 'address', id: p!.id_number, match: { address: p!.address } },
          { alias: 'wrong', id: p!.id_number, match: { address: `${p!.address}X` } },
          { alias: 'both', id: p!.id_number, match: { name: p!.name, address: p!.address } },
        ]),
        {},
        await as('atk_v_mask'),
      );
      expect(response.data).toEqual({ name: true, address: null, wrong: null, both: null });
      for (const alias of ['address', 'wrong', 'both']) {
        expectItemRefused(response, [alias], 'address', PS);
      }
    });

    it("a copied ID number may not be verified without its source's unmasked VERIFY: utility accounts and licences", async () => {
      await addGrant({
        id: 'G-ATK-V-SRC',
        consumerDepartment: 'atk_v_src',
        datasetCode: CW,
        items: ['holderIdNumber', 'address', 'status'],
        modes: ['VERIFY'],
      });
      const account = data.accounts.find(
        (a) =>
          a.holder_id_number &&
          a.account_number !== data.accounts[7]!.account_number &&
          a.account_number !== data.accounts[8]!.account_number,
      )!;
      const water = await platform.query<Record<string, boolean | null>>(
        `query ($a: String!, $id: String!, $address: String!) {
          id: verifyUtilityAccount(accountNumber: $a, match: { holderIdNumber: $id })
          address: verifyUtilityAccount(accountNumber: $a, match: { address: $address })
        }`,
        { a: account.account_number, id: account.holder_id_number, address: account.address },
        await as('atk_v_src'),
      );
      expect(water.data).toEqual({ id: null, address: true });
      expectItemRefused(water, ['id'], 'holderIdNumber');

      const license = data.licenses.find((l) => l.holder_id_number)!;
      for (const [department, purpose] of [
        ['transport', null],
        ['civil_affairs', 'social-assistance'],
      ] as const) {
        const response = await platform.query<Record<string, boolean | null>>(
          `query ($n: String!, $id: String!, $kind: String!) {
            id: verifyLicense(licenseNumber: $n, match: { holderIdNumber: $id })
            kind: verifyLicense(licenseNumber: $n, match: { kind: $kind })
          }`,
          { n: license.license_number, id: license.holder_id_number, kind: license.kind },
          await as(department, purpose),
        );
        expect(response.data, department).toEqual({ id: null, kind: true });
        expectItemRefused(response, ['id'], 'holderIdNumber');
      }
    });

    describe('per-record verification limit', () => {
      beforeAll(async () => {
        for (const consumer of ['atk_v_limit', 'atk_v_limit2', 'atk_v_burst']) {
          await addGrant({
            id: `G-ATK-${consumer}`,
            consumerDepartment: consumer,
            datasetCode: PS,
            items: ['name'],
            modes: ['VERIFY'],
          });
        }
      });

      const verifyOne = async (department: string, p: PersonRow, name: string) =>
        platform.query<{ v: boolean | null }>(
          `query ($id: String!, $name: String!) { v: verifyPerson(idNumber: $id, match: { name: $name }) }`,
          { id: p.id_number, name },
          await as(department),
        );

      it(`request by request: ${DEFAULT_VERIFY_LIMIT} verifications of one record answer, the next (even the right guess) is VERIFY_LIMIT_EXCEEDED; other records and other departments are not affected`, async () => {
        const [q, r] = take(2);
        for (let i = 0; i < DEFAULT_VERIFY_LIMIT; i += 1) {
          const guess = await verifyOne('atk_v_limit', q!, `${q!.name}${i}`);
          expectNoErrors(guess);
          expect(guess.data).toEqual({ v: false });
        }
        const right = await verifyOne('atk_v_limit', q!, q!.name);
        expect(right.data, 'the right guess after the limit is not confirmed').toEqual({ v: null });
        expectDenied(right, ['v'], { dataset: PS, reason: 'VERIFY_LIMIT_EXCEEDED' });
        const otherRecord = await verifyOne('atk_v_limit', r!, r!.name);
        expect(otherRecord.data).toEqual({ v: true });
        const otherDepartment = await verifyOne('atk_v_limit2', q!, q!.name);
        expect(otherDepartment.data, 'the limit counts per consumer department').toEqual({
          v: true,
        });
      });

      it(`in one request: of ${DEFAULT_VERIFY_LIMIT + 2} aliased verifications of one record, ${DEFAULT_VERIFY_LIMIT} answer and 2 are VERIFY_LIMIT_EXCEEDED`, async () => {
        const [q] = take(1);
        const guesses = Array.from({ length: DEFAULT_VERIFY_LIMIT + 2 }, (_, i) => ({
          alias: `g${i}`,
          id: q!.id_number,
          match: { name: i === DEFAULT_VERIFY_LIMIT + 1 ? q!.name : `${q!.name}${i}` },
        }));
        const burst = await platform.query<Record<string, boolean | null>>(
          verifyAliases(guesses),
          {},
          await as('atk_v_burst'),
        );
        const answers = Object.values(burst.data ?? {});
        expect(
          answers.filter((a) => a !== null).length,
          'never more than the limit',
        ).toBeLessThanOrEqual(DEFAULT_VERIFY_LIMIT);
        const limited = errorsWithReason(burst, 'VERIFY_LIMIT_EXCEEDED');
        for (const e of limited)
          expect(e.extensions).toMatchObject({ code: 'FORBIDDEN', dataset: PS });
        expect(limited, 'the verifications past the limit are refused').toHaveLength(2);
        expect(
          answers.filter((a) => a !== null),
          'those within the limit answer',
        ).toHaveLength(DEFAULT_VERIFY_LIMIT);
      });

      it(`concurrent requests: of 12 parallel verifications of one record, at most ${DEFAULT_VERIFY_LIMIT} answer`, async () => {
        await addGrant({
          id: 'G-ATK-V-PARALLEL',
          consumerDepartment: 'atk_v_parallel',
          datasetCode: PS,
          items: ['name'],
          modes: ['VERIFY'],
        });
        const [q] = take(1);
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            verifyOne('atk_v_parallel', q!, i === 11 ? q!.name : `${q!.name}${i}`),
          ),
        );
        const answered = results.filter((r) => r.data?.v !== null && r.data?.v !== undefined);
        expect(answered.length).toBeLessThanOrEqual(DEFAULT_VERIFY_LIMIT);
        for (const r of results) {
          if (r.data?.v === null) expectDenied(r, ['v'], { reason: 'VERIFY_LIMIT_EXCEEDED' });
        }
      });

      it("a grant's own per-record limit (2) holds", async () => {
        await addGrant({
          id: 'G-ATK-V-GRANTLIMIT',
          consumerDepartment: 'atk_v_grantlimit',
          datasetCode: PS,
          items: ['name'],
          modes: ['VERIFY'],
          verifyLimitPerRecord: 2,
        });
        const [q] = take(1);
        for (let i = 0; i < 2; i += 1) {
          const guess = await verifyOne('atk_v_grantlimit', q!, `${q!.name}${i}`);
          expect(guess.data).toEqual({ v: false });
        }
        const third = await verifyOne('atk_v_grantlimit', q!, q!.name);
        expect(third.data).toEqual({ v: null });
        expectDenied(third, ['v'], { dataset: PS, reason: 'VERIFY_LIMIT_EXCEEDED' });
      });

      it('other spellings of a key (trailing spaces, tabs, another case) name no record, on every engine: no way around the per-record limit, no record counted for a lookup', async () => {
        await addGrant({
          id: 'G-ATK-V-SPELLING',
          consumerDepartment: 'atk_v_spelling',
          datasetCode: PS,
          items: ['name'],
          modes: ['QUERY', 'VERIFY'],
          dailyQuota: 1_000,
        });
        // One with a check digit X, where an ID number has one: its lower case is another spelling.
        const [q] = take(1, (p) => /X$/.test(p.id_number));
        for (let i = 0; i < DEFAULT_VERIFY_LIMIT; i += 1) {
          const guess = await verifyOne('atk_v_spelling', q!, `${q!.name}${i}`);
          expect(guess.data).toEqual({ v: false });
        }
        const spellings = [' ', '  ', '      ', '\t'].map((pad) => `${q!.id_number}${pad}`);
        spellings.push(q!.id_number.toLowerCase(), ` ${q!.id_number}`);
        const headers = await as('atk_v_spelling');
        const usage = async () =>
          Number(
            (
              await platform
                .platformDb('grant_usage')
                .where({ grant_id: 'G-ATK-V-SPELLING' })
                .sum({ calls: 'calls' })
            )[0]?.calls ?? 0,
          );
        const before = await usage();
        for (const spelling of spellings) {
          const response = await platform.query<{ v: boolean | null; p: unknown }>(
            `query ($id: String!, $name: String!) {
              v: verifyPerson(idNumber: $id, match: { name: $name })
              p: person(idNumber: $id) { name }
            }`,
            { id: spelling, name: q!.name },
            headers,
          );
          expect(response.data?.v ?? false, JSON.stringify(spelling)).toBe(false);
          expect(response.data?.p ?? null, JSON.stringify(spelling)).toBeNull();
        }
        // The lookups found nothing, so counted nothing (verifications count one each, found or not).
        expect((await usage()) - before).toBe(spellings.length);
        const exact = await verifyOne('atk_v_spelling', q!, q!.name);
        expect(exact.data).toEqual({ v: null });
        expectDenied(exact, ['v'], { dataset: PS, reason: 'VERIFY_LIMIT_EXCEEDED' });
      });
    });

    it('the original attack: 1,002 verifications of water account status in one request (tax) learn at most the per-record limit of each account', async () => {
      const used = new Set([7, 8].map((i) => data.accounts[i]!.account_number));
      const accounts = data.accounts.filter((a) => !used.has(a.account_number)).slice(-167);
      expect(accounts).toHaveLength(167);
      const statuses = ['ACTIVE', 'SUSPENDED', 'CLOSED', 'PENDING', 'DISCONNECTED', 'UNKNOWN'];
      const aliases: { alias: string; account: string }[] = [];
      const lines = accounts.flatMap((a, i) =>
        statuses.map((status, j) => {
          const alias = `a${i}_${j}`;
          aliases.push({ alias, account: a.account_number });
          return `${alias}: verifyUtilityAccount(accountNumber: "${a.account_number}", match: { status: "${status}" })`;
        }),
      );
      expect(lines).toHaveLength(1002);
      const response = await platform.query<Record<string, boolean | null>>(
        `{ ${lines.join('\n')} }`,
        {},
        await as('tax', 'tax-verification'),
      );
      expect(response.status).toBe(200);
      const answered = new Map<string, number>();
      for (const { alias, account } of aliases) {
        if (response.data?.[alias] !== null && response.data?.[alias] !== undefined) {
          answered.set(account, (answered.get(account) ?? 0) + 1);
        }
      }
      const over = [...answered].filter(([, n]) => n > DEFAULT_VERIFY_LIMIT);
      expect(over, 'accounts verified more often than the limit').toEqual([]);
      // Each account was tried six times: the limit refused at least one try of each (a try may
      // also fail closed under load, UNAVAILABLE, which reveals nothing either).
      expect(errorsWithReason(response, 'VERIFY_LIMIT_EXCEEDED').length).toBeGreaterThan(0);
      for (const { alias } of aliases) {
        if (response.data?.[alias] === null) expect(errorsAt(response, [alias])).toHaveLength(1);
      }

      // The audit's ACCESS record says how many verifications were made, if it has such a field.
      const introspection = await platform.query<{
        __type: { fields: { name: string }[] } | null;
      }>(`{ __type(name: "AuditRecord") { fields { name } } }`);
      const field = introspection.data?.__type?.fields
        .map((f) => f.name)
        .find((name) => /^verifications?(Count|Made)?$/i.test(name));
      if (!field) return; // Another helper owns the audit fields; nothing to check yet.
      const fresh = data.accounts.find(
        (a) => !used.has(a.account_number) && !accounts.includes(a),
      )!;
      const control = await platform.query<{ v: boolean }>(
        `query ($a: String!, $s: String!) { v: verifyUtilityAccount(accountNumber: $a, match: { status: $s }) }`,
        { a: fresh.account_number, s: fresh.status },
        await as('tax', 'tax-verification'),
      );
      expect(control.data).toEqual({ v: true });
      const audit = await waitFor('the ACCESS record of a verification', async () => {
        const records = await platform.query<{
          auditRecords: { nodes: Record<string, unknown>[] };
        }>(
          `{ auditRecords(filter: { department: "tax", dataset: "CW-ACC-001", kind: ACCESS }, first: 100) { nodes { ${field} } } }`,
          {},
          await as('tax', null),
        );
        expectNoErrors(records);
        const counts = records.data!.auditRecords.nodes.map((n) => Number(n[field]));
        return Math.max(0, ...counts) > 0 ? counts : undefined;
      });
      expect(Math.max(...audit)).toBeGreaterThan(0);
    });
  });

  // ===================================================== 4. row filters on every path and mode

  describe('4. row filters on every path and mode', () => {
    it('the original attack: a VERIFY-only grant with a row filter answers no true outside it', async () => {
      await addGrant({
        id: 'G-ATK-ROWS-V',
        consumerDepartment: 'atk_rows_v',
        datasetCode: PS,
        items: ['name', 'regionCode', 'gender'],
        modes: ['VERIFY'],
        rowFilter: { regionCode: { startsWith: '3301' } },
      });
      const headers = await as('atk_rows_v');
      const outside = take(20, (p) => !inHangzhou(p));
      const [inside] = take(1, inHangzhou);
      const response = await platform.query<Record<string, boolean | null>>(
        `{ ${[
          ...outside.map(
            (p, i) =>
              `o${i}: verifyPerson(idNumber: "${p.id_number}", match: { name: ${JSON.stringify(p.name)}, regionCode: "${p.region_code}" })`,
          ),
          ...outside.map(
            (p, i) =>
              `g${i}: verifyPerson(idNumber: "${p.id_number}", match: { gender: "${p.gender}" })`,
          ),
          `inside: verifyPerson(idNumber: "${inside!.id_number}", match: { name: ${JSON.stringify(inside!.name)} })`,
        ].join('\n')} }`,
        {},
        headers,
      );
      expect(response.status).toBe(200);
      const answers = response.data!;
      expect(answers.inside, 'control: inside the filter the right name verifies').toBe(true);
      const trues = Object.entries(answers).filter(
        ([alias, v]) => alias !== 'inside' && v === true,
      );
      expect(trues).toEqual([]);
    });

    it('a VERIFY-only grant with a row filter gives no lookup or list either', async () => {
      const [outside] = take(1, (p) => !inHangzhou(p));
      const response = await platform.query(
        `query ($id: String!) { person(idNumber: $id) { name } persons(first: 5) { nodes { name } } }`,
        { id: outside!.id_number },
        await as('atk_rows_v'),
      );
      expect(response.data ?? { person: null, persons: null }).toEqual({
        person: null,
        persons: null,
      });
      expectDenied(response, ['person'], { dataset: PS, reason: 'MODE_NOT_ALLOWED' });
      expectNotLeaked(response, outside!.name);
    });

    describe('a grant on CW-ACC-001 limited to ACTIVE accounts', () => {
      beforeAll(async () => {
        await addGrant({
          id: 'G-ATK-ROWS-CW',
          consumerDepartment: 'atk_rows_cw',
          datasetCode: CW,
          items: ['accountNumber', 'holderCreditCode', 'address', 'status', 'monthlyUsageM3'],
          modes: ['QUERY', 'VERIFY'],
          rowFilter: { status: { eq: 'ACTIVE' } },
        });
      });

      it('lists, lookups and verification see only ACTIVE accounts', async () => {
        const headers = await as('atk_rows_cw');
        const { nodes, responses } = await allPages<{ accountNumber: string; status: string }>(
          'utilityAccounts',
          'accountNumber status',
          headers,
        );
        for (const r of responses) expectNoErrors(r);
        const active = data.accounts.filter((a) => a.status === 'ACTIVE');
        const inactive = data.accounts.filter((a) => a.status !== 'ACTIVE');
        expect(inactive.length).toBeGreaterThan(2);
        expect(nodes.map((n) => n!.accountNumber).sort()).toEqual(
          active.map((a) => a.account_number).sort(),
        );

        const [closed, other] = inactive;
        const response = await platform.query<Record<string, unknown>>(
          `query ($a: String!, $b: String!, $s: String!, $t: String!, $addr: String!, $ok: String!, $okAddr: String!) {
            lookup: utilityAccount(accountNumber: $a) { status }
            status: verifyUtilityAccount(accountNumber: $a, match: { status: $s })
            address: verifyUtilityAccount(accountNumber: $a, match: { address: $addr })
            other: verifyUtilityAccount(accountNumber: $b, match: { status: $t })
            control: verifyUtilityAccount(accountNumber: $ok, match: { address: $okAddr })
          }`,
          {
            a: closed!.account_number,
            b: other!.account_number,
            s: closed!.status,
            t: other!.status,
            addr: closed!.address,
            ok: active[0]!.account_number,
            okAddr: active[0]!.address,
          },
          headers,
        );
        expect(response.data!.lookup).toBeNull();
        expect(response.data!.status).not.toBe(true);
        expect(response.data!.address).not.toBe(true);
        expect(response.data!.other).not.toBe(true);
        expect(response.data!.control).toBe(true);
        expectNotLeaked(response, closed!.address);
      });

      it('the reverse field enterprise → utilityAccounts holds only ACTIVE accounts', async () => {
        const response = await platform.query<{
          enterprises: {
            nodes: {
              creditCode: string;
              utilityAccounts: { accountNumber: string; status: string }[] | null;
            }[];
          };
        }>(
          `{ enterprises(first: 100) { nodes { creditCode utilityAccounts { accountNumber status } } } }`,
          {},
          await as('atk_rows_cw'),
        );
        expect(response.status).toBe(200);
        const codes = new Set(response.data!.enterprises.nodes.map((n) => n.creditCode));
        const held = data.accounts.filter(
          (a) => a.holder_credit_code && codes.has(a.holder_credit_code),
        );
        expect(
          held.some((a) => a.status !== 'ACTIVE'),
          'some enterprise holds an inactive account',
        ).toBe(true);
        const seen = response.data!.enterprises.nodes.flatMap((n) => n.utilityAccounts ?? []);
        for (const a of seen) expect(a.status).toBe('ACTIVE');
        expect(seen.map((a) => a.accountNumber).sort()).toEqual(
          held
            .filter((a) => a.status === 'ACTIVE')
            .map((a) => a.account_number)
            .sort(),
        );
      });
    });

    it('an _entities join through a reference does not escape the row filter (hangzhou_civil_affairs, legal representatives)', async () => {
      const response = await platform.query<{
        enterprises: {
          nodes: {
            creditCode: string;
            legalRepresentative: { regionCode: string | null; name: string | null } | null;
          }[];
        };
      }>(
        `{ enterprises(first: 40) { nodes { creditCode legalRepresentative { regionCode name } } } }`,
        {},
        await as('hangzhou_civil_affairs', 'social-assistance'),
      );
      expect(response.status).toBe(200);
      let inside = 0;
      let outside = 0;
      for (const node of response.data!.enterprises.nodes) {
        const rep = data.person.get(
          data.enterprise.get(node.creditCode)!.legal_rep_id_number ?? '',
        );
        if (!rep) continue;
        if (inHangzhou(rep)) {
          inside += 1;
          expect(
            node.legalRepresentative?.regionCode,
            'control: the join answers inside the filter',
          ).toBe(rep.region_code);
        } else {
          outside += 1;
          expect(node.legalRepresentative?.regionCode ?? null).toBeNull();
          expect(node.legalRepresentative?.name ?? null).toBeNull();
          expectNotLeaked(response, rep.name);
        }
      }
      expect(inside).toBeGreaterThan(0);
      expect(outside).toBeGreaterThan(0);
    });
  });

  // ===================================================== 5. quotas count records

  describe('5. quotas count records', () => {
    const regions = REGIONS.map((r) => r.code);

    /** Grant G-ATK-Q-<NAME> on the population's names and regions to atk_q_<name>; its headers. */
    async function quotaGrant(name: string, dailyQuota: number, extra: Partial<GrantSpec> = {}) {
      await addGrant({
        id: `G-ATK-Q-${name.toUpperCase()}`,
        consumerDepartment: `atk_q_${name}`,
        datasetCode: PS,
        items: ['name', 'regionCode'],
        dailyQuota,
        ...extra,
      });
      return as(`atk_q_${name}`);
    }

    it('the original attack: two requests of 50 aliased persons(first: 100) under dailyQuota 2 return at most 2 records', async () => {
      const headers = await quotaGrant('list', 2);
      const aliases = Array.from({ length: 50 }, (_, i) => ({
        alias: `p${i}`,
        region: regions[i % regions.length]!,
      }));
      const first = await platform.query<Record<string, Page<{ name: string }> | null>>(
        `{ ${aliases
          .map(
            (a) =>
              `${a.alias}: persons(first: 100, filter: { regionCode: { eq: "${a.region}" } }) { nodes { name } pageInfo { endCursor } }`,
          )
          .join('\n')} }`,
        {},
        headers,
      );
      const cursors = aliases.map((a) => first.data?.[a.alias]?.pageInfo.endCursor ?? null);
      const second = await platform.query<Record<string, Page<{ name: string }> | null>>(
        `{ ${aliases
          .map(
            (a, i) =>
              `${a.alias}: persons(first: 100${cursors[i] ? `, after: "${cursors[i]}"` : ''}) { nodes { name } }`,
          )
          .join('\n')} }`,
        {},
        headers,
      );
      const records = [first, second].flatMap((r) =>
        Object.values(r.data ?? {}).flatMap((list) =>
          (list?.nodes ?? []).filter((n) => n !== null),
        ),
      );
      expect(records.length, 'records served under a quota of 2').toBeLessThanOrEqual(2);
      expect(errorsWithReason(first, 'QUOTA_EXCEEDED').length).toBeGreaterThan(0);
      expect(errorsWithReason(second, 'QUOTA_EXCEEDED').length).toBeGreaterThan(0);
      const names = new Set(data.persons.map((p) => p.name));
      const text = JSON.stringify([first, second]);
      const leaked = [...names].filter((n) => text.includes(`"${n}"`));
      expect(leaked.length).toBeLessThanOrEqual(2);
    });

    it('a list that would pass the quota gets what remains, then one node null with QUOTA_EXCEEDED, and a cursor after what it got', async () => {
      const headers = await quotaGrant('remainder', 7);
      const response = await platform.query<{
        persons: {
          nodes: ({ name: string } | null)[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        } | null;
      }>(
        `{ persons(first: 10) { nodes { name } pageInfo { hasNextPage endCursor } } }`,
        {},
        headers,
      );
      expect(response.status).toBe(200);
      const { nodes, pageInfo } = response.data!.persons!;
      // Seven records, then one error however many more matched (ten here, all of the page).
      expect(nodes).toHaveLength(8);
      expect(nodes.slice(0, 7).every((n) => n !== null)).toBe(true);
      expect(nodes[7]).toBeNull();
      expect(errorsAt(response, ['persons', 'nodes', 7])[0]?.extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'QUOTA_EXCEEDED',
      });
      expect(pageInfo.hasNextPage).toBe(true);
      expect(pageInfo.endCursor).not.toBeNull();
    });

    it('the count oracle, as found: past a spent quota a filter that matches and one that does not answer alike, lists and joins', async () => {
      const headers = await quotaGrant('oracle', 3, {
        rowFilter: { regionCode: { startsWith: '3301' } },
      });
      const inside = data.persons.filter((p) => p.region_code.startsWith('3301'));
      const outside = data.persons.filter((p) => !p.region_code.startsWith('3301'));
      expect(inside.length).toBeGreaterThan(5);
      // Spend the quota: three records, then the cut (five matched; their number is not told).
      const spend = await platform.query<{ persons: { nodes: unknown[] } }>(
        `{ persons(first: 5) { nodes { name } } }`,
        {},
        headers,
      );
      expect(spend.data!.persons.nodes).toHaveLength(4);
      // A name that exists in the region and one that does not: the same answer, refused whole.
      const probe = (name: string) =>
        platform.query<{ persons: { nodes: unknown[] } | null }>(
          `query ($r: String!, $n: String!) { persons(first: 100, filter: { regionCode: { eq: $r }, name: { startsWith: $n } }) { nodes { name } pageInfo { hasNextPage endCursor } } }`,
          { r: inside[0]!.region_code, n: name },
          headers,
        );
      const hit = await probe(inside[0]!.name.slice(0, 2));
      const miss = await probe('不存在的名字');
      for (const answer of [hit, miss]) {
        expect(answer.data?.persons ?? null).toBeNull();
        expectDenied(answer, ['persons'], { dataset: PS, reason: 'QUOTA_EXCEEDED' });
      }
      expect(JSON.stringify(hit.data)).toBe(JSON.stringify(miss.data));
      expect(hit.errors?.map((e) => e.extensions?.reason)).toEqual(
        miss.errors?.map((e) => e.extensions?.reason),
      );
      // A join answers alike for a subject inside the grant's row filter and one outside it.
      const subjects = data.credits.filter((c) => c.subject_id_number !== null);
      const insideSubject = subjects.find((c) =>
        inside.some((p) => p.id_number === c.subject_id_number),
      );
      const outsideSubject = subjects.find((c) =>
        outside.some((p) => p.id_number === c.subject_id_number),
      );
      expect(
        insideSubject && outsideSubject,
        'credit records inside and outside 3301',
      ).toBeTruthy();
      const joined = async (credit: CreditRow) => {
        const answer = await platform.query(
          `query ($r: String!) { creditRecords(first: 1, filter: { recordId: { eq: $r } }) { nodes { subjectPerson { name } } } }`,
          { r: credit.record_id },
          headers,
        );
        return {
          data: answer.data,
          errors: answer.errors?.map((e) => [e.path?.join('.'), e.extensions?.reason]),
        };
      };
      const insideAnswer = await joined(insideSubject!);
      expect(insideAnswer.errors).toContainEqual([
        'creditRecords.nodes.@.subjectPerson._entities',
        'QUOTA_EXCEEDED',
      ]);
      expect(await joined(outsideSubject!)).toEqual(insideAnswer);
    });

    it('a quota used up exactly, by a read that does not cross it, answers alike past it, matching or not', async () => {
      const headers = await quotaGrant('exact', 2);
      const spend = await platform.query<{ persons: { nodes: unknown[] } }>(
        `{ persons(first: 2) { nodes { name } } }`,
        {},
        headers,
      );
      expectNoErrors(spend);
      expect(spend.data!.persons.nodes).toHaveLength(2);
      const probe = (name: string) =>
        platform.query<{ persons: { nodes: unknown[] } | null }>(
          `query ($n: String!) { persons(first: 5, filter: { name: { startsWith: $n } }) { nodes { name } pageInfo { hasNextPage } } }`,
          { n: name },
          headers,
        );
      const miss = await probe('不存在的名字');
      const hit = await probe(data.persons[0]!.name.slice(0, 1));
      for (const answer of [miss, hit]) {
        expect(answer.data?.persons ?? null).toBeNull();
        expectDenied(answer, ['persons'], { dataset: PS, reason: 'QUOTA_EXCEEDED' });
      }
    });

    it('a quota another replica used up answers alike here too, found or not, before this process has charged it', async () => {
      const headers = await quotaGrant('elsewhere', 4);
      // Spent by another replica: this process has not charged the grant today.
      const day = (await import('../../schema/index.ts')).civilDateIn(new Date());
      await platform
        .platformDb('grant_usage')
        .insert({ grant_id: 'G-ATK-Q-ELSEWHERE', day, calls: 4 });
      const [person] = take(1);
      const list = (name: string) =>
        platform.query(
          `query ($n: String!) { persons(first: 5, filter: { name: { eq: $n } }) { nodes { name } } }`,
          { n: name },
          headers,
        );
      const lookup = (id: string) =>
        platform.query(`query ($id: String!) { person(idNumber: $id) { name } }`, { id }, headers);
      const answers = [
        await list('不存在的名字'),
        await list(person!.name),
        await lookup('330106196310210009'),
        await lookup(person!.id_number),
      ];
      for (const [i, answer] of answers.entries()) {
        expect(answer.data ?? null, `answer ${i}`).toEqual(
          i < 2 ? { persons: null } : { person: null },
        );
        expectDenied(answer, [i < 2 ? 'persons' : 'person'], {
          dataset: PS,
          reason: 'QUOTA_EXCEEDED',
        });
      }
      expectNotLeaked(answers[1]!, person!.name);
    });

    it('lookups count one record each: the ones beyond the quota are null with QUOTA_EXCEEDED, in this request and the next', async () => {
      await addGrant({
        id: 'G-ATK-Q-LOOKUP',
        consumerDepartment: 'atk_q_lookup',
        datasetCode: PS,
        items: ['name'],
        dailyQuota: 3,
      });
      const people = take(6);
      const headers = await as('atk_q_lookup');
      const response = await platform.query<Record<string, { name: string } | null>>(
        `{ ${people
          .slice(0, 5)
          .map((p, i) => `p${i}: person(idNumber: "${p.id_number}") { name }`)
          .join('\n')} }`,
        {},
        headers,
      );
      const answered = Object.values(response.data ?? {}).filter((v) => v !== null);
      expect(answered).toHaveLength(3);
      expect(errorsWithReason(response, 'QUOTA_EXCEEDED')).toHaveLength(2);
      const next = await platform.query(
        `query ($id: String!) { person(idNumber: $id) { name } }`,
        { id: people[5]!.id_number },
        headers,
      );
      expect(next.data ?? { person: null }).toEqual({ person: null });
      expectDenied(next, ['person'], { dataset: PS, reason: 'QUOTA_EXCEEDED' });
      expectNotLeaked(next, people[5]!.name);
    });

    it('entities resolved through a join count against the quota of their dataset', async () => {
      await addGrant({
        id: 'G-ATK-Q-JOIN',
        consumerDepartment: 'atk_q_join',
        datasetCode: PS,
        items: ['name'],
        dailyQuota: 2,
      });
      // Licences are shared with every department, so following holderPerson needs no grant on
      // them: the link is the dataset's to give (the holder's number, a copy, stays the population's).
      const response = await platform.query<{
        licenses: {
          nodes: { kind: string; holderPerson: { name: string | null } | null }[];
        };
      }>(
        `{ licenses(first: 60) { nodes { kind holderPerson { name } } } }`,
        {},
        await as('atk_q_join'),
      );
      expect(response.status).toBe(200);
      const nodes = response.data!.licenses.nodes;
      expect(nodes).toHaveLength(60);
      // Two records: a person holding several of these licences is one record, answered under each.
      const names = new Set(nodes.flatMap((n) => n.holderPerson?.name ?? []));
      expect(names.size).toBeLessThanOrEqual(2);
      expect(errorsWithReason(response, 'QUOTA_EXCEEDED').length).toBeGreaterThan(0);
    });

    it('rows reached through a reverse field count against the quota', async () => {
      await addGrant({
        id: 'G-ATK-Q-REVERSE',
        consumerDepartment: 'atk_q_reverse',
        datasetCode: CW,
        items: ['accountNumber', 'holderCreditCode', 'status'],
        dailyQuota: 2,
      });
      const response = await platform.query<{
        enterprises: {
          nodes: { creditCode: string; utilityAccounts: ({ status: string } | null)[] | null }[];
        };
      }>(
        `{ enterprises(first: 100) { nodes { creditCode utilityAccounts { status } } } }`,
        {},
        await as('atk_q_reverse'),
      );
      expect(response.status).toBe(200);
      const codes = new Set(response.data!.enterprises.nodes.map((n) => n.creditCode));
      expect(
        data.accounts.filter((a) => a.holder_credit_code && codes.has(a.holder_credit_code)).length,
      ).toBeGreaterThan(2);
      const served = response.data!.enterprises.nodes.flatMap((n) =>
        (n.utilityAccounts ?? []).filter((a) => a !== null),
      );
      expect(served.length).toBeLessThanOrEqual(2);
      expect(errorsWithReason(response, 'QUOTA_EXCEEDED').length).toBeGreaterThan(0);
    });

    it('concurrent requests share one quota: 12 parallel lookups under dailyQuota 5 get at most 5 records', async () => {
      await addGrant({
        id: 'G-ATK-Q-PARALLEL',
        consumerDepartment: 'atk_q_parallel',
        datasetCode: PS,
        items: ['name'],
        dailyQuota: 5,
      });
      const people = take(12);
      const headers = await as('atk_q_parallel');
      const results = await Promise.all(
        people.map((p) =>
          platform.query<{ person: { name: string } | null }>(
            `query ($id: String!) { person(idNumber: $id) { name } }`,
            { id: p.id_number },
            headers,
          ),
        ),
      );
      const served = results.filter((r) => r.data?.person);
      expect(served.length).toBeLessThanOrEqual(5);
      expect(served.length, 'the quota is served, not refused whole').toBeGreaterThan(0);
      for (const r of results) {
        if (!r.data?.person) expect(errorsWithReason(r, 'QUOTA_EXCEEDED')).toHaveLength(1);
      }
    });

    it('verifications count against the quota too, together with records', async () => {
      await addGrant({
        id: 'G-ATK-Q-VERIFY',
        consumerDepartment: 'atk_q_verify',
        datasetCode: PS,
        items: ['name'],
        modes: ['QUERY', 'VERIFY'],
        dailyQuota: 4,
      });
      const people = take(6);
      const headers = await as('atk_q_verify');
      const lookup = await platform.query(
        `query ($id: String!) { person(idNumber: $id) { name } }`,
        { id: people[0]!.id_number },
        headers,
      );
      expectNoErrors(lookup);
      const response = await platform.query<Record<string, boolean | null>>(
        `{ ${people
          .slice(1)
          .map(
            (p, i) =>
              `v${i}: verifyPerson(idNumber: "${p.id_number}", match: { name: ${JSON.stringify(p.name)} })`,
          )
          .join('\n')} }`,
        {},
        headers,
      );
      const answers = Object.values(response.data ?? {});
      expect(answers.filter((a) => a === true)).toHaveLength(3);
      expect(answers.filter((a) => a === null)).toHaveLength(2);
      expect(errorsWithReason(response, 'QUOTA_EXCEEDED')).toHaveLength(2);
    });

    it("the quota day is the civil day in the platform's time zone (Asia/Shanghai by default)", async () => {
      const dates = (await import('../../schema/index.ts')) as Record<string, unknown>;
      const civilDateIn = dates.civilDateIn as ((at: Date, zone?: string) => string) | undefined;
      expect(civilDateIn, 'schema exports civilDateIn').toBeTypeOf('function');
      expect(dates.DEFAULT_TIME_ZONE).toBe('Asia/Shanghai');
      // 16:30 UTC on 30 Nov is 00:30 on 1 Dec in Shanghai: a new quota day there, not yet in UTC.
      expect(civilDateIn!(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12-01');
      expect(civilDateIn!(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11-30');
      expect(civilDateIn!(new Date('2026-11-30T16:30:00Z'), 'UTC')).toBe('2026-11-30');
    });
  });

  // ===================================================== 6. several grants never interfere

  describe('6. several grants never interfere', () => {
    const WATER_QUERY = `query ($a: String!) {
      utilityAccount(accountNumber: $a) { accountNumber holderIdNumber address monthlyUsageM3 arrears status }
      utilityAccounts(first: 100) { nodes { accountNumber holderIdNumber address monthlyUsageM3 arrears status } }
    }`;

    it('a narrower grant showing the ID number in full on its own rows does not order the rest by it, make guesses free, or take a filter away', async () => {
      await addGrant({
        id: 'G-ATK-NARROW-WIDE',
        consumerDepartment: 'atk_narrow',
        datasetCode: PS,
        items: ['idNumber', 'name', 'birthDate', 'gender', 'regionCode'],
        masks: {
          idNumber: { rule: 'KEEP_ENDS', first: 6, last: 0 },
          birthDate: { rule: 'YEAR_ONLY' },
        },
      });
      const headers = await as('atk_narrow');
      const LIST = `{ persons(first: 100) { nodes { idNumber name regionCode } } }`;
      type Listed = {
        persons: { nodes: { idNumber: string; name: string; regionCode: string }[] };
      };
      const before = await platform.query<Listed>(LIST, {}, headers);
      expectNoErrors(before);
      const probes = async () =>
        Number(
          (
            await platform
              .platformDb('verification_usage')
              .where({
                consumer_department: 'atk_narrow',
                dataset_code: PS,
                record_hash: '*probes',
              })
              .first('verifications')
          )?.verifications ?? 0,
        );
      await addGrant({
        id: 'G-ATK-NARROW-NARROW',
        consumerDepartment: 'atk_narrow',
        datasetCode: PS,
        items: ['idNumber', 'birthDate', 'gender'],
        rowFilter: { regionCode: { startsWith: '330106' } },
      });
      const after = await platform.query<Listed>(LIST, {}, headers);
      expectNoErrors(after);
      // The same records in the same (keyed-hash) order: not sorted by the ID numbers now shown.
      expect(after.data!.persons.nodes.map((n) => n.name)).toEqual(
        before.data!.persons.nodes.map((n) => n.name),
      );
      for (const node of after.data!.persons.nodes) {
        if (!node.regionCode.startsWith('330106')) expect(node.idNumber).toMatch(/^\d{6}\*+$/);
      }
      // A guessed ID number that finds nothing still counts against the probe budget.
      const counted = await probes();
      const miss = await platform.query(
        `{ person(idNumber: "330102195907080001") { name } }`,
        {},
        headers,
      );
      expect(miss.data).toEqual({ person: null });
      expect(await probes()).toBe(counted + 1);
      // A filter the wide grant allowed is still allowed.
      const filtered = await platform.query<Listed>(
        `{ persons(first: 5, filter: { regionCode: { eq: "330102" } }) { nodes { idNumber name regionCode } } }`,
        {},
        headers,
      );
      expectNoErrors(filtered);
      expect(filtered.data!.persons.nodes.length).toBeGreaterThan(0);
    });

    it.each([
      [
        'for address only, masked more strictly',
        'G-ATK-CA-WATER-ADDR',
        {
          items: ['address'],
          masks: { address: { rule: 'KEEP_ENDS' as const, first: 2, last: 0 } },
        },
      ],
      [
        'with a row filter',
        'G-ATK-CA-WATER-ROWS',
        { items: ['status'], rowFilter: { status: { eq: 'CLOSED' } } },
      ],
      [
        'for another purpose, address unmasked',
        'G-ATK-CA-WATER-PURPOSE',
        { items: ['address'], purposes: ['housing-security'] },
      ],
    ])(
      'the original attack: a second civil_affairs grant on CW-ACC-001 %s takes nothing away (same answers, under load)',
      async (_label, id, extra) => {
        const account = data.accounts.find((a) => a.holder_id_number)!;
        const headers = await civilAffairs();
        const before = await platform.query(WATER_QUERY, { a: account.account_number }, headers);
        expect(before.status).toBe(200);
        expect(
          (before.data as { utilityAccounts: Page<unknown> }).utilityAccounts.nodes,
        ).toHaveLength(100);
        await addGrant({
          id,
          consumerDepartment: 'civil_affairs',
          datasetCode: CW,
          purposes: ['social-assistance'],
          ...extra,
        });
        try {
          const after = await Promise.all(
            Array.from({ length: 12 }, () =>
              platform.query(WATER_QUERY, { a: account.account_number }, headers),
            ),
          );
          for (const response of after) {
            expect(response.data).toEqual(before.data);
            expect(denialsOf(response)).toEqual(denialsOf(before));
          }
          if ('purposes' in extra) {
            // Under the other purpose only the new grant applies: its item, nothing of the first grant's.
            const other = await platform.query<{
              utilityAccount: {
                address: string | null;
                arrears: number | null;
                holderIdNumber: string | null;
              };
            }>(
              `query ($a: String!) { utilityAccount(accountNumber: $a) { address arrears holderIdNumber } }`,
              { a: account.account_number },
              await as('civil_affairs', 'housing-security'),
            );
            expect(other.data!.utilityAccount).toEqual({
              address: account.address,
              arrears: null,
              holderIdNumber: null,
            });
            expectDenied(other, ['utilityAccount', 'arrears'], {
              dataset: CW,
              item: 'arrears',
              reason: 'NO_GRANT',
            });
          }
        } finally {
          await removeGrant(id);
        }
      },
    );

    describe('a masked grant for all rows and an unmasked, wider grant for 3301 (atk_multi)', () => {
      let older: Grant;
      let newer: Grant;
      beforeAll(async () => {
        older = await addGrant({
          id: 'G-ATK-MULTI-A',
          consumerDepartment: 'atk_multi',
          datasetCode: PS,
          items: ['name', 'regionCode'],
          masks: { name: { rule: 'SURNAME_ONLY' } },
          createdAt: '2026-01-01T00:00:00.000Z',
        });
        newer = await addGrant({
          id: 'G-ATK-MULTI-B',
          consumerDepartment: 'atk_multi',
          datasetCode: PS,
          items: ['name', 'regionCode', 'birthDate'],
          rowFilter: { regionCode: { startsWith: '3301' } },
          createdAt: '2026-02-01T00:00:00.000Z',
        });
      });

      type Row = { regionCode: string; name: string | null; birthDate: string | null };
      const LIST = 'regionCode name birthDate';

      it("each record gets the best access among the grants whose filter admits it; B's items never reach rows only A admits", async () => {
        const headers = await as('atk_multi');
        const { nodes, responses, located } = await allPages<Row>('persons', LIST, headers);
        expect(nodes, 'the rows any grant admits: all of them').toHaveLength(data.persons.length);
        const byRegion = { inside: 0, outside: 0 };
        const names = new Set(data.persons.map((p) => p.region_code + p.name));
        for (const { node, response, path } of located) {
          if (node!.regionCode.startsWith('3301')) {
            byRegion.inside += 1;
            expect(node!.name).not.toMatch(/\*/);
            expect(names.has(node!.regionCode + node!.name!)).toBe(true);
            expect(node!.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          } else {
            byRegion.outside += 1;
            expect(node!.name, 'the mask of A holds where B does not apply').toMatch(/^.\*+$/u);
            expect(node!.birthDate).toBeNull();
            const error = expectDenied(response, [...path, 'birthDate'], {
              dataset: PS,
              item: 'birthDate',
            });
            expect(error.message).toMatch(new RegExp(`${older.id}|${newer.id}`));
          }
        }
        expect(byRegion.inside).toBeGreaterThan(0);
        expect(byRegion.outside).toBeGreaterThan(0);
        const outsiders = data.persons.filter((p) => !inHangzhou(p));
        const insiders = data.persons.filter(inHangzhou);
        for (const response of responses) {
          expectNotLeaked(response, ...valuesOnlyIn(outsiders, insiders, 'birth_date'));
          const text = JSON.stringify(response);
          const names = valuesOnlyIn(outsiders, insiders, 'name');
          expect(names.filter((n) => text.includes(`"${n}"`))).toEqual([]);
        }
      });

      it('lookups follow the same rule, and the same request always gets the same answer', async () => {
        const headers = await as('atk_multi');
        const [inside] = take(1, inHangzhou);
        const [outside] = take(1, (p) => !inHangzhou(p));
        const query = `query ($in: String!, $out: String!) {
          inside: person(idNumber: $in) { name birthDate }
          outside: person(idNumber: $out) { name birthDate }
        }`;
        const vars = { in: inside!.id_number, out: outside!.id_number };
        const first = await platform.query(query, vars, headers);
        expect(first.data).toEqual({
          inside: { name: inside!.name, birthDate: inside!.birth_date },
          outside: { name: keepEnds(outside!.name, 1, 0), birthDate: null },
        });
        expectDenied(first, ['outside', 'birthDate'], { dataset: PS, item: 'birthDate' });
        for (let i = 0; i < 3; i += 1) {
          const again = await platform.query(query, vars, headers);
          expect(again.data).toEqual(first.data);
          expect(denialsOf(again)).toEqual(denialsOf(first));
        }
      });

      it('X-Grant-Id still restricts the request to one grant', async () => {
        const onlyA = await allPages<Row>('persons', LIST, {
          ...(await as('atk_multi')),
          'x-grant-id': older.id,
        });
        expect(onlyA.nodes).toHaveLength(data.persons.length);
        for (const node of onlyA.nodes) {
          expect(node!.name).toMatch(/^.\*+$/u);
          expect(node!.birthDate).toBeNull();
        }
        const onlyB = await allPages<Row>('persons', LIST, {
          ...(await as('atk_multi')),
          'x-grant-id': newer.id,
        });
        for (const r of onlyB.responses) expectNoErrors(r);
        expect(onlyB.nodes).toHaveLength(data.persons.filter(inHangzhou).length);
        for (const node of onlyB.nodes) expect(node!.regionCode).toMatch(/^3301/);
      });
    });

    it("two row-filtered grants: the rows are either's, and an item of one never shows on the other's rows", async () => {
      await addGrant({
        id: 'G-ATK-MULTI2-A',
        consumerDepartment: 'atk_multi2',
        datasetCode: PS,
        items: ['name', 'regionCode', 'birthDate'],
        rowFilter: { regionCode: { startsWith: '3301' } },
        createdAt: '2026-01-01T00:00:00.000Z',
      });
      await addGrant({
        id: 'G-ATK-MULTI2-B',
        consumerDepartment: 'atk_multi2',
        datasetCode: PS,
        items: ['regionCode'],
        rowFilter: { regionCode: { startsWith: '3302' } },
        createdAt: '2026-02-01T00:00:00.000Z',
      });
      const headers = await as('atk_multi2');
      const { nodes, responses } = await allPages<{
        regionCode: string;
        name: string | null;
        birthDate: string | null;
      }>('persons', 'regionCode name birthDate', headers);
      const admitted = data.persons.filter((p) => inHangzhou(p) || inNingbo(p));
      expect(nodes).toHaveLength(admitted.length);
      for (const node of nodes) {
        expect(node!.regionCode).toMatch(/^330[12]/);
        if (node!.regionCode.startsWith('3302')) {
          expect(node!.name).toBeNull();
          expect(node!.birthDate).toBeNull();
        } else {
          expect(node!.name).not.toBeNull();
        }
      }
      const ningbo = data.persons.filter(inNingbo);
      const wenzhou = data.persons.filter((p) => p.region_code.startsWith('3303'));
      const hangzhou = data.persons.filter(inHangzhou);
      for (const response of responses) {
        expectNotLeaked(response, ...valuesOnlyIn(ningbo, hangzhou, 'birth_date'));
        const text = JSON.stringify(response);
        const names = valuesOnlyIn([...ningbo, ...wenzhou], hangzhou, 'name');
        expect(names.filter((n) => text.includes(`"${n}"`))).toEqual([]);
      }
      const [w] = take(1, (p) => p.region_code.startsWith('3303'));
      const lookup = await platform.query(
        `query ($id: String!) { person(idNumber: $id) { name regionCode } }`,
        { id: w!.id_number },
        headers,
      );
      expect(lookup.data ?? { person: null }).toEqual({ person: null });
      expectNotLeaked(lookup, w!.name);
    });

    it('two grants masking the same item differently: the older grant decides, whichever order they are given in', async () => {
      const [p] = take(1);
      for (const [consumer, olderMask, newerMask] of [
        ['atk_tie_a', { rule: 'REDACT' }, { rule: 'SURNAME_ONLY' }],
        ['atk_tie_b', { rule: 'SURNAME_ONLY' }, { rule: 'REDACT' }],
      ] as const) {
        await addGrant({
          id: `G-ATK-${consumer}-OLD`,
          consumerDepartment: consumer,
          datasetCode: PS,
          items: ['name'],
          masks: { name: olderMask },
          createdAt: '2026-01-01T00:00:00.000Z',
        });
        await addGrant({
          id: `G-ATK-${consumer}-NEW`,
          consumerDepartment: consumer,
          datasetCode: PS,
          items: ['name'],
          masks: { name: newerMask },
          createdAt: '2026-03-01T00:00:00.000Z',
        });
        const response = await platform.query<{ person: { name: string } }>(
          `query ($id: String!) { person(idNumber: $id) { name } }`,
          { id: p!.id_number },
          await as(consumer),
        );
        expectNoErrors(response);
        expect(response.data!.person.name, consumer).toBe(
          olderMask.rule === 'REDACT' ? '***' : keepEnds(p!.name, 1, 0),
        );
      }
    });

    it("a spent quota on one grant falls back to the other grant's access: masked, not denied and not unmasked", async () => {
      await addGrant({
        id: 'G-ATK-FALLBACK-MASKED',
        consumerDepartment: 'atk_fallback',
        datasetCode: PS,
        items: ['name'],
        masks: { name: { rule: 'SURNAME_ONLY' } },
        createdAt: '2026-01-01T00:00:00.000Z',
      });
      await addGrant({
        id: 'G-ATK-FALLBACK-QUOTA',
        consumerDepartment: 'atk_fallback',
        datasetCode: PS,
        items: ['name'],
        dailyQuota: 1,
        createdAt: '2026-02-01T00:00:00.000Z',
      });
      const [first, second] = take(2);
      const headers = await as('atk_fallback');
      const query = `query ($id: String!) { person(idNumber: $id) { name } }`;
      const one = await platform.query(query, { id: first!.id_number }, headers);
      expectNoErrors(one);
      expect(one.data).toEqual({ person: { name: first!.name } });
      const two = await platform.query(query, { id: second!.id_number }, headers);
      expect(two.data).toEqual({ person: { name: keepEnds(second!.name, 1, 0) } });
      expectNotLeaked(two, second!.name);
    });

    it('a QUERY grant does not lend its items or rows to a row-filtered VERIFY grant', async () => {
      await addGrant({
        id: 'G-ATK-MULTI-V-Q',
        consumerDepartment: 'atk_multi_v',
        datasetCode: PS,
        items: ['name', 'regionCode', 'birthDate'],
        createdAt: '2026-01-01T00:00:00.000Z',
      });
      await addGrant({
        id: 'G-ATK-MULTI-V-V',
        consumerDepartment: 'atk_multi_v',
        datasetCode: PS,
        items: ['name'],
        modes: ['VERIFY'],
        rowFilter: { regionCode: { startsWith: '3301' } },
        createdAt: '2026-02-01T00:00:00.000Z',
      });
      const [inside] = take(1, inHangzhou);
      const [outside] = take(1, (p) => !inHangzhou(p));
      const response = await platform.query<Record<string, boolean | null>>(
        `query ($in: String!, $out: String!, $inName: String!, $outName: String!, $birth: String!) {
          inside: verifyPerson(idNumber: $in, match: { name: $inName })
          outside: verifyPerson(idNumber: $out, match: { name: $outName })
          birth: verifyPerson(idNumber: $in, match: { birthDate: $birth })
        }`,
        {
          in: inside!.id_number,
          out: outside!.id_number,
          inName: inside!.name,
          outName: outside!.name,
          birth: inside!.birth_date,
        },
        await as('atk_multi_v'),
      );
      expect(response.data!.inside).toBe(true);
      expect(response.data!.outside).not.toBe(true);
      expect(response.data!.birth).toBeNull();
      expectItemRefused(response, ['birth'], 'birthDate', PS);
    });
  });

  // ============================= 8. a guess at a key that carries another dataset's key

  describe("8. a key carrying another dataset's key spends that dataset's probe budget", () => {
    const misses = async (department: string, dataset: string) =>
      Number(
        (
          await platform
            .platformDb('verification_usage')
            .where({
              consumer_department: department,
              dataset_code: dataset,
              record_hash: '*probes',
            })
            .first('verifications')
        )?.verifications ?? 0,
      );

    /** Uses up `department`'s probe budget on the population for today, and waits out its cache. */
    async function spendProbes(department: string): Promise<void> {
      await platform
        .platformDb('verification_usage')
        .where({ consumer_department: department, dataset_code: PS, record_hash: '*probes' })
        .update({ verifications: 1000 });
      await new Promise((resolve) => setTimeout(resolve, 1100));
    }

    it('a driving licence number guessed is an ID number guessed: counted, and refused, where the population counts', async () => {
      // No grant at all: the licences are shared with everyone, the holder's number with nobody.
      const headers = await as('atk_licence_guess');
      const guess = '330102195907080001';
      const LOOKUP = `query($n: String!) { license(licenseNumber: $n) { kind } }`;
      const before = await misses('atk_licence_guess', PS);
      const beforeOwn = await misses('atk_licence_guess', 'BE-LIC-001');
      const miss = await platform.query(LOOKUP, { n: guess }, headers);
      expectNoErrors(miss);
      expect(miss.data).toEqual({ license: null });
      expect(await misses('atk_licence_guess', PS)).toBe(before + 1);
      expect(await misses('atk_licence_guess', 'BE-LIC-001')).toBe(beforeOwn + 1);
      // The day's population budget used up (by any of its datasets): no more licence guesses.
      await spendProbes('atk_licence_guess');
      const refused = await platform.query(LOOKUP, { n: guess }, headers);
      expect(refused.data).toEqual({ license: null });
      const [error] = errorsWithReason(refused, 'PROBE_LIMIT_EXCEEDED');
      expect(error?.message).toContain(`keys of ${PS}, or of datasets whose keys carry its keys`);
    });

    it('guessed ID numbers planted in a department’s own records and joined are probes: counted, then refused, found or not', async () => {
      // Market supervision writes its own enterprises; its grant on the population gives names,
      // not ID numbers. A join from a planted record is a lookup by a key it chose.
      const real = take(1)[0]!;
      const guesses = ['330106196310210001', '330106196310210002', '330106196310210003'];
      const planted = [...guesses, real.id_number].map((id, i) => ({
        credit_code: `ZZATK${String(i).padStart(13, '0')}`,
        name: `planted ${i}`,
        kind: 'LIMITED',
        legal_rep_id_number: id,
        registered_capital: 1,
        established_on: '2020-01-01',
        region_code: '330106',
        address: 'planted',
        status: 'ACTIVE',
      }));
      const ms = platform.databases.get('market_supervision')!;
      await ms('enterprises').insert(planted);
      try {
        const headers = await as('market_supervision', 'enterprise-registration');
        const JOIN = `{ enterprises(first: 10, filter: { creditCode: { startsWith: "ZZATK" } }) { nodes { creditCode legalRepresentative { name } } } }`;
        const before = await misses('market_supervision', PS);
        const joined = await platform.query<{
          enterprises: {
            nodes: { creditCode: string; legalRepresentative: { name: string | null } | null }[];
          };
        }>(JOIN, {}, headers);
        const names = joined.data!.enterprises.nodes.map(
          (n) => n.legalRepresentative?.name ?? null,
        );
        expect(names.filter((n) => n !== null)).toEqual([real.name]);
        // Three misses, counted against the population's budget as three lookups would be.
        expect(await misses('market_supervision', PS)).toBe(before + guesses.length);
        // The day's budget used up: the join answers alike, found or not.
        await spendProbes('market_supervision');
        const refused = await platform.query<{
          enterprises: { nodes: { legalRepresentative: { name: string | null } | null }[] };
        }>(JOIN, {}, headers);
        expect(
          refused.data!.enterprises.nodes.every(
            (n) => (n.legalRepresentative?.name ?? null) === null,
          ),
        ).toBe(true);
        expect(errorsWithReason(refused, 'PROBE_LIMIT_EXCEEDED').length).toBeGreaterThan(0);
        expectNotLeaked(refused, real.name);
      } finally {
        await ms('enterprises').where('credit_code', 'like', 'ZZATK%').delete();
        await platform
          .platformDb('verification_usage')
          .where({
            consumer_department: 'market_supervision',
            dataset_code: PS,
            record_hash: '*probes',
          })
          .delete();
      }
    });

    it('a linked platform naming a new department for each guess spends one budget, its link’s', async () => {
      // A linked platform names its consumers' departments itself (`<link>:<dept>`): were
      // each name a budget, it would take a new name for every thousand guesses.
      const privateKey = await gatewaySigningKey(platform);
      const url = platform.subgraphs.find((s) => s.name === 'business_environment')!.url;
      const body = JSON.stringify({
        query: `query($n: String!) { license(licenseNumber: $n) { kind } }`,
        variables: { n: '330102195907080002' },
      });
      /** The licence lookup as the gateway sends it for a consumer of link `atklink`. */
      const guessAs = async (department: string) => {
        const identity: RequestIdentity = {
          caller: { department, application: null, user: null, roles: ['APP_DEVELOPER'] },
          purpose: null,
          grantId: null,
          requestId: `atk-link-${department}`,
          correlationId: null,
          operationName: null,
        };
        const token = await signInternalToken(identity, 'business_environment', privateKey, body);
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-govdata-context': token },
          body,
        });
        return {
          status: response.status,
          ...((await response.json()) as object),
        } as GraphQLResponse;
      };
      expectNoErrors(await guessAs('atklink:alpha'));
      expect(await misses('atklink:*', PS)).toBe(1);
      expect(await misses('atklink:alpha', PS)).toBe(0);
      // The link's budget used up: a department of another name guesses no more.
      await spendProbes('atklink:*');
      const refused = await guessAs('atklink:beta');
      expect(errorsWithReason(refused, 'PROBE_LIMIT_EXCEEDED')).toHaveLength(1);
      // Another link's consumers, and this platform's own departments, keep theirs.
      expectNoErrors(await guessAs('otherlink:alpha'));
      expect(await misses('otherlink:*', PS)).toBe(1);
    });
  });
});

async function readDemoData(platform: TestPlatform): Promise<DemoData> {
  const db = (department: string) => platform.databases.get(department)!;
  const persons = await db('public_security')<PersonRow>('persons').select(
    'id_number',
    'name',
    'birth_date',
    'gender',
    'region_code',
    'address',
    'phone',
  );
  persons.sort((a, b) => (a.id_number < b.id_number ? -1 : 1));
  const licenses = await db('business_environment')<LicenseRow>('licenses').select(
    'license_number',
    'kind',
    'holder_id_number',
  );
  const credits = await db('development_reform')<CreditRow>('credit_records').select(
    'record_id',
    'subject_id_number',
  );
  const accounts = await db('city_water')<AccountRow>('utility_accounts').select(
    'account_number',
    'holder_id_number',
    'holder_credit_code',
    'address',
    'status',
  );
  accounts.sort((a, b) => (a.account_number < b.account_number ? -1 : 1));
  const parcels = await db('natural_resources')<ParcelRow>('land_parcels').select(
    'parcel_code',
    'holder_id_number',
  );
  const enterprises = await db('market_supervision')<EnterpriseRow>('enterprises').select(
    'credit_code',
    'legal_rep_id_number',
  );
  return {
    persons,
    person: new Map(persons.map((p) => [p.id_number, p])),
    licenses,
    license: new Map(licenses.map((l) => [l.license_number, l])),
    credits,
    accounts,
    account: new Map(accounts.map((a) => [a.account_number, a])),
    parcels,
    enterprises,
    enterprise: new Map(enterprises.map((e) => [e.credit_code, e])),
    ids: persons.map((p) => p.id_number),
  };
}

/** The key the platform's gateway signs subgraph fetches with, to send one as the gateway would. */
async function gatewaySigningKey(platform: TestPlatform) {
  const config = testConfig(platform.database);
  const { privateKey } = await loadOrCreateSigningKeys(
    config.auth.gatewayPrivateKeyFile,
    config.auth.gatewayPublicKeyFile,
  );
  return privateKey;
}
