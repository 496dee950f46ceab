import { getIntrospectionQuery } from 'graphql';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  INTERNAL_ISSUER,
  loadDevSecret,
  loadOrCreateSigningKeys,
  signComposeToken,
  signInternalToken,
  type PlatformConfig,
  type PlatformKey,
  type RequestIdentity,
  type Role,
} from '../../server/index.ts';
import {
  DEMO_ENTERPRISE_INDEX,
  DEMO_PERSON_INDEX,
  enterpriseAt,
  enterpriseRows,
  licensesOfPerson,
  personAt,
  personRows,
  utilityAccountsOfPerson,
} from '../../subgraphs/demo-data/index.ts';
import {
  postGraphQL,
  startTestPlatform,
  testConfig,
  TEST_SCALE,
  type GraphQLResponse,
  type TestPlatform,
} from '../support/testPlatform.ts';

/**
 * Acceptance: "tries to get around the rules". Each test is an attack that
 * must fail; the test fails if the attack succeeds.
 */

type Path = readonly (string | number)[];

const PERSON = personAt(DEMO_PERSON_INDEX);
const ENTERPRISE = enterpriseAt(DEMO_ENTERPRISE_INDEX);
const ACCOUNT = utilityAccountsOfPerson(DEMO_PERSON_INDEX)[0]!;
const LICENSE = licensesOfPerson(DEMO_PERSON_INDEX)[0]!;

/**
 * idNumber embeds birthDate and gender: civil_affairs reads birthDate only to the
 * year (G-DEMO-CA-POP), so it gets the number, and every copy of it, with the
 * region code alone.
 */
const concealed = (idNumber: string) => `${idNumber.slice(0, 6)}****`;
const CONCEALED_ID = concealed(PERSON.id_number);
/**
 * accountNumber embeds the region code of the service address, which
 * civil_affairs reads masked (G-DEMO-CA-WATER): it gets the last 4 digits alone.
 */
const concealedAccount = (accountNumber: string) => `****${accountNumber.slice(-4)}`;
/** The digits of the ID number that carry the birth date. */
const BIRTH_DIGITS = PERSON.id_number.slice(6, 14);

let platform: TestPlatform;
let config: PlatformConfig;
let gatewayKey: PlatformKey;

beforeAll(async () => {
  platform = await startTestPlatform('sqlite');
  config = testConfig(platform.database);
  gatewayKey = (
    await loadOrCreateSigningKeys(
      config.auth.gatewayPrivateKeyFile,
      config.auth.gatewayPublicKeyFile,
    )
  ).privateKey;
});

afterAll(async () => {
  await platform?.close();
});

/** Rows of a department's table, read straight from its database. */
async function rowsOf<T>(department: string, table: string, columns: string[]): Promise<T[]> {
  const rows: unknown = await platform.databases.get(department)!(table).select(columns);
  return rows as T[];
}

const samePath = (a: Path | undefined, b: Path) => JSON.stringify(a ?? []) === JSON.stringify(b);

function errorAt(response: GraphQLResponse, path: Path) {
  const found = (response.errors ?? []).filter((e) => samePath(e.path, path));
  expect(
    found,
    `one error at ${path.join('.')} in ${JSON.stringify(response.errors)}`,
  ).toHaveLength(1);
  return found[0]!;
}

function expectDenied(
  response: GraphQLResponse,
  path: Path,
  denial: { dataset: string; item: string | null; reason: string },
) {
  const error = errorAt(response, path);
  expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', ...denial });
  return error;
}

function expectNoErrors(response: GraphQLResponse): void {
  expect(response.status).toBe(200);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
}

/** Refused before any data: 401, UNAUTHENTICATED, no `data` at all. */
function expectRefused401(response: GraphQLResponse): void {
  expect(response.status).toBe(401);
  expect(response.data ?? null).toBeNull();
  expect(response.errors?.length).toBeGreaterThan(0);
  expect(response.errors![0]!.extensions?.code).toBe('UNAUTHENTICATED');
}

/** Fails if `secret` appears anywhere in the response. */
function expectNotLeaked(response: GraphQLResponse, ...secrets: string[]): void {
  const text = JSON.stringify(response);
  for (const secret of secrets) expect(text, `leaked ${secret}`).not.toContain(secret);
}

const civilAffairs = () => platform.as('civil_affairs', 'social-assistance');
/** Holds G-DEMO-STATS-WATER: CW-ACC-001 with holderIdNumber masked (KEEP_ENDS 6/4), no PS-POP-001 grant. */
const statistics = () => platform.as('statistics', 'statistics');

const identityOf = (department: string | null): RequestIdentity => ({
  caller: department
    ? { department, application: null, user: null, roles: ['APP_DEVELOPER'] }
    : null,
  purpose: null,
  grantId: null,
  requestId: 'attacks-test',
  correlationId: null,
  operationName: null,
});

/** A context token bound to the body `postGraphQL` sends for `query` and `variables`. */
const tokenFor = (
  identity: RequestIdentity,
  audience: string,
  key: PlatformKey,
  query: string,
  variables: Record<string, unknown>,
) => signInternalToken(identity, audience, key, JSON.stringify({ query, variables }));

const subgraphUrl = (name: string) => {
  const subgraph = platform.subgraphs.find((s) => s.name === name);
  if (!subgraph) throw new Error(`no subgraph ${name}`);
  return subgraph.url;
};

const ENTITIES_QUERY = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Person { idNumber name phone } }
}`;
const PERSON_REPRESENTATIONS = {
  representations: [{ __typename: 'Person', idNumber: PERSON.id_number }],
};
const LOOKUP_QUERY = `query ($id: String!) { person(idNumber: $id) { idNumber name phone } }`;

describe('aliases and fragments', () => {
  it('two aliases of a denied field are both refused', async () => {
    const response = await platform.query(
      `query ($id: String!) { person(idNumber: $id) { name a: phone b: phone } }`,
      { id: PERSON.id_number },
      await civilAffairs(),
    );
    expect(response.data).toEqual({ person: { name: PERSON.name, a: null, b: null } });
    expectDenied(response, ['person', 'a'], {
      dataset: 'PS-POP-001',
      item: 'phone',
      reason: 'NO_GRANT',
    });
    expectDenied(response, ['person', 'b'], {
      dataset: 'PS-POP-001',
      item: 'phone',
      reason: 'NO_GRANT',
    });
    expectNotLeaked(response, PERSON.phone);
  });

  it('phone aliased as name is still phone, and refused', async () => {
    const response = await platform.query(
      `query ($id: String!) { person(idNumber: $id) { idNumber name: phone } }`,
      { id: PERSON.id_number },
      await civilAffairs(),
    );
    expect(response.data).toEqual({ person: { idNumber: CONCEALED_ID, name: null } });
    expectDenied(response, ['person', 'name'], {
      dataset: 'PS-POP-001',
      item: 'phone',
      reason: 'NO_GRANT',
    });
    expectNotLeaked(response, PERSON.phone, BIRTH_DIGITS);
  });

  it('an inline fragment on Person does not carry phone past the rules', async () => {
    const response = await platform.query(
      `query ($id: String!) { person(idNumber: $id) { name ... on Person { phone } } }`,
      { id: PERSON.id_number },
      await civilAffairs(),
    );
    expect(response.data).toEqual({ person: { name: PERSON.name, phone: null } });
    expectDenied(response, ['person', 'phone'], {
      dataset: 'PS-POP-001',
      item: 'phone',
      reason: 'NO_GRANT',
    });
    expectNotLeaked(response, PERSON.phone);
  });

  it('a named fragment, on a lookup and on every row of a list, does not either', async () => {
    const response = await platform.query<{
      person: { phone: string | null };
      persons: { nodes: { idNumber: string; phone: string | null }[] };
    }>(
      `fragment Contact on Person { idNumber phone }
      query ($id: String!) {
        person(idNumber: $id) { ...Contact }
        persons(first: 20) { nodes { ...Contact } }
      }`,
      { id: PERSON.id_number },
      await civilAffairs(),
    );
    expect(response.data!.person).toEqual({ idNumber: CONCEALED_ID, phone: null });
    const nodes = response.data!.persons.nodes;
    expect(nodes).toHaveLength(20);
    for (const node of nodes) {
      expect(node.phone).toBeNull();
      expect(node.idNumber).toMatch(/^\d{6}\*{4}$/);
    }
    expectDenied(response, ['person', 'phone'], {
      dataset: 'PS-POP-001',
      item: 'phone',
      reason: 'NO_GRANT',
    });
    for (let i = 0; i < nodes.length; i += 1) {
      expectDenied(response, ['persons', 'nodes', i, 'phone'], {
        dataset: 'PS-POP-001',
        item: 'phone',
        reason: 'NO_GRANT',
      });
    }
    const phones = [...personRows(TEST_SCALE)].map((p) => p.phone);
    expectNotLeaked(response, ...phones);
  });
});

describe('the same data reached through an entity join', () => {
  /** Every error of the response is a FORBIDDEN denial of PS-POP-001 with NO_GRANT. */
  function expectOnlyPersonDenials(response: GraphQLResponse): void {
    expect(response.errors?.length).toBeGreaterThan(0);
    for (const error of response.errors!) {
      expect(error.extensions, JSON.stringify(error)).toMatchObject({
        code: 'FORBIDDEN',
        dataset: 'PS-POP-001',
        reason: 'NO_GRANT',
      });
    }
  }

  it('license → holderPerson { phone } as a department without a PS grant', async () => {
    const response = await platform.query<{
      license: { kind: string; holderPerson: { name: string | null; phone: string | null } | null };
    }>(
      `query ($n: String!) { license(licenseNumber: $n) { kind holderPerson { idNumber name phone } } }`,
      { n: LICENSE.license_number },
      await platform.as('transport'),
    );
    expect(response.data!.license.kind).toBe(LICENSE.kind);
    expect(response.data!.license.holderPerson?.name ?? null).toBeNull();
    expect(response.data!.license.holderPerson?.phone ?? null).toBeNull();
    expectNotLeaked(response, PERSON.phone, PERSON.name);
    expectOnlyPersonDenials(response);
  });

  it('enterprise → legalRepresentative { phone } as a department without a PS grant', async () => {
    const response = await platform.query<{
      enterprise: {
        name: string;
        legalRepresentative: { name: string | null; phone: string | null } | null;
      };
    }>(
      `query ($c: String!) { enterprise(creditCode: $c) { name legalRepresentative { name phone } } }`,
      { c: ENTERPRISE.credit_code },
      await platform.as('transport'),
    );
    const representative = personAt(DEMO_PERSON_INDEX);
    expect(ENTERPRISE.legal_rep_id_number).toBe(representative.id_number);
    expect(response.data!.enterprise.name).toBe(ENTERPRISE.name);
    expect(response.data!.enterprise.legalRepresentative?.phone ?? null).toBeNull();
    expectNotLeaked(response, representative.phone, representative.name);
    expectOnlyPersonDenials(response);
  });

  it('enterprise → legalRepresentative as a grantee: granted name answers, phone refused', async () => {
    const response = await platform.query(
      `query ($c: String!) { enterprise(creditCode: $c) { name legalRepresentative { name phone } } }`,
      { c: ENTERPRISE.credit_code },
      await civilAffairs(),
    );
    expect(response.data).toEqual({
      enterprise: {
        name: ENTERPRISE.name,
        legalRepresentative: { name: PERSON.name, phone: null },
      },
    });
    expectDenied(response, ['enterprise', 'legalRepresentative', 'phone'], {
      dataset: 'PS-POP-001',
      item: 'phone',
      reason: 'NO_GRANT',
    });
    expect(response.errors).toHaveLength(1);
    expectNotLeaked(response, PERSON.phone);
  });

  it('a join does not escape the row filter (hangzhou_civil_affairs, holder outside 3301)', async () => {
    const persons = await rowsOf<{ id_number: string; name: string; region_code: string }>(
      'public_security',
      'persons',
      ['id_number', 'name', 'region_code'],
    );
    const outside = new Map(
      persons.filter((p) => !p.region_code.startsWith('3301')).map((p) => [p.id_number, p]),
    );
    const licenses = await rowsOf<{ license_number: string; holder_id_number: string | null }>(
      'business_environment',
      'licenses',
      ['license_number', 'holder_id_number'],
    );
    const license = licenses.find((l) => l.holder_id_number && outside.has(l.holder_id_number));
    expect(license).toBeDefined();
    const holder = outside.get(license!.holder_id_number!)!;
    const response = await platform.query<{
      license: { holderPerson: { name: string | null } | null };
    }>(
      `query ($n: String!) { license(licenseNumber: $n) { licenseNumber holderPerson { idNumber name } } }`,
      { n: license!.license_number },
      await platform.as('hangzhou_civil_affairs', 'social-assistance'),
    );
    expect(response.status).toBe(200);
    expect(response.data!.license.holderPerson?.name ?? null).toBeNull();
    expectNotLeaked(response, holder.name, `${Array.from(holder.name)[0]!}*`);
    for (const error of response.errors ?? []) {
      expect(error.extensions?.code, JSON.stringify(error)).not.toBe('INTERNAL_SERVER_ERROR');
    }
  });

  it('a masked reference may not be followed: statistics utilityAccount → holderPerson is refused (MASKED), so no de-identified account is tied to a person', async () => {
    const query = `query ($a: String!) {
      utilityAccount(accountNumber: $a) { status holderIdNumber holderPerson { joinHandle idNumber name } }
    }`;
    const headers = await statistics();
    const response = await platform.query<{
      utilityAccount: {
        status: string;
        holderIdNumber: string | null;
        holderPerson: { joinHandle: string; idNumber: string | null; name: string | null } | null;
      };
    }>(query, { a: ACCOUNT.account_number }, headers);
    const id = ACCOUNT.holder_id_number!;
    expect(id).toBe(PERSON.id_number);
    expect(response.status).toBe(200);
    const account = response.data!.utilityAccount;
    expect(account.status).toBe(ACCOUNT.status);
    // The copy of PS-POP-001.idNumber is never more open than its source: statistics has no grant there.
    expect(account.holderIdNumber).toBeNull();
    const copy = expectDenied(response, ['utilityAccount', 'holderIdNumber'], {
      dataset: 'CW-ACC-001',
      item: 'holderIdNumber',
      reason: 'NO_GRANT',
    });
    expect(copy.message).toContain('PS-POP-001');
    // The grant masks the holder to de-identify the accounts: the link is refused, not even a handle leaves.
    expect(account.holderPerson).toBeNull();
    expectDenied(response, ['utilityAccount', 'holderPerson'], {
      dataset: 'CW-ACC-001',
      item: 'holderIdNumber',
      reason: 'MASKED',
    });
    expectNotLeaked(response, id, id.slice(0, 14), BIRTH_DIGITS, PERSON.name);
  });

  it('nor joined backwards: statistics, reaching the person through an UNCONDITIONAL enterprise, links no account to an ID number', async () => {
    // statistics holds no PS-POP-001 grant, so it reaches the Person through an
    // UNCONDITIONAL dataset: the enterprise's legal representative is the demo person.
    expect(ENTERPRISE.legal_rep_id_number).toBe(PERSON.id_number);
    expect(ACCOUNT.holder_id_number).toBe(PERSON.id_number);
    const response = await platform.query<{
      enterprise: {
        name: string;
        legalRepresentativeIdNumber: string | null;
        legalRepresentative: {
          idNumber: string | null;
          utilityAccounts:
            ({ accountNumber: string | null; holderIdNumber: string | null } | null)[] | null;
        } | null;
      };
    }>(
      `query ($c: String!) {
        enterprise(creditCode: $c) {
          name legalRepresentativeIdNumber
          legalRepresentative { idNumber utilityAccounts { accountNumber holderIdNumber } }
        }
      }`,
      { c: ENTERPRISE.credit_code },
      await statistics(),
    );
    expect(response.status).toBe(200);
    const enterprise = response.data!.enterprise;
    expect(enterprise.name).toBe(ENTERPRISE.name);
    // Every copy of the number, and the number itself, is denied to statistics.
    expect(enterprise.legalRepresentativeIdNumber).toBeNull();
    expect(enterprise.legalRepresentative?.idNumber ?? null).toBeNull();
    for (const account of enterprise.legalRepresentative?.utilityAccounts ?? []) {
      expect(account?.accountNumber ?? null).toBeNull();
      expect(account?.holderIdNumber ?? null).toBeNull();
    }
    expectDenied(response, ['enterprise', 'legalRepresentativeIdNumber'], {
      dataset: 'MS-ENT-001',
      item: 'legalRepresentativeIdNumber',
      reason: 'NO_GRANT',
    });
    for (const error of response.errors!) {
      expect(error.extensions?.code, JSON.stringify(error)).toBe('FORBIDDEN');
    }
    expectNotLeaked(response, PERSON.id_number, BIRTH_DIGITS, ACCOUNT.account_number);
  });

  it('control: civil_affairs joins both ways, and every ID number on the way is concealed as PS-POP-001 conceals it for civil_affairs', async () => {
    const accounts = utilityAccountsOfPerson(DEMO_PERSON_INDEX);
    expect(accounts.length).toBeGreaterThan(0);
    const response = await platform.query<{
      person: {
        idNumber: string;
        utilityAccounts: { accountNumber: string; holderIdNumber: string }[] | null;
      };
      utilityAccount: {
        accountNumber: string;
        holderIdNumber: string;
        holderPerson: { idNumber: string; name: string } | null;
      };
    }>(
      `query ($id: String!, $a: String!) {
        person(idNumber: $id) { idNumber utilityAccounts { accountNumber holderIdNumber } }
        utilityAccount(accountNumber: $a) { accountNumber holderIdNumber holderPerson { idNumber name } }
      }`,
      { id: PERSON.id_number, a: ACCOUNT.account_number },
      await civilAffairs(),
    );
    expectNoErrors(response);
    expect(response.data!.person.idNumber).toBe(CONCEALED_ID);
    const byNumber = (a: { accountNumber: string }, b: { accountNumber: string }) =>
      a.accountNumber < b.accountNumber ? -1 : 1;
    expect([...(response.data!.person.utilityAccounts ?? [])].sort(byNumber)).toEqual(
      accounts
        .map((a) => ({
          accountNumber: concealedAccount(a.account_number),
          holderIdNumber: CONCEALED_ID,
        }))
        .sort(byNumber),
    );
    expect(response.data!.utilityAccount).toEqual({
      accountNumber: concealedAccount(ACCOUNT.account_number),
      holderIdNumber: CONCEALED_ID,
      holderPerson: { idNumber: CONCEALED_ID, name: PERSON.name },
    });
    expectNotLeaked(response, BIRTH_DIGITS);
  });

  it('a backwards join through an unmasked reference answers (control: person → landParcels)', async () => {
    const response = await platform.query<{
      person: { landParcels: { parcelCode: string; holderIdNumber: string }[] };
    }>(
      `query ($id: String!) { person(idNumber: $id) { idNumber landParcels { parcelCode holderIdNumber } } }`,
      { id: PERSON.id_number },
      await civilAffairs(),
    );
    expectNoErrors(response);
    expect(response.data!.person.landParcels.length).toBeGreaterThan(0);
    for (const parcel of response.data!.person.landParcels) {
      expect(parcel.holderIdNumber).toBe(CONCEALED_ID);
    }
    expectNotLeaked(response, BIRTH_DIGITS);
  });
});

describe('filter and verify oracles', () => {
  const conditions = [
    ['startsWith', { startsWith: '3301' }],
    ['eq', { eq: ACCOUNT.holder_id_number }],
    ['in', { in: [ACCOUNT.holder_id_number] }],
  ] as const;

  it.each(conditions)(
    'civil_affairs filtering utilityAccounts on holderIdNumber (%s), which it reads concealed, is refused as MASKED',
    async (_op, condition) => {
      const response = await platform.query(
        `query ($f: StringFilter) { utilityAccounts(first: 5, filter: { holderIdNumber: $f }) { nodes { accountNumber } } }`,
        { f: condition },
        await civilAffairs(),
      );
      expect(response.data).toEqual({ utilityAccounts: null });
      const error = expectDenied(response, ['utilityAccounts'], {
        dataset: 'CW-ACC-001',
        item: 'holderIdNumber',
        reason: 'MASKED',
      });
      expect(error.message).toContain('masked');
      expectNotLeaked(response, ACCOUNT.account_number);
    },
  );

  it.each(conditions)(
    'statistics filtering utilityAccounts on holderIdNumber (%s), masked by its grant and denied by its source, is refused',
    async (_op, condition) => {
      const response = await platform.query(
        `query ($f: StringFilter) { utilityAccounts(first: 5, filter: { holderIdNumber: $f }) { nodes { status } } }`,
        { f: condition },
        await statistics(),
      );
      expect(response.data).toEqual({ utilityAccounts: null });
      const error = expectDenied(response, ['utilityAccounts'], {
        dataset: 'CW-ACC-001',
        item: 'holderIdNumber',
        reason: 'NO_GRANT',
      });
      expect(error.message).toContain('PS-POP-001');
      expectNotLeaked(response, ACCOUNT.account_number);
    },
  );

  it('filtering persons by phone (not granted) is refused', async () => {
    const response = await platform.query(
      `query ($p: String!) { persons(first: 5, filter: { phone: { startsWith: $p } }) { nodes { idNumber } } }`,
      { p: PERSON.phone.slice(0, 7) },
      await civilAffairs(),
    );
    expect(response.data).toEqual({ persons: null });
    expectDenied(response, ['persons'], {
      dataset: 'PS-POP-001',
      item: 'phone',
      reason: 'NO_GRANT',
    });
  });

  it('filtering persons by the YEAR_ONLY-masked birthDate is refused', async () => {
    const response = await platform.query(
      `query ($d: String!) { persons(first: 5, filter: { birthDate: { gte: $d, lte: $d } }) { nodes { idNumber } } }`,
      { d: PERSON.birth_date },
      await civilAffairs(),
    );
    expect(response.data).toEqual({ persons: null });
    expectDenied(response, ['persons'], {
      dataset: 'PS-POP-001',
      item: 'birthDate',
      reason: 'MASKED',
    });
  });

  it('verifying an item outside the grant (phone) is refused', async () => {
    const response = await platform.query(
      `query ($id: String!, $p: String!) { verifyPerson(idNumber: $id, match: { phone: $p }) }`,
      { id: PERSON.id_number, p: PERSON.phone },
      await civilAffairs(),
    );
    expect(response.data).toEqual({ verifyPerson: null });
    expectDenied(response, ['verifyPerson'], {
      dataset: 'PS-POP-001',
      item: 'phone',
      reason: 'NO_GRANT',
    });
  });
});

describe('straight to a subgraph, around the gateway', () => {
  const post = (
    headers: Record<string, string>,
    query = ENTITIES_QUERY,
    variables: Record<string, unknown> = PERSON_REPRESENTATIONS,
  ) =>
    postGraphQL<Record<string, unknown>>(subgraphUrl('public_security'), query, variables, headers);

  it("control: the gateway's own signature is what lets a request in", async () => {
    const variables = { id: PERSON.id_number };
    const token = await tokenFor(
      identityOf('public_security'),
      'public_security',
      gatewayKey,
      LOOKUP_QUERY,
      variables,
    );
    const response = await post({ 'x-govdata-context': token }, LOOKUP_QUERY, variables);
    expectNoErrors(response);
    expect(response.data).toEqual({
      person: { idNumber: PERSON.id_number, name: PERSON.name, phone: PERSON.phone },
    });
  });

  it.each([
    ['_entities', ENTITIES_QUERY, PERSON_REPRESENTATIONS],
    ['a lookup', LOOKUP_QUERY, { id: PERSON.id_number }],
    ['introspection', getIntrospectionQuery(), {}],
  ])('%s with no signature: 401, no data', async (_label, query, variables) => {
    const response = await post({}, query, variables);
    expectRefused401(response);
    expectNotLeaked(response, PERSON.phone, PERSON.name);
  });

  it('a refusal names a request id, in the header and in its error; a verified fetch answers under the platform id', async () => {
    const refused = await fetch(subgraphUrl('public_security'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: LOOKUP_QUERY, variables: { id: PERSON.id_number } }),
    });
    expect(refused.status).toBe(401);
    const id = refused.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const body = (await refused.json()) as GraphQLResponse;
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', requestId: id });

    const variables = { id: PERSON.id_number };
    const identity = identityOf('public_security');
    const token = await tokenFor(identity, 'public_security', gatewayKey, LOOKUP_QUERY, variables);
    const verified = await fetch(subgraphUrl('public_security'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-govdata-context': token },
      body: JSON.stringify({ query: LOOKUP_QUERY, variables }),
    });
    expect(verified.status).toBe(200);
    expect(verified.headers.get('x-request-id')).toBe(identity.requestId);
  });

  it('headers imitating the gateway without a signature mean nothing', async () => {
    const response = await post({
      'x-govdata-context': 'public_security',
      'x-request-id': 'gateway',
      authorization: `Bearer ${await platform.token({ department: 'public_security', roles: ['ADMIN'] })}`,
    });
    expectRefused401(response);
    expectNotLeaked(response, PERSON.phone);
  });

  it('a forged signature (a freshly generated Ed25519 key): 401, no data', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    for (const [query, variables] of [
      [ENTITIES_QUERY, PERSON_REPRESENTATIONS],
      [LOOKUP_QUERY, { id: PERSON.id_number }],
    ] as const) {
      const token = await tokenFor(
        identityOf('public_security'),
        'public_security',
        privateKey,
        query,
        variables,
      );
      const response = await post({ 'x-govdata-context': token }, query, variables);
      expectRefused401(response);
      expectNotLeaked(response, PERSON.phone, PERSON.name);
    }
  });

  it('an expired signature made with the real key: 401, no data', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({
      rid: 'expired',
      dept: 'public_security',
      roles: ['APP_DEVELOPER'],
      purpose: null,
      grant: null,
    })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer(INTERNAL_ISSUER)
      .setAudience('public_security')
      .setIssuedAt(now - 600)
      .setExpirationTime(now - 300)
      .sign(gatewayKey);
    const response = await post({ 'x-govdata-context': token });
    expectRefused401(response);
    expectNotLeaked(response, PERSON.phone, PERSON.name);
  });

  it('a token signed with the real key but issued by someone else: 401', async () => {
    const token = await new SignJWT({
      rid: 'issuer',
      dept: 'public_security',
      roles: ['APP_DEVELOPER'],
    })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer('govdata-dev')
      .setAudience('public_security')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(gatewayKey);
    expectRefused401(await post({ 'x-govdata-context': token }));
  });

  it('an HS256 token (algorithm confusion): 401', async () => {
    const token = await new SignJWT({
      rid: 'hs',
      dept: 'public_security',
      roles: ['APP_DEVELOPER'],
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(INTERNAL_ISSUER)
      .setAudience('public_security')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode('x'.repeat(64)));
    expectRefused401(await post({ 'x-govdata-context': token }));
  });

  it("a signature for another department's subgraph is refused here (and accepted there)", async () => {
    const query = `query ($c: String!) { enterprise(creditCode: $c) { name } }`;
    const variables = { c: ENTERPRISE.credit_code };
    const token = await tokenFor(
      identityOf('public_security'),
      'market_supervision',
      gatewayKey,
      query,
      variables,
    );
    const here = await post({ 'x-govdata-context': token }, query, variables);
    expectRefused401(here);
    expectNotLeaked(here, PERSON.phone, PERSON.name);
    const there = await postGraphQL<Record<string, unknown>>(
      subgraphUrl('market_supervision'),
      query,
      variables,
      { 'x-govdata-context': token },
    );
    expectNoErrors(there);
    expect(there.data).toEqual({ enterprise: { name: ENTERPRISE.name } });
  });

  it('a compose token reads the SDL but no data', async () => {
    const token = await signComposeToken('public_security', gatewayKey);
    const response = await post({ 'x-govdata-context': token }, LOOKUP_QUERY, {
      id: PERSON.id_number,
    });
    expect(response.data ?? { person: null }).toEqual({ person: null });
    expect(response.errors?.length).toBeGreaterThan(0);
    expectNotLeaked(response, PERSON.phone, PERSON.name);
    const sdl = await post({ 'x-govdata-context': token }, '{ _service { sdl } }', {});
    expectNoErrors(sdl);
  });

  it('an ordinary context token may not read the SDL', async () => {
    const token = await tokenFor(
      identityOf('public_security'),
      'public_security',
      gatewayKey,
      '{ _service { sdl } }',
      {},
    );
    const response = await post({ 'x-govdata-context': token }, '{ _service { sdl } }', {});
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(response)).not.toContain('type Person');
  });
});

describe('a client sending x-govdata-context to the gateway', () => {
  it('is ignored: an anonymous caller with a genuinely signed context is still UNAUTHENTICATED', async () => {
    const forged = await tokenFor(
      identityOf('public_security'),
      'public_security',
      gatewayKey,
      LOOKUP_QUERY,
      { id: PERSON.id_number },
    );
    const response = await platform.query(
      LOOKUP_QUERY,
      { id: PERSON.id_number },
      {
        'x-govdata-context': forged,
      },
    );
    expect(response.data).toEqual({ person: null });
    expect(errorAt(response, ['person']).extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      dataset: 'PS-POP-001',
      item: null,
      reason: 'UNAUTHENTICATED',
    });
    expectNotLeaked(response, PERSON.phone, PERSON.name);
  });

  it("is ignored: a grantee claiming to be the provider gets the grantee's rights", async () => {
    const forged = await tokenFor(
      identityOf('public_security'),
      'public_security',
      gatewayKey,
      LOOKUP_QUERY,
      { id: PERSON.id_number },
    );
    const response = await platform.query(
      LOOKUP_QUERY,
      { id: PERSON.id_number },
      {
        ...(await civilAffairs()),
        'x-govdata-context': forged,
      },
    );
    // The provider would read the whole number and the phone: the grantee reads neither.
    expect(response.data).toEqual({
      person: { idNumber: CONCEALED_ID, name: PERSON.name, phone: null },
    });
    expectDenied(response, ['person', 'phone'], {
      dataset: 'PS-POP-001',
      item: 'phone',
      reason: 'NO_GRANT',
    });
    expectNotLeaked(response, PERSON.phone, BIRTH_DIGITS);
  });

  it("naming another department's grant (X-Grant-Id) does not borrow it", async () => {
    const response = await platform.query(
      LOOKUP_QUERY,
      { id: PERSON.id_number },
      {
        ...(await platform.as('transport', 'social-assistance')),
        'x-grant-id': 'G-DEMO-CA-POP',
      },
    );
    expect(response.data).toEqual({ person: null });
    expectDenied(response, ['person'], { dataset: 'PS-POP-001', item: null, reason: 'NO_GRANT' });
  });

  it("a caller with grants naming another's, or none, is told to fix the header, and learns nothing of others' grants", async () => {
    const messages: string[] = [];
    for (const named of ['G-DEMO-MS-POP', 'G-NOT-A-GRANT']) {
      const response = await platform.query(
        LOOKUP_QUERY,
        { id: PERSON.id_number },
        { ...(await platform.as('civil_affairs', 'social-assistance')), 'x-grant-id': named },
      );
      expect(response.data).toEqual({ person: null });
      const error = expectDenied(response, ['person'], {
        dataset: 'PS-POP-001',
        item: null,
        reason: 'NO_GRANT',
      });
      expect(error.message).not.toContain('holds no grant');
      expect(error.message).toContain('X-Grant-Id');
      expect(error.message).toContain('leave the header out');
      messages.push(error.message.replace(named, 'NAMED'));
    }
    // Another department's grant and no grant at all read alike.
    expect(messages[0]).toBe(messages[1]);
  });
});

describe('forged client credentials at the gateway', () => {
  const QUERY = `{ enterprises(first: 1) { nodes { creditCode name } } }`;
  const secret = () => {
    if (config.auth.tokens.kind !== 'secret')
      throw new Error('the test platform uses a dev secret');
    return loadDevSecret(config.auth.tokens);
  };
  const claims = { dept: 'market_supervision', roles: ['APP_DEVELOPER'] };
  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('control: a proper token reads', async () => {
    const response = await platform.query(QUERY, {}, await platform.as('market_supervision'));
    expectNoErrors(response);
  });

  const forgeries: [string, () => Promise<Record<string, string>>][] = [
    [
      'signed with the wrong secret',
      async () =>
        bearer(
          await new SignJWT(claims)
            .setProtectedHeader({ alg: 'HS256' })
            .setIssuer(config.auth.issuer)
            .setAudience(config.auth.audience)
            .setExpirationTime('1h')
            .sign(new TextEncoder().encode('not-the-secret-'.repeat(4))),
        ),
    ],
    [
      'alg none',
      async () =>
        bearer(
          `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({
            ...claims,
            iss: config.auth.issuer,
            aud: config.auth.audience,
            exp: Math.floor(Date.now() / 1000) + 3600,
          })}.`,
        ),
    ],
    [
      'expired',
      async () => {
        const now = Math.floor(Date.now() / 1000);
        return bearer(
          await new SignJWT(claims)
            .setProtectedHeader({ alg: 'HS256' })
            .setIssuer(config.auth.issuer)
            .setAudience(config.auth.audience)
            .setIssuedAt(now - 7200)
            .setExpirationTime(now - 3600)
            .sign(secret()),
        );
      },
    ],
    [
      'a wrong issuer',
      async () =>
        bearer(
          await new SignJWT(claims)
            .setProtectedHeader({ alg: 'HS256' })
            .setIssuer('someone-else')
            .setAudience(config.auth.audience)
            .setExpirationTime('1h')
            .sign(secret()),
        ),
    ],
    [
      'a wrong audience',
      async () =>
        bearer(
          await new SignJWT(claims)
            .setProtectedHeader({ alg: 'HS256' })
            .setIssuer(config.auth.issuer)
            .setAudience('another-platform')
            .setExpirationTime('1h')
            .sign(secret()),
        ),
    ],
    [
      'not valid before an hour from now',
      async () =>
        bearer(
          await platform.token({
            department: 'market_supervision',
            roles: ['APP_DEVELOPER'],
            notBeforeSeconds: 3600,
          }),
        ),
    ],
    [
      'no expiry',
      async () =>
        bearer(
          await new SignJWT(claims)
            .setProtectedHeader({ alg: 'HS256' })
            .setIssuer(config.auth.issuer)
            .setAudience(config.auth.audience)
            .sign(secret()),
        ),
    ],
    [
      'an unknown role',
      async () =>
        bearer(
          await platform.token({
            department: 'market_supervision',
            roles: ['SUPERUSER' as Role],
          }),
        ),
    ],
    [
      'no department',
      async () =>
        bearer(
          await new SignJWT({ roles: ['ADMIN'] })
            .setProtectedHeader({ alg: 'HS256' })
            .setIssuer(config.auth.issuer)
            .setAudience(config.auth.audience)
            .setExpirationTime('1h')
            .sign(secret()),
        ),
    ],
    ['not a JWT at all', async () => bearer('not.a.jwt')],
    [
      'an unknown API key',
      async () => ({ 'x-api-key': `gdk_${'0'.repeat(16)}_${'a'.repeat(43)}` }),
    ],
  ];

  it.each(forgeries)('a credential %s: 401 UNAUTHENTICATED, no data', async (_label, headers) => {
    const response = await platform.query(QUERY, {}, await headers());
    expectRefused401(response);
    expectNotLeaked(response, ENTERPRISE.credit_code);
  });

  it('says what is wrong with a token and what to do, without naming what the platform expects', async () => {
    const says: Record<string, RegExp> = {
      'signed with the wrong secret':
        /not signed with a key this platform trusts; mint it .*npm run token/,
      expired: /has expired; get a new one/,
      'a wrong issuer': /its "iss" claim is not one this platform accepts/,
      'a wrong audience': /its "aud" claim is not one this platform accepts/,
      'not valid before an hour from now': /its "nbf" claim is not one this platform accepts/,
      'not a JWT at all': /three dot-separated parts/,
    };
    for (const [label, headers] of forgeries) {
      const expected = says[label];
      if (!expected) continue;
      const response = await platform.query(QUERY, {}, await headers());
      expectRefused401(response);
      const message = response.errors![0]!.message;
      expect(message, label).toMatch(expected);
      expect(message).not.toContain(config.auth.issuer);
      expect(message).not.toContain(config.auth.audience);
    }
  });
});

describe('SQL metacharacters in arguments', () => {
  it("a lookup key of ' OR '1'='1 finds nothing", async () => {
    for (const key of ["' OR '1'='1", `${PERSON.id_number}' --`, "x'; DROP TABLE persons; --"]) {
      const response = await platform.query(
        `query ($id: String!) { person(idNumber: $id) { idNumber name } }`,
        { id: key },
        await platform.as('public_security'),
      );
      expectNoErrors(response);
      expect(response.data).toEqual({ person: null });
    }
    const still = await platform.query(
      LOOKUP_QUERY,
      { id: PERSON.id_number },
      await platform.as('public_security'),
    );
    expect(still.data).toMatchObject({ person: { name: PERSON.name } });
  });

  it("an eq filter of ' OR '1'='1 matches nothing", async () => {
    const response = await platform.query(
      `{ persons(first: 5, filter: { name: { eq: "' OR '1'='1" } }) { nodes { idNumber } } }`,
      {},
      await platform.as('public_security'),
    );
    expectNoErrors(response);
    expect(response.data).toEqual({ persons: { nodes: [] } });
  });

  it.each(['%', '_', '!', '\\', '%%', '_%'])(
    'startsWith %j is literal, not a wildcard: zero rows',
    async (prefix) => {
      const response = await platform.query(
        `query ($p: String!) { enterprises(first: 5, filter: { name: { startsWith: $p } }) { nodes { name } } }`,
        { p: prefix },
        await platform.as('market_supervision'),
      );
      expectNoErrors(response);
      expect(response.data).toEqual({ enterprises: { nodes: [] } });
    },
  );

  it('control: a real prefix matches, and the same prefix followed by % does not', async () => {
    const names = [...enterpriseRows(TEST_SCALE)].map((e) => e.name);
    const prefix = Array.from(ENTERPRISE.name).slice(0, 2).join('');
    const query = `query ($p: String!) { enterprises(first: 100, filter: { name: { startsWith: $p } }) { nodes { name } } }`;
    const headers = await platform.as('market_supervision');
    const real = await platform.query<{ enterprises: { nodes: { name: string }[] } }>(
      query,
      { p: prefix },
      headers,
    );
    expectNoErrors(real);
    expect(real.data!.enterprises.nodes.map((n) => n.name).sort()).toEqual(
      names.filter((n) => n.startsWith(prefix)).sort(),
    );
    const wild = await platform.query(query, { p: `${prefix}%` }, headers);
    expectNoErrors(wild);
    expect(wild.data).toEqual({ enterprises: { nodes: [] } });
  });
});

describe('huge inputs', () => {
  const badInput = (response: GraphQLResponse, field: string) => {
    expect(response.data ?? { [field]: null }).toEqual({ [field]: null });
    expect(response.errors?.length).toBeGreaterThan(0);
    expect(response.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
  };

  it.each([101, 0, -1])('first: %i is BAD_USER_INPUT', async (first) => {
    const response = await platform.query(
      `query ($first: Int) { enterprises(first: $first) { nodes { creditCode } } }`,
      { first },
      await platform.as('tax'),
    );
    badInput(response, 'enterprises');
  });

  it('first: 1000000 is refused with no data (bad input, or over the operation limits at the gateway)', async () => {
    const response = await platform.query(
      `query ($first: Int) { enterprises(first: $first) { nodes { creditCode } } }`,
      { first: 1_000_000 },
      await platform.as('tax'),
    );
    expect(response.data?.enterprises ?? null).toBeNull();
    expect(response.errors?.length).toBeGreaterThan(0);
    expect(['BAD_USER_INPUT', 'OPERATION_LIMIT']).toContain(response.errors![0]!.extensions?.code);
    expectNotLeaked(response, ENTERPRISE.credit_code);
  });

  it('control: first: 100 answers 100 rows', async () => {
    const response = await platform.query<{ enterprises: { nodes: unknown[] } }>(
      `{ enterprises(first: 100) { nodes { creditCode } } }`,
      {},
      await platform.as('tax'),
    );
    expectNoErrors(response);
    expect(response.data!.enterprises.nodes).toHaveLength(Math.min(100, TEST_SCALE / 10));
  });

  it('an in list of 101 values is BAD_USER_INPUT, of 100 values answers', async () => {
    const query = `query ($codes: [String!]) { enterprises(first: 100, filter: { creditCode: { in: $codes } }) { nodes { creditCode } } }`;
    const codes = (n: number) => [
      ENTERPRISE.credit_code,
      ...Array.from({ length: n - 1 }, (_, i) => `X${i}`),
    ];
    const headers = await platform.as('tax');
    badInput(await platform.query(query, { codes: codes(101) }, headers), 'enterprises');
    const ok = await platform.query(query, { codes: codes(100) }, headers);
    expectNoErrors(ok);
    expect(ok.data).toEqual({ enterprises: { nodes: [{ creditCode: ENTERPRISE.credit_code }] } });
  });

  it('a 2 MB body is refused with 413', async () => {
    const response = await fetch(platform.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await platform.as('tax')) },
      body: JSON.stringify({
        query: `{ enterprises(first: 1) { nodes { name } } }`,
        variables: { padding: 'x'.repeat(2 * 1024 * 1024) },
      }),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as {
      data?: unknown;
      errors?: { extensions?: { code?: string } }[];
    };
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['garbage', 'garbage!!'],
    ['not base64 JSON', 'abc'],
    ['the wrong number of key parts', Buffer.from('["a","b"]').toString('base64url')],
    ['the wrong key type', Buffer.from('[1]').toString('base64url')],
    ['a cursor that is not a list', Buffer.from('{"creditCode":"x"}').toString('base64url')],
    ['an oversized cursor', 'a'.repeat(10_000)],
  ])('a cursor of %s is BAD_USER_INPUT', async (_label, after) => {
    const response = await platform.query(
      `query ($after: String) { enterprises(first: 5, after: $after) { nodes { creditCode } } }`,
      { after },
      await platform.as('tax'),
    );
    badInput(response, 'enterprises');
  });
});

describe('introspection and federation internals through the gateway', () => {
  it('introspection reveals no row data', async () => {
    const response = await platform.query(getIntrospectionQuery(), {}, await statistics());
    expectNoErrors(response);
    const text = JSON.stringify(response.data);
    expect(text).toContain('"Person"');
    const persons = [...personRows(TEST_SCALE)];
    const enterprises = [...enterpriseRows(TEST_SCALE)];
    const secrets = [
      ...persons.flatMap((p) => [p.id_number, p.phone, p.name, p.address]),
      ...enterprises.flatMap((e) => [e.credit_code, e.name, e.address]),
      ACCOUNT.account_number,
      LICENSE.license_number,
    ];
    const leaked = secrets.filter((s) => text.includes(`"${s}"`) || text.includes(s));
    expect(leaked).toEqual([]);
  });

  it('introspection costs the objects it answers with: many __schema in one document are refused before any is built, whoever asks', async () => {
    const schemas = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `s${i}: __schema { types { name fields { name args { name type { name ofType { name } } } } } }`).join(' ')} }`;
    const refused = await platform.query(schemas(20), {}, await statistics());
    expect(refused.status).toBe(400);
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'OPERATION_LIMIT',
      limit: 'cost',
    });
    const measured = refused.errors![0]!.extensions!.measured as number;
    // The estimate is the answer's size, each type, field and argument one object (wrapped
    // types' ofType chains estimated from the schema's mean wrapping).
    const one = await platform.query<{ s0: { types: { fields: { args: unknown[] }[] | null }[] } }>(
      schemas(1),
      {},
      await statistics(),
    );
    expectNoErrors(one);
    const objects = JSON.stringify(one.data).split('{').length - 1;
    expect(measured).toBeGreaterThan(0.9 * 20 * objects);
    expect(measured).toBeLessThan(1.1 * 20 * objects);
    const anonymous = await platform.query(schemas(5), {});
    expect(anonymous.status).toBe(400);
    expect(anonymous.errors?.[0]?.extensions).toMatchObject({
      code: 'OPERATION_LIMIT',
      limit: 'cost',
    });
    // Signing in is the anonymous caller's other way through, and the message says so.
    expect(anonymous.errors?.[0]?.message).toMatch(
      new RegExp(`Or sign in .*limit is ${config.limits.authenticated.cost}\\.$`),
    );
    expect(refused.errors?.[0]?.message).not.toContain('sign in');
    // A name or two stays cheap for anyone.
    expectNoErrors(await platform.query('{ __schema { queryType { name } } __typename }', {}));
  });

  it("a request another site's page could send (a form post, a plain GET) is refused with what to send instead", async () => {
    // A form posted as text/plain can carry a JSON body.
    const form = await fetch(platform.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    const get = await fetch(
      `${platform.gateway.url}?query=${encodeURIComponent('{ __typename }')}`,
    );
    for (const response of [form, get]) {
      expect(response.status).toBe(400);
      const body = (await response.json()) as GraphQLResponse;
      expect(body.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_REQUEST',
        requestId: response.headers.get('x-request-id'),
      });
      expect(body.errors?.[0]?.message).toBe(
        'A request a web page of another site could send is refused (cross-site request forgery): send a POST with content-type: application/json, or a GET with the header apollo-require-preflight: true.',
      );
    }
    // What the message says to do works.
    const preflighted = await fetch(
      `${platform.gateway.url}?query=${encodeURIComponent('{ __typename }')}`,
      { headers: { 'apollo-require-preflight': 'true' } },
    );
    expect(await preflighted.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it("a document of several operations without operationName is the client's mistake: 400 with what to do", async () => {
    for (const headers of [{}, await statistics()]) {
      const response = await platform.query(
        'query A { __typename } query B { __typename }',
        {},
        headers,
      );
      expect(response.status).toBe(400);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(response.errors?.[0]?.message).toMatch(/operationName/);
      expect(response.errors?.[0]?.extensions?.requestId).toEqual(expect.any(String));
    }
    const named = await fetch(platform.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await statistics()) },
      body: JSON.stringify({
        query: 'query A { __typename } query B { __typename }',
        operationName: 'B',
      }),
    });
    expect(await named.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('a value its type refuses is not said back: the variable, where and why, with a code and a request id', async () => {
    const idNumber = PERSON.id_number;
    const digits = idNumber.replace(/\D/g, '');
    const refusals = [
      await platform.query(LOOKUP_QUERY, { id: Number(digits) }, await statistics()),
      await platform.query(LOOKUP_QUERY, { id: { idNumber } }, await statistics()),
      await platform.query(`{ person(idNumber: ${digits}) { name } }`, {}, await statistics()),
    ];
    for (const response of refusals) {
      expect(response.status).toBe(400);
      expect(response.errors?.length).toBeGreaterThan(0);
      for (const error of response.errors ?? []) {
        expect(error.extensions).toMatchObject({ requestId: expect.any(String) });
        expect(String(error.extensions?.code)).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
        expect(error.message).toMatch(/Send a value/);
      }
      const said = JSON.stringify(response);
      expect(said).not.toContain(digits.slice(0, 12));
    }
    expect(refusals[0]!.errors?.[0]?.message).toBe(
      'Variable "$id" got a value its type does not accept: String cannot represent a non string value. Send a value of the declared type (the value is not repeated here).',
    );
  });

  it('a document too costly to validate (a field selected a thousand times) says what to do, with a request id', async () => {
    const response = await platform.query(
      `{ ${'__typename '.repeat(1000)}}`,
      {},
      await statistics(),
    );
    expect(response.status).toBe(400);
    const messages = response.errors?.map((e) => e.message) ?? [];
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join('\n')).not.toMatch(/Validation aborted/);
    for (const error of response.errors ?? []) {
      expect(error.extensions?.requestId).toEqual(expect.any(String));
    }
  });

  it('_entities and _service are not part of the gateway API', async () => {
    const entities = await platform.query(
      ENTITIES_QUERY,
      PERSON_REPRESENTATIONS,
      await civilAffairs(),
    );
    expect(entities.status).toBe(400);
    expect(entities.data ?? null).toBeNull();
    expectNotLeaked(entities, PERSON.phone, PERSON.name);
    const service = await platform.query('{ _service { sdl } }', {}, await civilAffairs());
    expect(service.status).toBe(400);
    expect(service.data ?? null).toBeNull();
  });
});
