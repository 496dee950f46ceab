import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertGrant,
  newGrant,
  revokeGrant,
  updateDatasetPolicy,
  type Grant,
} from '../../server/index.ts';
import {
  DEMO_ENTERPRISE_INDEX,
  DEMO_PERSON_INDEX,
  enterpriseAt,
  personAt,
  utilityAccountsOfPerson,
} from '../../subgraphs/demo-data/index.ts';
import {
  startTestPlatform,
  type GraphQLResponse,
  type TestPlatform,
} from '../support/testPlatform.ts';

/**
 * Acceptance: a grant's conditions — masked items, row filter, validity window,
 * purposes, daily quota, modes — and changes to grants and sharing decisions
 * while the platform runs. Each test uses its own consumer department.
 */

type Path = readonly (string | number)[];

const PERSON = personAt(DEMO_PERSON_INDEX);
const ACCOUNT = utilityAccountsOfPerson(DEMO_PERSON_INDEX)[0]!;
const ENTERPRISE = enterpriseAt(DEMO_ENTERPRISE_INDEX);
const HOUR = 3_600_000;

const PERSON_QUERY = `query ($id: String!) { person(idNumber: $id) { idNumber name regionCode } }`;

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform('sqlite');
});

afterAll(async () => {
  await platform?.close();
});

/** Rows of a department's table, read straight from its database. */
async function rowsOf<T>(department: string, table: string, columns: string[]): Promise<T[]> {
  const rows: unknown = await platform.databases.get(department)!(table).select(columns);
  return rows as T[];
}

type GrantSpec = Pick<Grant, 'id' | 'consumerDepartment' | 'datasetCode' | 'items'> &
  Partial<Grant>;

/** Inserts a grant (active, valid 2020-2099 unless said otherwise) and reloads the rules. */
async function addGrant(spec: GrantSpec): Promise<Grant> {
  const grant: Grant = {
    ...newGrant(
      {
        purposes: ['audit'],
        modes: ['QUERY'],
        validFrom: '2020-01-01T00:00:00.000Z',
        validUntil: '2099-12-31T23:59:59.999Z',
        ...spec,
      },
      'grantConditions.test',
    ),
    ...spec,
  };
  await insertGrant(platform.platformDb, grant);
  await platform.policies.reload();
  return grant;
}

const samePath = (a: Path | undefined, b: Path) => JSON.stringify(a ?? []) === JSON.stringify(b);

function expectDenied(
  response: GraphQLResponse,
  path: Path,
  denial: { dataset: string; item: string | null; reason: string },
) {
  const found = (response.errors ?? []).filter((e) => samePath(e.path, path));
  expect(
    found,
    `one error at ${path.join('.')} in ${JSON.stringify(response.errors)}`,
  ).toHaveLength(1);
  expect(found[0]!.extensions).toMatchObject({ code: 'FORBIDDEN', ...denial });
  return found[0]!;
}

function expectNoErrors(response: GraphQLResponse): void {
  expect(response.status).toBe(200);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
}

/**
 * Polls `check` every 250 ms (never forcing a reload) until it is true; returns
 * the milliseconds it took, or fails after `giveUpMs`.
 */
async function msUntil(check: () => Promise<boolean>, giveUpMs = 8000): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > giveUpMs) throw new Error(`still not in force after ${giveUpMs} ms`);
    await sleep(250);
  }
}

/** KEEP_ENDS by characters (code points), as masking.ts applies it; `last` may be 0. */
const keepEnds = (value: string, first: number, last: number) => {
  const chars = Array.from(value);
  return (
    chars.slice(0, first).join('') +
    '*'.repeat(chars.length - first - last) +
    chars.slice(chars.length - last).join('')
  );
};

const surnameOnly = (value: string) => {
  const chars = Array.from(value);
  return chars[0]! + '*'.repeat(chars.length - 1);
};

describe('masked items', () => {
  it('KEEP_ENDS: statistics sees the first 6 and last 4 characters of UtilityAccount.holderIdNumber', async () => {
    const id = ACCOUNT.holder_id_number!;
    expect(keepEnds(id, 6, 4)).toBe(`${id.slice(0, 6)}********${id.slice(-4)}`);
    const response = await platform.query(
      `query ($account: String!) { utilityAccount(accountNumber: $account) { accountNumber holderIdNumber } }`,
      { account: ACCOUNT.account_number },
      await platform.as('statistics', 'statistics'),
    );
    expectNoErrors(response);
    expect(response.data).toEqual({
      utilityAccount: { accountNumber: ACCOUNT.account_number, holderIdNumber: keepEnds(id, 6, 4) },
    });
    expect(JSON.stringify(response)).not.toContain(id);
  });

  it('KEEP_ENDS holds on every row of the list, checked against the database', async () => {
    const rows = await rowsOf<{ account_number: string; holder_id_number: string | null }>(
      'city_water',
      'utility_accounts',
      ['account_number', 'holder_id_number'],
    );
    const raw = new Map(rows.map((r) => [r.account_number, r.holder_id_number]));
    const response = await platform.query<{
      utilityAccounts: { nodes: { accountNumber: string; holderIdNumber: string | null }[] };
    }>(
      `{ utilityAccounts(first: 100) { nodes { accountNumber holderIdNumber } } }`,
      {},
      await platform.as('statistics', 'statistics'),
    );
    expectNoErrors(response);
    const nodes = response.data!.utilityAccounts.nodes;
    expect(nodes).toHaveLength(100);
    const persons = nodes.filter((n) => raw.get(n.accountNumber));
    expect(persons.length).toBeGreaterThan(10);
    for (const node of nodes) {
      const value = raw.get(node.accountNumber);
      expect(node.holderIdNumber).toBe(value ? keepEnds(value, 6, 4) : null);
      if (value) expect(node.holderIdNumber).not.toBe(value);
    }
  });

  it('KEEP_ENDS with last 0: civil_affairs sees the first 6 characters of every address, the holder ID number whole', async () => {
    const rows = await rowsOf<{
      account_number: string;
      holder_id_number: string | null;
      address: string;
    }>('city_water', 'utility_accounts', ['account_number', 'holder_id_number', 'address']);
    const raw = new Map(rows.map((r) => [r.account_number, r]));
    const response = await platform.query<{
      utilityAccounts: {
        nodes: { accountNumber: string; holderIdNumber: string | null; address: string }[];
      };
    }>(
      `{ utilityAccounts(first: 100) { nodes { accountNumber holderIdNumber address } } }`,
      {},
      await platform.as('civil_affairs', 'social-assistance'),
    );
    expectNoErrors(response);
    const nodes = response.data!.utilityAccounts.nodes;
    expect(nodes).toHaveLength(100);
    expect(nodes.filter((n) => n.holderIdNumber !== null).length).toBeGreaterThan(10);
    for (const node of nodes) {
      const row = raw.get(node.accountNumber)!;
      expect(Array.from(row.address).length).toBeGreaterThan(6);
      expect(node.holderIdNumber).toBe(row.holder_id_number);
      expect(node.address).toBe(keepEnds(row.address, 6, 0));
      expect(node.address).toMatch(/^[^*]{6}\*+$/u);
      expect(Array.from(node.address)).toHaveLength(Array.from(row.address).length);
    }
  });

  it('SURNAME_ONLY: hangzhou_civil_affairs sees only the surname of each person', async () => {
    const rows = await rowsOf<{ id_number: string; name: string }>('public_security', 'persons', [
      'id_number',
      'name',
    ]);
    const names = new Map(rows.map((r) => [r.id_number, r.name]));
    const response = await platform.query<{
      persons: { nodes: { idNumber: string; name: string }[] };
    }>(
      `{ persons(first: 50) { nodes { idNumber name } } }`,
      {},
      await platform.as('hangzhou_civil_affairs', 'social-assistance'),
    );
    expectNoErrors(response);
    const nodes = response.data!.persons.nodes;
    expect(nodes).toHaveLength(50);
    for (const node of nodes) {
      const name = names.get(node.idNumber)!;
      expect(Array.from(name).length).toBeGreaterThan(1);
      expect(node.name).toBe(surnameOnly(name));
      expect(node.name).not.toBe(name);
    }
  });

  it('REDACT and KEEP_ENDS on a grant of our own, and unmasked items stay whole', async () => {
    await addGrant({
      id: 'G-GC-MASKS',
      consumerDepartment: 'audit_masks',
      datasetCode: 'PS-POP-001',
      items: ['name', 'address', 'birthDate', 'ethnicity'],
      masks: { address: { rule: 'REDACT' }, name: { rule: 'KEEP_ENDS', first: 1, last: 0 } },
    });
    const response = await platform.query(
      `query ($id: String!) { person(idNumber: $id) { idNumber name address birthDate ethnicity } }`,
      { id: PERSON.id_number },
      await platform.as('audit_masks', 'audit'),
    );
    expectNoErrors(response);
    expect(response.data).toEqual({
      person: {
        idNumber: PERSON.id_number,
        name: surnameOnly(PERSON.name),
        address: '***',
        birthDate: PERSON.birth_date,
        ethnicity: PERSON.ethnicity,
      },
    });
  });
});

describe('row filter (hangzhou_civil_affairs: regionCode starts with 3301)', () => {
  interface PersonRow {
    id_number: string;
    region_code: string;
  }
  let inside: PersonRow[];
  let outside: PersonRow[];

  beforeAll(async () => {
    const rows = await rowsOf<PersonRow>('public_security', 'persons', [
      'id_number',
      'region_code',
    ]);
    inside = rows.filter((r) => r.region_code.startsWith('3301'));
    outside = rows.filter((r) => !r.region_code.startsWith('3301'));
  });

  it('the list holds exactly the rows of 3301, filtered in SQL', async () => {
    expect(inside.length).toBeGreaterThan(100);
    expect(outside.length).toBeGreaterThan(0);
    const headers = await platform.as('hangzhou_civil_affairs', 'social-assistance');
    const seen: { idNumber: string; regionCode: string }[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const response: GraphQLResponse<{
        persons: {
          nodes: { idNumber: string; regionCode: string }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      }> = await platform.query(
        `query ($after: String) {
          persons(first: 100, after: $after) {
            nodes { idNumber regionCode }
            pageInfo { hasNextPage endCursor }
          }
        }`,
        { after },
        headers,
      );
      expectNoErrors(response);
      const page = response.data!.persons;
      pages += 1;
      // A filter applied after SQL would leave short pages that still say more follow.
      if (page.pageInfo.hasNextPage) expect(page.nodes).toHaveLength(100);
      seen.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      expect(pages).toBeLessThan(10);
    }
    for (const node of seen) expect(node.regionCode).toMatch(/^3301/);
    expect(seen).toHaveLength(inside.length);
    expect(new Set(seen.map((n) => n.idNumber))).toEqual(new Set(inside.map((r) => r.id_number)));
  });

  it('a lookup of a person outside 3301 is null, one inside answers (name masked)', async () => {
    const headers = await platform.as('hangzhou_civil_affairs', 'social-assistance');
    const out = await platform.query(PERSON_QUERY, { id: outside[0]!.id_number }, headers);
    expectNoErrors(out);
    expect(out.data).toEqual({ person: null });
    const within = await platform.query<{
      person: { idNumber: string; name: string; regionCode: string };
    }>(PERSON_QUERY, { id: inside[0]!.id_number }, headers);
    expectNoErrors(within);
    expect(within.data!.person).toMatchObject({
      idNumber: inside[0]!.id_number,
      regionCode: inside[0]!.region_code,
    });
    expect(within.data!.person.name).toMatch(/^.\*+$/u);
  });

  it('a client filter cannot widen the row filter', async () => {
    const headers = await platform.as('hangzhou_civil_affairs', 'social-assistance');
    const response = await platform.query<{ persons: { nodes: unknown[] } }>(
      `query ($region: String!, $ids: [String!]) {
        persons(first: 100, filter: { regionCode: { eq: $region }, idNumber: { in: $ids } }) {
          nodes { idNumber }
        }
      }`,
      { region: outside[0]!.region_code, ids: outside.slice(0, 50).map((r) => r.id_number) },
      headers,
    );
    expectNoErrors(response);
    expect(response.data!.persons.nodes).toEqual([]);
  });
});

describe('validity window', () => {
  it('a grant whose validUntil has passed answers GRANT_EXPIRED', async () => {
    const grant = await addGrant({
      id: 'G-GC-EXPIRED',
      consumerDepartment: 'audit_expired',
      datasetCode: 'PS-POP-001',
      items: ['name', 'regionCode'],
      validFrom: new Date(Date.now() - 48 * HOUR).toISOString(),
      validUntil: new Date(Date.now() - HOUR).toISOString(),
    });
    const response = await platform.query(
      PERSON_QUERY,
      { id: PERSON.id_number },
      await platform.as('audit_expired', 'audit'),
    );
    expect(response.data).toEqual({ person: null });
    const error = expectDenied(response, ['person'], {
      dataset: 'PS-POP-001',
      item: null,
      reason: 'GRANT_EXPIRED',
    });
    expect(error.message).toContain(grant.id);
  });

  it('a grant whose validFrom is still ahead answers GRANT_NOT_YET_VALID', async () => {
    const grant = await addGrant({
      id: 'G-GC-NOT-YET',
      consumerDepartment: 'audit_not_yet',
      datasetCode: 'PS-POP-001',
      items: ['name', 'regionCode'],
      validFrom: new Date(Date.now() + 24 * HOUR).toISOString(),
    });
    const response = await platform.query(
      PERSON_QUERY,
      { id: PERSON.id_number },
      await platform.as('audit_not_yet', 'audit'),
    );
    expect(response.data).toEqual({ person: null });
    const error = expectDenied(response, ['person'], {
      dataset: 'PS-POP-001',
      item: null,
      reason: 'GRANT_NOT_YET_VALID',
    });
    expect(error.message).toContain(grant.id);
  });
});

describe('purposes', () => {
  beforeAll(async () => {
    await addGrant({
      id: 'G-GC-PURPOSE',
      consumerDepartment: 'audit_purpose',
      datasetCode: 'PS-POP-001',
      items: ['name', 'regionCode'],
      purposes: ['benefit-audit'],
    });
  });

  it('an allowed purpose reads', async () => {
    const response = await platform.query(
      PERSON_QUERY,
      { id: PERSON.id_number },
      await platform.as('audit_purpose', 'benefit-audit'),
    );
    expectNoErrors(response);
    expect(response.data).toEqual({
      person: { idNumber: PERSON.id_number, name: PERSON.name, regionCode: PERSON.region_code },
    });
  });

  it.each([
    ['a purpose the grant does not list', 'marketing'],
    ['no purpose at all', null],
  ])('%s answers PURPOSE_NOT_ALLOWED', async (_label, purpose) => {
    const response = await platform.query(
      PERSON_QUERY,
      { id: PERSON.id_number },
      await platform.as('audit_purpose', purpose),
    );
    expect(response.data).toEqual({ person: null });
    expectDenied(response, ['person'], {
      dataset: 'PS-POP-001',
      item: null,
      reason: 'PURPOSE_NOT_ALLOWED',
    });
  });
});

describe('daily quota', () => {
  it('a grant with dailyQuota 2 answers the first two requests and refuses the third with QUOTA_EXCEEDED', async () => {
    await addGrant({
      id: 'G-GC-QUOTA',
      consumerDepartment: 'audit_quota',
      datasetCode: 'PS-POP-001',
      items: ['name', 'regionCode'],
      dailyQuota: 2,
    });
    const headers = await platform.as('audit_quota', 'audit');
    for (let call = 1; call <= 2; call += 1) {
      const ok = await platform.query(PERSON_QUERY, { id: PERSON.id_number }, headers);
      expectNoErrors(ok);
      expect(ok.data).toMatchObject({ person: { name: PERSON.name } });
    }
    for (let call = 3; call <= 4; call += 1) {
      const refused = await platform.query(PERSON_QUERY, { id: PERSON.id_number }, headers);
      expect(refused.data).toEqual({ person: null });
      expectDenied(refused, ['person'], {
        dataset: 'PS-POP-001',
        item: null,
        reason: 'QUOTA_EXCEEDED',
      });
    }
  });
});

describe('VERIFY-only grant (tax on CW-ACC-001, purpose tax-verification)', () => {
  const VERIFY = `query ($account: String!, $match: UtilityAccountVerifyInput!) {
    verifyUtilityAccount(accountNumber: $account, match: $match)
  }`;
  const verify = async (
    account: string,
    match: Record<string, unknown>,
    purpose = 'tax-verification',
  ) =>
    platform.query<{ verifyUtilityAccount: boolean | null }>(
      VERIFY,
      { account, match },
      await platform.as('tax', purpose),
    );

  it.each([
    ['the right address', { address: ACCOUNT.address }, true],
    ['a wrong address', { address: `${ACCOUNT.address}1` }, false],
    ['the right holder ID number', { holderIdNumber: ACCOUNT.holder_id_number }, true],
    ['a wrong holder ID number', { holderIdNumber: '110101199001011237' }, false],
    ['right address and status', { address: ACCOUNT.address, status: ACCOUNT.status }, true],
    ['right address, wrong status', { address: ACCOUNT.address, status: 'NO_SUCH_STATUS' }, false],
  ])('verifying %s answers %s', async (_label, match, expected) => {
    const response = await verify(ACCOUNT.account_number, match);
    expectNoErrors(response);
    expect(response.data).toEqual({ verifyUtilityAccount: expected });
  });

  it('an account that does not exist verifies as false', async () => {
    const response = await verify('0000000000000000', { address: ACCOUNT.address });
    expectNoErrors(response);
    expect(response.data).toEqual({ verifyUtilityAccount: false });
  });

  it('an item outside the grant may not be verified', async () => {
    const response = await verify(ACCOUNT.account_number, { arrears: ACCOUNT.arrears });
    expect(response.data).toEqual({ verifyUtilityAccount: null });
    expectDenied(response, ['verifyUtilityAccount'], {
      dataset: 'CW-ACC-001',
      item: 'arrears',
      reason: 'NO_GRANT',
    });
  });

  it('verifying under another purpose answers PURPOSE_NOT_ALLOWED', async () => {
    const response = await verify(ACCOUNT.account_number, { address: ACCOUNT.address }, 'audit');
    expect(response.data).toEqual({ verifyUtilityAccount: null });
    expectDenied(response, ['verifyUtilityAccount'], {
      dataset: 'CW-ACC-001',
      item: null,
      reason: 'PURPOSE_NOT_ALLOWED',
    });
  });

  it('the lookup and the list answer MODE_NOT_ALLOWED', async () => {
    const response = await platform.query(
      `query ($account: String!) {
        utilityAccount(accountNumber: $account) { accountNumber address }
        utilityAccounts(first: 5) { nodes { accountNumber } }
      }`,
      { account: ACCOUNT.account_number },
      await platform.as('tax', 'tax-verification'),
    );
    expect(response.data).toEqual({ utilityAccount: null, utilityAccounts: null });
    expectDenied(response, ['utilityAccount'], {
      dataset: 'CW-ACC-001',
      item: null,
      reason: 'MODE_NOT_ALLOWED',
    });
    expectDenied(response, ['utilityAccounts'], {
      dataset: 'CW-ACC-001',
      item: null,
      reason: 'MODE_NOT_ALLOWED',
    });
    expect(JSON.stringify(response)).not.toContain(ACCOUNT.address);
  });
});

describe('changes while the platform runs (no forced reload)', () => {
  it('a grant inserted while running is in force within 5 s', async () => {
    const headers = await platform.as('audit_late', 'audit');
    const before = await platform.query(PERSON_QUERY, { id: PERSON.id_number }, headers);
    expect(before.data).toEqual({ person: null });
    await insertGrant(
      platform.platformDb,
      newGrant(
        {
          id: 'G-GC-LATE',
          consumerDepartment: 'audit_late',
          datasetCode: 'PS-POP-001',
          items: ['name', 'regionCode'],
          purposes: ['audit'],
          modes: ['QUERY'],
          validFrom: '2020-01-01T00:00:00.000Z',
          validUntil: '2099-12-31T23:59:59.999Z',
        },
        'grantConditions.test',
      ),
    );
    const ms = await msUntil(async () => {
      const response = await platform.query<{ person: { name: string } | null }>(
        PERSON_QUERY,
        { id: PERSON.id_number },
        headers,
      );
      return response.data?.person?.name === PERSON.name;
    });
    expect(ms).toBeLessThan(5000);
  });

  it('a grant revoked while running is denied within 5 s', async () => {
    await addGrant({
      id: 'G-GC-REVOKE',
      consumerDepartment: 'audit_revoke',
      datasetCode: 'PS-POP-001',
      items: ['name', 'regionCode'],
    });
    const headers = await platform.as('audit_revoke', 'audit');
    const before = await platform.query(PERSON_QUERY, { id: PERSON.id_number }, headers);
    expectNoErrors(before);
    expect(before.data).toMatchObject({ person: { name: PERSON.name } });

    expect(await revokeGrant(platform.platformDb, 'G-GC-REVOKE', 'admin', 'test revocation')).toBe(
      true,
    );
    let last: GraphQLResponse | undefined;
    const ms = await msUntil(async () => {
      last = await platform.query(PERSON_QUERY, { id: PERSON.id_number }, headers);
      return (last.data as { person: unknown } | null | undefined)?.person === null;
    });
    expect(ms).toBeLessThan(5000);
    expect(last!.data).toEqual({ person: null });
    const error = expectDenied(last!, ['person'], {
      dataset: 'PS-POP-001',
      item: null,
      reason: 'NO_GRANT',
    });
    expect(error.message).toContain('G-GC-REVOKE');
    expect(JSON.stringify(last)).not.toContain(PERSON.name);
  });

  it('a sharing-type change (MS-ENT-001 to NOT_SHARED) is in force within 5 s', async () => {
    const query = `query ($code: String!) { enterprise(creditCode: $code) { creditCode name } }`;
    const variables = { code: ENTERPRISE.credit_code };
    const consumer = await platform.as('audit_policy');
    const provider = await platform.as('market_supervision');
    const before = await platform.query(query, variables, consumer);
    expectNoErrors(before);
    expect(before.data).toEqual({
      enterprise: { creditCode: ENTERPRISE.credit_code, name: ENTERPRISE.name },
    });
    try {
      expect(
        await updateDatasetPolicy(
          platform.platformDb,
          'MS-ENT-001',
          { sharingType: 'NOT_SHARED' },
          'grantConditions.test',
        ),
      ).toBe(true);
      let last: GraphQLResponse | undefined;
      const ms = await msUntil(async () => {
        last = await platform.query(query, variables, consumer);
        return (last.data as { enterprise: unknown } | null | undefined)?.enterprise === null;
      });
      expect(ms).toBeLessThan(5000);
      expectDenied(last!, ['enterprise'], {
        dataset: 'MS-ENT-001',
        item: null,
        reason: 'NOT_SHARED',
      });
      const own = await platform.query(query, variables, provider);
      expectNoErrors(own);
      expect(own.data).toEqual({
        enterprise: { creditCode: ENTERPRISE.credit_code, name: ENTERPRISE.name },
      });
    } finally {
      await updateDatasetPolicy(
        platform.platformDb,
        'MS-ENT-001',
        { sharingType: 'UNCONDITIONAL', modes: ['QUERY', 'VERIFY', 'EXPORT'] },
        'grantConditions.test',
      );
      await platform.policies.reload();
    }
    const after = await platform.query(query, variables, consumer);
    expectNoErrors(after);
  });
});
