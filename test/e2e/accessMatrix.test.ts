import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertGrant, newGrant } from '../../server/index.ts';
import {
  DEMO_ENTERPRISE_INDEX,
  DEMO_PERSON_INDEX,
  enterpriseAt,
  inspectionsOfEnterprise,
  personAt,
  utilityAccountsOfPerson,
} from '../../subgraphs/demo-data/index.ts';
import {
  startTestPlatform,
  type GraphQLResponse,
  type TestPlatform,
} from '../support/testPlatform.ts';

/**
 * Acceptance: DESIGN.md "Access semantics", sharing type by caller, through the
 * gateway over HTTP. Each sharing type is asked by its provider, by a grantee
 * (CONDITIONAL), by a department without a grant and by an anonymous caller.
 */

interface Denial {
  code: 'FORBIDDEN' | 'UNAUTHENTICATED';
  dataset: string | null;
  item: string | null;
  reason: string;
}

type Path = readonly (string | number)[];

const ENTERPRISE = enterpriseAt(DEMO_ENTERPRISE_INDEX);
const PERSON = personAt(DEMO_PERSON_INDEX);
const ACCOUNT = utilityAccountsOfPerson(DEMO_PERSON_INDEX)[0]!;
const INSPECTIONS = inspectionsOfEnterprise(DEMO_ENTERPRISE_INDEX);

const ENTERPRISE_ITEMS =
  'creditCode name kind legalRepresentativeIdNumber registeredCapital establishedOn regionCode address status';
const PERSON_ITEMS = 'idNumber name gender birthDate ethnicity regionCode address phone';
const ACCOUNT_ITEMS =
  'accountNumber holderIdNumber holderCreditCode address openedOn monthlyUsageM3 arrears status';
const INSPECTION_ITEMS = 'inspectionId creditCode inspectedOn inspectorUnit result notes';

const ENTERPRISE_QUERY = `query ($code: String!) { enterprise(creditCode: $code) { ${ENTERPRISE_ITEMS} } }`;
const PERSON_QUERY = `query ($id: String!) { person(idNumber: $id) { ${PERSON_ITEMS} } }`;
const ACCOUNT_QUERY = `query ($account: String!) { utilityAccount(accountNumber: $account) { ${ACCOUNT_ITEMS} } }`;
const INSPECTIONS_QUERY = `query ($code: String!) {
  enterprise(creditCode: $code) { creditCode name inspections { ${INSPECTION_ITEMS} } }
  inspectionRecords(first: 100, filter: { creditCode: { eq: $code } }) { nodes { ${INSPECTION_ITEMS} } }
}`;

const enterpriseAnswer = {
  creditCode: ENTERPRISE.credit_code,
  name: ENTERPRISE.name,
  kind: ENTERPRISE.kind,
  legalRepresentativeIdNumber: ENTERPRISE.legal_rep_id_number,
  registeredCapital: ENTERPRISE.registered_capital,
  establishedOn: ENTERPRISE.established_on,
  regionCode: ENTERPRISE.region_code,
  address: ENTERPRISE.address,
  status: ENTERPRISE.status,
};

const personAnswer = {
  idNumber: PERSON.id_number,
  name: PERSON.name,
  gender: PERSON.gender,
  birthDate: PERSON.birth_date,
  ethnicity: PERSON.ethnicity,
  regionCode: PERSON.region_code,
  address: PERSON.address,
  phone: PERSON.phone,
};

const accountAnswer = {
  accountNumber: ACCOUNT.account_number,
  holderIdNumber: ACCOUNT.holder_id_number,
  holderCreditCode: ACCOUNT.holder_credit_code,
  address: ACCOUNT.address,
  openedOn: ACCOUNT.opened_on,
  monthlyUsageM3: ACCOUNT.monthly_usage_m3,
  arrears: ACCOUNT.arrears,
  status: ACCOUNT.status,
};

const inspectionAnswers = [...INSPECTIONS]
  .sort((a, b) => (a.inspection_id < b.inspection_id ? -1 : 1))
  .map((row) => ({
    inspectionId: row.inspection_id,
    creditCode: row.credit_code,
    inspectedOn: row.inspected_on,
    inspectorUnit: row.inspector_unit,
    result: row.result,
    notes: row.notes,
  }));

/** KEEP_ENDS by characters (code points), as masking.ts applies it. */
const keepEnds = (value: string, first: number, last: number) => {
  const chars = Array.from(value);
  if (first + last >= chars.length) return '****';
  return chars.slice(0, first).join('') + '****' + chars.slice(chars.length - last).join('');
};

/** civil_affairs's water grant (G-DEMO-CA-WATER) masks the address, keeping its first 6 characters. */
const MASKED_ACCOUNT_ADDRESS = keepEnds(ACCOUNT.address, 6, 0);

/**
 * idNumber embeds birthDate and gender; civil_affairs reads birthDate only to the
 * year (G-DEMO-CA-POP), so it gets the number, and every copy of it, with the
 * region code alone.
 */
const CONCEALED_ID_NUMBER = keepEnds(PERSON.id_number, 6, 0);
/**
 * The account number begins with the region code of its service address: to a
 * grantee reading the address masked, it shows its last 4 digits alone.
 */
const CONCEALED_ACCOUNT_NUMBER = keepEnds(ACCOUNT.account_number, 0, 4);

const samePath = (a: Path | undefined, b: Path) => JSON.stringify(a ?? []) === JSON.stringify(b);

/** The one error at `path`; fails when there is none or several. */
function errorAt(response: GraphQLResponse, path: Path) {
  const found = (response.errors ?? []).filter((e) => samePath(e.path, path));
  expect(
    found,
    `one error at ${path.join('.')} in ${JSON.stringify(response.errors)}`,
  ).toHaveLength(1);
  return found[0]!;
}

/** The field at `path` was denied with exactly these extensions and a message. */
function expectDenied(response: GraphQLResponse, path: Path, denial: Denial): void {
  const error = errorAt(response, path);
  expect(error.extensions).toMatchObject({ ...denial });
  expect(error.message.length).toBeGreaterThan(10);
}

function expectNoErrors(response: GraphQLResponse): void {
  expect(response.status).toBe(200);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
}

const forbidden = (dataset: string, reason: string, item: string | null = null): Denial => ({
  code: 'FORBIDDEN',
  dataset,
  item,
  reason,
});

const anonymous = (dataset: string): Denial => ({
  code: 'UNAUTHENTICATED',
  dataset,
  item: null,
  reason: 'UNAUTHENTICATED',
});

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform('sqlite');
});

afterAll(async () => {
  await platform?.close();
});

describe('UNCONDITIONAL (MS-ENT-001 Enterprise)', () => {
  it('the provider reads every item', async () => {
    const response = await platform.query(
      ENTERPRISE_QUERY,
      { code: ENTERPRISE.credit_code },
      await platform.as('market_supervision'),
    );
    expectNoErrors(response);
    expect(response.data).toEqual({ enterprise: enterpriseAnswer });
  });

  it.each(['civil_affairs', 'tax', 'transport', 'public_security', 'city_water'])(
    'any other department (%s) reads every item with no grant and no purpose, except the copied ID number (CONDITIONAL)',
    async (department) => {
      const response = await platform.query(
        ENTERPRISE_QUERY,
        { code: ENTERPRISE.credit_code },
        await platform.as(department),
      );
      expect(response.status).toBe(200);
      expect(response.data).toEqual({
        enterprise: { ...enterpriseAnswer, legalRepresentativeIdNumber: null },
      });
      expect(response.errors).toHaveLength(1);
      // A copy of PS-POP-001.idNumber, shared on conditions: no grant on MS-ENT-001 lists it.
      expectDenied(
        response,
        ['enterprise', 'legalRepresentativeIdNumber'],
        forbidden('MS-ENT-001', 'NO_GRANT', 'legalRepresentativeIdNumber'),
      );
      expect(JSON.stringify(response)).not.toContain(ENTERPRISE.legal_rep_id_number);
    },
  );

  it('another department pages through the list', async () => {
    const response = await platform.query<{
      enterprises: { nodes: { creditCode: string; name: string }[] };
    }>(
      `{ enterprises(first: 5) { nodes { creditCode name } } }`,
      {},
      await platform.as('transport'),
    );
    expectNoErrors(response);
    expect(response.data!.enterprises.nodes).toHaveLength(5);
  });

  it('an anonymous caller is refused with UNAUTHENTICATED, on the lookup and the list', async () => {
    const response = await platform.query(
      `query ($code: String!) {
        enterprise(creditCode: $code) { ${ENTERPRISE_ITEMS} }
        enterprises(first: 5) { nodes { creditCode name } }
      }`,
      { code: ENTERPRISE.credit_code },
    );
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ enterprise: null, enterprises: null });
    expectDenied(response, ['enterprise'], anonymous('MS-ENT-001'));
    expectDenied(response, ['enterprises'], anonymous('MS-ENT-001'));
    expect(JSON.stringify(response)).not.toContain(ENTERPRISE.name);
  });
});

describe('CONDITIONAL (PS-POP-001 Person)', () => {
  it('the provider reads every item, phone included', async () => {
    const response = await platform.query(
      PERSON_QUERY,
      { id: PERSON.id_number },
      await platform.as('public_security'),
    );
    expectNoErrors(response);
    expect(response.data).toEqual({ person: personAnswer });
  });

  it('the grantee reads the granted items, birthDate masked to the year, the ID number that embeds it concealed, and phone is refused alone', async () => {
    const response = await platform.query(
      PERSON_QUERY,
      { id: PERSON.id_number },
      await platform.as('civil_affairs', 'social-assistance'),
    );
    expect(response.status).toBe(200);
    expect(CONCEALED_ID_NUMBER).toBe(`${PERSON.region_code}****`);
    expect(response.data).toEqual({
      person: {
        ...personAnswer,
        idNumber: CONCEALED_ID_NUMBER,
        birthDate: PERSON.birth_date.slice(0, 4),
        phone: null,
      },
    });
    expect(response.errors).toHaveLength(1);
    expectDenied(response, ['person', 'phone'], forbidden('PS-POP-001', 'NO_GRANT', 'phone'));
    expect(JSON.stringify(response)).not.toContain(PERSON.phone);
    expect(JSON.stringify(response)).not.toContain(PERSON.birth_date);
    expect(JSON.stringify(response)).not.toContain(PERSON.id_number);
    expect(JSON.stringify(response)).not.toContain(PERSON.birth_date.replaceAll('-', ''));
  });

  it('the grantee pages through the list with the same item rules', async () => {
    const response = await platform.query<{
      persons: { nodes: { idNumber: string; name: string; birthDate: string }[] };
    }>(
      `{ persons(first: 10) { nodes { idNumber name birthDate } } }`,
      {},
      await platform.as('civil_affairs', 'social-assistance'),
    );
    expectNoErrors(response);
    const nodes = response.data!.persons.nodes;
    expect(nodes).toHaveLength(10);
    for (const node of nodes) {
      expect(node.birthDate).toMatch(/^\d{4}$/);
      expect(node.idNumber).toMatch(/^\d{6}\*{4}$/);
    }
  });

  it.each(['transport', 'city_water', 'development_reform'])(
    'a department without a grant (%s) is refused with NO_GRANT',
    async (department) => {
      const response = await platform.query(
        `query ($id: String!) {
          person(idNumber: $id) { ${PERSON_ITEMS} }
          persons(first: 5) { nodes { idNumber name } }
        }`,
        { id: PERSON.id_number },
        await platform.as(department, 'social-assistance'),
      );
      expect(response.status).toBe(200);
      expect(response.data).toEqual({ person: null, persons: null });
      expectDenied(response, ['person'], forbidden('PS-POP-001', 'NO_GRANT'));
      expectDenied(response, ['persons'], forbidden('PS-POP-001', 'NO_GRANT'));
      expect(JSON.stringify(response)).not.toContain(PERSON.name);
    },
  );

  it('an anonymous caller is refused with UNAUTHENTICATED', async () => {
    const response = await platform.query(
      PERSON_QUERY,
      { id: PERSON.id_number },
      {
        'x-purpose': 'social-assistance',
      },
    );
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ person: null });
    expectDenied(response, ['person'], anonymous('PS-POP-001'));
  });
});

describe('CONDITIONAL (CW-ACC-001 UtilityAccount)', () => {
  it('the provider reads every item', async () => {
    const response = await platform.query(
      ACCOUNT_QUERY,
      { account: ACCOUNT.account_number },
      await platform.as('city_water'),
    );
    expectNoErrors(response);
    expect(response.data).toEqual({ utilityAccount: accountAnswer });
  });

  it('the grantee reads the granted items, the holder ID number as concealed as its source, the address masked and the account number with it, openedOn refused', async () => {
    const address = Array.from(ACCOUNT.address);
    // The mask must hide something: an address of more than 6 characters; how many, it does not say.
    expect(address.length).toBeGreaterThan(6);
    expect(MASKED_ACCOUNT_ADDRESS).toBe(`${address.slice(0, 6).join('')}****`);
    const response = await platform.query(
      ACCOUNT_QUERY,
      { account: ACCOUNT.account_number },
      await platform.as('civil_affairs', 'social-assistance'),
    );
    expect(response.status).toBe(200);
    expect(response.data).toEqual({
      utilityAccount: {
        ...accountAnswer,
        // A copy of PS-POP-001.idNumber: never more open than civil_affairs reads the source.
        holderIdNumber: CONCEALED_ID_NUMBER,
        address: MASKED_ACCOUNT_ADDRESS,
        accountNumber: CONCEALED_ACCOUNT_NUMBER,
        openedOn: null,
      },
    });
    expect(ACCOUNT.holder_id_number).toBe(PERSON.id_number);
    expect(JSON.stringify(response)).not.toContain(PERSON.id_number);
    expect(response.errors).toHaveLength(1);
    expectDenied(
      response,
      ['utilityAccount', 'openedOn'],
      forbidden('CW-ACC-001', 'NO_GRANT', 'openedOn'),
    );
    expect(JSON.stringify(response)).not.toContain(ACCOUNT.address);
    expect(JSON.stringify(response)).not.toContain(address.slice(6).join(''));
    // The district the address mask hides is not read from the account number either.
    expect(JSON.stringify(response)).not.toContain(ACCOUNT.account_number);
  });

  it('a department without a grant is refused with NO_GRANT', async () => {
    const response = await platform.query(
      ACCOUNT_QUERY,
      { account: ACCOUNT.account_number },
      await platform.as('transport', 'social-assistance'),
    );
    expect(response.data).toEqual({ utilityAccount: null });
    expectDenied(response, ['utilityAccount'], forbidden('CW-ACC-001', 'NO_GRANT'));
  });

  it('an anonymous caller is refused with UNAUTHENTICATED', async () => {
    const response = await platform.query(ACCOUNT_QUERY, { account: ACCOUNT.account_number });
    expect(response.data).toEqual({ utilityAccount: null });
    expectDenied(response, ['utilityAccount'], anonymous('CW-ACC-001'));
  });
});

describe('NOT_SHARED (MS-INS-001 InspectionRecord)', () => {
  it('the provider reads the records, through the enterprise and through the list', async () => {
    expect(inspectionAnswers.length).toBeGreaterThan(0);
    const response = await platform.query<{
      enterprise: { inspections: unknown[] };
      inspectionRecords: { nodes: unknown[] };
    }>(
      INSPECTIONS_QUERY,
      { code: ENTERPRISE.credit_code },
      await platform.as('market_supervision'),
    );
    expectNoErrors(response);
    const byId = (a: unknown, b: unknown) =>
      (a as { inspectionId: string }).inspectionId < (b as { inspectionId: string }).inspectionId
        ? -1
        : 1;
    expect([...response.data!.enterprise.inspections].sort(byId)).toEqual(inspectionAnswers);
    expect(response.data!.inspectionRecords.nodes).toEqual(inspectionAnswers);
  });

  it.each(['civil_affairs', 'tax', 'public_security', 'transport', 'hangzhou_civil_affairs'])(
    'every other department (%s) is refused with NOT_SHARED, and the enterprise still answers',
    async (department) => {
      const response = await platform.query(
        INSPECTIONS_QUERY,
        { code: ENTERPRISE.credit_code },
        await platform.as(department, 'social-assistance'),
      );
      expect(response.status).toBe(200);
      expect(response.data).toEqual({
        enterprise: {
          creditCode: ENTERPRISE.credit_code,
          name: ENTERPRISE.name,
          inspections: null,
        },
        inspectionRecords: null,
      });
      expect(response.errors).toHaveLength(2);
      expectDenied(response, ['enterprise', 'inspections'], forbidden('MS-INS-001', 'NOT_SHARED'));
      expectDenied(response, ['inspectionRecords'], forbidden('MS-INS-001', 'NOT_SHARED'));
      expect(JSON.stringify(response)).not.toContain(INSPECTIONS[0]!.inspection_id);
    },
  );

  it('a grant on a NOT_SHARED dataset opens nothing', async () => {
    const grant = newGrant(
      {
        id: 'G-MATRIX-NOT-SHARED',
        consumerDepartment: 'audit_matrix',
        datasetCode: 'MS-INS-001',
        items: ['creditCode', 'inspectedOn', 'inspectorUnit', 'result', 'notes'],
        purposes: ['audit'],
        modes: ['QUERY'],
        validFrom: '2020-01-01T00:00:00.000Z',
        validUntil: '2099-12-31T23:59:59.999Z',
      },
      'accessMatrix.test',
    );
    await insertGrant(platform.platformDb, grant);
    await platform.policies.reload();
    const response = await platform.query(
      INSPECTIONS_QUERY,
      { code: ENTERPRISE.credit_code },
      await platform.as('audit_matrix', 'audit'),
    );
    expect(response.data).toEqual({
      enterprise: { creditCode: ENTERPRISE.credit_code, name: ENTERPRISE.name, inspections: null },
      inspectionRecords: null,
    });
    expectDenied(response, ['enterprise', 'inspections'], forbidden('MS-INS-001', 'NOT_SHARED'));
    expectDenied(response, ['inspectionRecords'], forbidden('MS-INS-001', 'NOT_SHARED'));
  });

  it('an anonymous caller is refused with UNAUTHENTICATED', async () => {
    const response = await platform.query(
      `{ inspectionRecords(first: 5) { nodes { inspectionId notes } } }`,
    );
    expect(response.data).toEqual({ inspectionRecords: null });
    expectDenied(response, ['inspectionRecords'], anonymous('MS-INS-001'));
  });
});

describe('the rest of the response still answers', () => {
  it('a query across two subgraphs returns the allowed half and refuses the other', async () => {
    const response = await platform.query(
      `query ($code: String!, $id: String!) {
        enterprise(creditCode: $code) { creditCode name status }
        person(idNumber: $id) { idNumber name }
      }`,
      { code: ENTERPRISE.credit_code, id: PERSON.id_number },
      await platform.as('transport'),
    );
    expect(response.status).toBe(200);
    expect(response.data).toEqual({
      enterprise: {
        creditCode: ENTERPRISE.credit_code,
        name: ENTERPRISE.name,
        status: ENTERPRISE.status,
      },
      person: null,
    });
    expect(response.errors).toHaveLength(1);
    expectDenied(response, ['person'], forbidden('PS-POP-001', 'NO_GRANT'));
  });

  it('each part of a mixed query is governed by its own dataset', async () => {
    const response = await platform.query(
      `query ($code: String!, $id: String!, $account: String!) {
        person(idNumber: $id) { name phone }
        enterprise(creditCode: $code) { name inspections { inspectionId } }
        utilityAccount(accountNumber: $account) { address openedOn }
        creditRecords(first: 1) { nodes { recordId } }
      }`,
      { code: ENTERPRISE.credit_code, id: PERSON.id_number, account: ACCOUNT.account_number },
      await platform.as('civil_affairs', 'social-assistance'),
    );
    expect(response.status).toBe(200);
    expect(response.data).toMatchObject({
      person: { name: PERSON.name, phone: null },
      enterprise: { name: ENTERPRISE.name, inspections: null },
      utilityAccount: { address: MASKED_ACCOUNT_ADDRESS, openedOn: null },
      creditRecords: { nodes: [{ recordId: expect.any(String) as unknown }] },
    });
    expect(response.errors).toHaveLength(3);
    expectDenied(response, ['person', 'phone'], forbidden('PS-POP-001', 'NO_GRANT', 'phone'));
    expectDenied(response, ['enterprise', 'inspections'], forbidden('MS-INS-001', 'NOT_SHARED'));
    expectDenied(
      response,
      ['utilityAccount', 'openedOn'],
      forbidden('CW-ACC-001', 'NO_GRANT', 'openedOn'),
    );
    expect(JSON.stringify(response)).not.toContain(ACCOUNT.address);
  });
});

/** Every dataset's list, by every kind of caller: the whole table of DESIGN.md. */
describe('the matrix over every dataset', () => {
  type Caller = 'provider' | 'grantee' | 'department without a grant' | 'anonymous';
  interface Dataset {
    code: string;
    list: string;
    key: string;
    type: 'UNCONDITIONAL' | 'CONDITIONAL' | 'NOT_SHARED';
    provider: string;
    /** A department holding a demo grant (CONDITIONAL only), with its purpose. */
    grantee?: [string, string];
  }
  const datasets: Dataset[] = [
    {
      code: 'MS-ENT-001',
      list: 'enterprises',
      key: 'creditCode',
      type: 'UNCONDITIONAL',
      provider: 'market_supervision',
    },
    {
      code: 'DR-CRD-001',
      list: 'creditRecords',
      key: 'recordId',
      type: 'UNCONDITIONAL',
      provider: 'development_reform',
    },
    {
      code: 'BE-LIC-001',
      list: 'licenses',
      key: 'licenseNumber',
      type: 'UNCONDITIONAL',
      provider: 'business_environment',
    },
    {
      code: 'PS-POP-001',
      list: 'persons',
      key: 'idNumber',
      type: 'CONDITIONAL',
      provider: 'public_security',
      grantee: ['civil_affairs', 'social-assistance'],
    },
    {
      code: 'CW-ACC-001',
      list: 'utilityAccounts',
      key: 'accountNumber',
      type: 'CONDITIONAL',
      provider: 'city_water',
      grantee: ['civil_affairs', 'social-assistance'],
    },
    {
      code: 'NR-LAND-001',
      list: 'landParcels',
      key: 'parcelCode',
      type: 'CONDITIONAL',
      provider: 'natural_resources',
      grantee: ['civil_affairs', 'housing-security'],
    },
    {
      code: 'MS-INS-001',
      list: 'inspectionRecords',
      key: 'inspectionId',
      type: 'NOT_SHARED',
      provider: 'market_supervision',
    },
  ];

  /** DESIGN.md's table: null reads, a string is the denial reason. */
  const expected = (dataset: Dataset, caller: Caller): string | null => {
    if (caller === 'anonymous') return 'UNAUTHENTICATED';
    if (caller === 'provider') return null;
    if (dataset.type === 'UNCONDITIONAL') return null;
    if (dataset.type === 'NOT_SHARED') return 'NOT_SHARED';
    return caller === 'grantee' ? null : 'NO_GRANT';
  };

  const cases = datasets.flatMap((dataset) =>
    (['provider', 'grantee', 'department without a grant', 'anonymous'] as const)
      .filter((caller) => caller !== 'grantee' || dataset.grantee)
      .map((caller) => ({ dataset, caller, label: `${dataset.type} ${dataset.code}` })),
  );

  it.each(cases)('$label, asked by the $caller', async ({ dataset, caller }) => {
    const headers =
      caller === 'provider'
        ? await platform.as(dataset.provider)
        : caller === 'grantee'
          ? await platform.as(...dataset.grantee!)
          : caller === 'department without a grant'
            ? await platform.as('transport', 'social-assistance')
            : {};
    const response = await platform.query<Record<string, { nodes: Record<string, string>[] }>>(
      `{ ${dataset.list}(first: 3) { nodes { ${dataset.key} } } }`,
      {},
      headers,
    );
    expect(response.status).toBe(200);
    const reason = expected(dataset, caller);
    if (reason === null) {
      expectNoErrors(response);
      const nodes = response.data![dataset.list]!.nodes;
      expect(nodes).toHaveLength(3);
      for (const node of nodes) expect(node[dataset.key]).toEqual(expect.any(String));
    } else {
      expect(response.data).toEqual({ [dataset.list]: null });
      expectDenied(
        response,
        [dataset.list],
        reason === 'UNAUTHENTICATED' ? anonymous(dataset.code) : forbidden(dataset.code, reason),
      );
    }
  });
});
