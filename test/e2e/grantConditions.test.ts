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
import { keepEnds } from '../support/accessChecks.ts';
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

/** A lookup by key (any admitted caller may supply the key) of items the test grants list. */
const PERSON_QUERY = `query ($id: String!) { person(idNumber: $id) { name regionCode } }`;

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

/** SURNAME_ONLY, as masking.ts applies it: KEEP_ENDS 1/0. */
const surnameOnly = (value: string) => keepEnds(value, 1, 0);

/**
 * A department reading utility accounts with the holder's ID number masked
 * KEEP_ENDS 6/4, which may read PS-POP-001's idNumber, birthDate and gender
 * whole: the copy is then decided by its own grant's mask alone.
 */
async function grantKeepEndsOnHolderIdNumber(): Promise<void> {
  await addGrant({
    id: 'G-GC-KEEP-ENDS-SOURCE',
    consumerDepartment: 'audit_keep_ends',
    datasetCode: 'PS-POP-001',
    items: ['idNumber', 'birthDate', 'gender'],
  });
  await addGrant({
    id: 'G-GC-KEEP-ENDS',
    consumerDepartment: 'audit_keep_ends',
    datasetCode: 'CW-ACC-001',
    // The address unmasked: the account number, which embeds its region, is shown whole.
    items: ['accountNumber', 'holderIdNumber', 'status', 'address'],
    masks: { holderIdNumber: { rule: 'KEEP_ENDS', first: 6, last: 4 } },
  });
}

describe('masked items', () => {
  beforeAll(grantKeepEndsOnHolderIdNumber);

  it('KEEP_ENDS: a grant masking UtilityAccount.holderIdNumber 6/4 shows its first 6 and last 4 characters', async () => {
    const id = ACCOUNT.holder_id_number!;
    expect(keepEnds(id, 6, 4)).toBe(`${id.slice(0, 6)}****${id.slice(-4)}`);
    const response = await platform.query(
      `query ($account: String!) { utilityAccount(accountNumber: $account) { accountNumber holderIdNumber } }`,
      { account: ACCOUNT.account_number },
      await platform.as('audit_keep_ends', 'audit'),
    );
    expectNoErrors(response);
    expect(response.data).toEqual({
      utilityAccount: { accountNumber: ACCOUNT.account_number, holderIdNumber: keepEnds(id, 6, 4) },
    });
    expect(JSON.stringify(response)).not.toContain(id);
  });

  it('statistics (G-DEMO-STATS-WATER masks holderIdNumber 6/4, no grant on PS-POP-001) gets no copy of the ID number at all, masked or not', async () => {
    const id = ACCOUNT.holder_id_number!;
    const response = await platform.query<{
      utilityAccount: Record<string, unknown> | null;
      utilityAccounts: { nodes: Record<string, unknown>[] } | null;
    }>(
      `query ($account: String!) {
        utilityAccount(accountNumber: $account) { holderIdNumber monthlyUsageM3 status }
        utilityAccounts(first: 20) { nodes { holderIdNumber monthlyUsageM3 status } }
      }`,
      { account: ACCOUNT.account_number },
      await platform.as('statistics', 'statistics'),
    );
    expect(response.status).toBe(200);
    expect(response.data!.utilityAccount).toEqual({
      holderIdNumber: null,
      monthlyUsageM3: ACCOUNT.monthly_usage_m3,
      status: ACCOUNT.status,
    });
    const nodes = response.data!.utilityAccounts!.nodes;
    expect(nodes).toHaveLength(20);
    for (const node of nodes) {
      expect(node.holderIdNumber).toBeNull();
      expect(node.status).toEqual(expect.any(String));
    }
    // holderIdNumber copies PS-POP-001.idNumber, which statistics may not read.
    const denied = expectDenied(response, ['utilityAccount', 'holderIdNumber'], {
      dataset: 'CW-ACC-001',
      item: 'holderIdNumber',
      reason: 'NO_GRANT',
    });
    expect(denied.message).toContain('PS-POP-001');
    for (const error of response.errors!) {
      expect(error.extensions).toMatchObject({ item: 'holderIdNumber', reason: 'NO_GRANT' });
    }
    expect(JSON.stringify(response)).not.toContain(id.slice(6, 14));
    expect(JSON.stringify(response)).not.toMatch(/\d{6}\*+\d{4}/);
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
      await platform.as('audit_keep_ends', 'audit'),
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

  it('KEEP_ENDS with last 0: civil_affairs sees the first 6 characters of every address, of the holder ID number (concealed as its source is), and the last 4 of the account number (which embeds the address region)', async () => {
    const rows = await rowsOf<{
      account_number: string;
      holder_id_number: string | null;
      address: string;
    }>('city_water', 'utility_accounts', ['account_number', 'holder_id_number', 'address']);
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
      // The district the address mask hides is not read from the account number either.
      expect(node.accountNumber).toMatch(/^\*{4}\d{4}$/);
      // So the row is found by what the answer shows: some account ending so, masked so.
      const row = rows.find(
        (r) =>
          keepEnds(r.account_number, 0, 4) === node.accountNumber &&
          keepEnds(r.address, 6, 0) === node.address &&
          // civil_affairs reads PS-POP-001.birthDate only to the year: every copy of the
          // ID number that embeds it shows the region code alone.
          node.holderIdNumber ===
            (r.holder_id_number === null ? null : keepEnds(r.holder_id_number, 6, 0)),
      );
      expect(row, JSON.stringify(node)).toBeDefined();
      expect(Array.from(row!.address).length).toBeGreaterThan(6);
      // Whatever the address's length, the same four stars: the length is hidden too.
      expect(node.address).toMatch(/^[^*]{6}\*{4}$/u);
    }
  });

  it('SURNAME_ONLY: hangzhou_civil_affairs sees only the surname of each person', async () => {
    // G-DEMO-HZ-POP does not list idNumber: each person is looked up by key (the
    // caller supplies it), so every answer can be checked against the database.
    const rows = (
      await rowsOf<{ id_number: string; name: string; region_code: string }>(
        'public_security',
        'persons',
        ['id_number', 'name', 'region_code'],
      )
    )
      .filter((r) => r.region_code.startsWith('3301'))
      .slice(0, 50);
    expect(rows).toHaveLength(50);
    const headers = await platform.as('hangzhou_civil_affairs', 'social-assistance');
    // In requests of 10 aliased lookups, well within the gateway's operation limits.
    for (let start = 0; start < rows.length; start += 10) {
      const batch = rows.slice(start, start + 10);
      const response = await platform.query<Record<string, { name: string } | null>>(
        `{ ${batch.map((r, i) => `p${i}: person(idNumber: ${JSON.stringify(r.id_number)}) { name }`).join(' ')} }`,
        {},
        headers,
      );
      expectNoErrors(response);
      batch.forEach((row, i) => {
        const answer = response.data![`p${i}`];
        expect(Array.from(row.name).length).toBeGreaterThan(1);
        expect(answer).toEqual({ name: surnameOnly(row.name) });
        expect(answer!.name).not.toBe(row.name);
      });
    }
  });

  it('REDACT and KEEP_ENDS on a grant of our own, and unmasked items stay whole', async () => {
    await addGrant({
      id: 'G-GC-MASKS',
      consumerDepartment: 'audit_masks',
      datasetCode: 'PS-POP-001',
      // idNumber is whole only beside the facts it embeds (birthDate, gender) unmasked.
      items: ['idNumber', 'name', 'address', 'birthDate', 'gender', 'ethnicity'],
      masks: { address: { rule: 'REDACT' }, name: { rule: 'KEEP_ENDS', first: 1, last: 0 } },
    });
    const response = await platform.query(
      `query ($id: String!) { person(idNumber: $id) { idNumber name address birthDate gender ethnicity } }`,
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
        gender: PERSON.gender,
        ethnicity: PERSON.ethnicity,
      },
    });
  });

  it('withholds an item whose mask it cannot carry (a number), with a MASKED denial', async () => {
    // Granting refuses a mask on a number; one can still be in force (granted
    // before that check, or written outside the API): inserted directly.
    await addGrant({
      id: 'G-GC-NUMBER-MASK',
      consumerDepartment: 'audit_number_mask',
      datasetCode: 'CW-ACC-001',
      // The address unmasked: the account number, which embeds its region, is shown whole.
      items: ['accountNumber', 'status', 'arrears', 'address'],
      masks: { arrears: { rule: 'REDACT' } },
    });
    const response = await platform.query<{ utilityAccount: Record<string, unknown> }>(
      `query ($account: String!) { utilityAccount(accountNumber: $account) { accountNumber status arrears } }`,
      { account: ACCOUNT.account_number },
      await platform.as('audit_number_mask', 'audit'),
    );
    expect(response.data?.utilityAccount).toEqual({
      accountNumber: ACCOUNT.account_number,
      status: ACCOUNT.status,
      arrears: null,
    });
    const denial = expectDenied(response, ['utilityAccount', 'arrears'], {
      dataset: 'CW-ACC-001',
      item: 'arrears',
      reason: 'MASKED',
    });
    expect(denial.message).toMatch(/as a FLOAT it cannot be answered masked/);
    expect(response.errors).toHaveLength(1);
  });
});

describe('row filter (regionCode starts with 3301)', () => {
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
    // G-DEMO-HZ-POP's filter, on a grant that also lists the key (and the facts it
    // embeds), so the rows served can be told apart.
    await addGrant({
      id: 'G-GC-ROWS',
      consumerDepartment: 'audit_rows',
      datasetCode: 'PS-POP-001',
      items: ['idNumber', 'birthDate', 'gender', 'regionCode'],
      rowFilter: { regionCode: { startsWith: '3301' } },
    });
  });

  /** Every page of `persons { nodes { <fields> } }`, following the sealed cursors. */
  async function everyPerson<T>(headers: Record<string, string>, fields: string): Promise<T[]> {
    const seen: T[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const response: GraphQLResponse<{
        persons: {
          nodes: T[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      }> = await platform.query(
        `query ($after: String) {
          persons(first: 100, after: $after) {
            nodes { ${fields} }
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
    return seen;
  }

  it('the list holds exactly the rows of 3301, filtered in SQL', async () => {
    expect(inside.length).toBeGreaterThan(100);
    expect(outside.length).toBeGreaterThan(0);
    const seen = await everyPerson<{ idNumber: string; regionCode: string }>(
      await platform.as('audit_rows', 'audit'),
      'idNumber regionCode',
    );
    for (const node of seen) expect(node.regionCode).toMatch(/^3301/);
    expect(seen).toHaveLength(inside.length);
    expect(new Set(seen.map((n) => n.idNumber))).toEqual(new Set(inside.map((r) => r.id_number)));
  });

  it('hangzhou_civil_affairs (G-DEMO-HZ-POP) pages through as many rows of 3301, region by region', async () => {
    const seen = await everyPerson<{ regionCode: string }>(
      await platform.as('hangzhou_civil_affairs', 'social-assistance'),
      'regionCode',
    );
    const count = (codes: string[]) =>
      Object.fromEntries(
        [...new Set(codes)].sort().map((c) => [c, codes.filter((x) => x === c).length]),
      );
    expect(count(seen.map((n) => n.regionCode))).toEqual(count(inside.map((r) => r.region_code)));
  });

  it('a lookup of a person outside 3301 is null, one inside answers (name masked, idNumber not granted)', async () => {
    const headers = await platform.as('hangzhou_civil_affairs', 'social-assistance');
    const out = await platform.query(PERSON_QUERY, { id: outside[0]!.id_number }, headers);
    expectNoErrors(out);
    expect(out.data).toEqual({ person: null });
    const within = await platform.query<{
      person: { idNumber: string | null; name: string; regionCode: string };
    }>(
      `query ($id: String!) { person(idNumber: $id) { idNumber name regionCode } }`,
      { id: inside[0]!.id_number },
      headers,
    );
    expect(within.data!.person).toMatchObject({
      idNumber: null,
      regionCode: inside[0]!.region_code,
    });
    expect(within.data!.person.name).toMatch(/^.\*+$/u);
    expect(within.errors).toHaveLength(1);
    expectDenied(within, ['person', 'idNumber'], {
      dataset: 'PS-POP-001',
      item: 'idNumber',
      reason: 'NO_GRANT',
    });
    const again = await platform.query(
      `query ($id: String!) { person(idNumber: $id) { idNumber } }`,
      { id: outside[0]!.id_number },
      await platform.as('audit_rows', 'audit'),
    );
    expectNoErrors(again);
    expect(again.data).toEqual({ person: null });
  });

  it('a client filter cannot widen the row filter', async () => {
    const region = outside[0]!.region_code;
    const hangzhou = await platform.query<{ persons: { nodes: unknown[] } }>(
      `query ($region: String!) {
        persons(first: 100, filter: { regionCode: { eq: $region } }) { nodes { regionCode } }
      }`,
      { region },
      await platform.as('hangzhou_civil_affairs', 'social-assistance'),
    );
    expectNoErrors(hangzhou);
    expect(hangzhou.data!.persons.nodes).toEqual([]);
    // Nor can it filter on the key its grant does not list (a filter reveals values).
    const byKey = await platform.query(
      `query ($ids: [String!]) {
        persons(first: 100, filter: { idNumber: { in: $ids } }) { nodes { regionCode } }
      }`,
      { ids: [...outside.slice(0, 5), ...inside.slice(0, 5)].map((r) => r.id_number) },
      await platform.as('hangzhou_civil_affairs', 'social-assistance'),
    );
    expect(byKey.data).toEqual({ persons: null });
    expectDenied(byKey, ['persons'], {
      dataset: 'PS-POP-001',
      item: 'idNumber',
      reason: 'NO_GRANT',
    });
    const rows = await platform.query<{ persons: { nodes: unknown[] } }>(
      `query ($region: String!, $ids: [String!]) {
        persons(first: 100, filter: { regionCode: { eq: $region }, idNumber: { in: $ids } }) {
          nodes { idNumber }
        }
      }`,
      { region, ids: outside.slice(0, 50).map((r) => r.id_number) },
      await platform.as('audit_rows', 'audit'),
    );
    expectNoErrors(rows);
    expect(rows.data!.persons.nodes).toEqual([]);
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
      purposes: ['benefit-audit', '低保核查'],
    });
  });

  it('a purpose in Chinese, sent as UTF-8 bytes (what HTTP carries), is read as written', async () => {
    const utf8 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
    const headers = { ...(await platform.as('audit_purpose')), 'x-purpose': utf8('低保核查') };
    const allowed = await platform.query(PERSON_QUERY, { id: PERSON.id_number }, headers);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data).toEqual({ person: expect.objectContaining({ name: PERSON.name }) });
    const other = await platform.query(
      PERSON_QUERY,
      { id: PERSON.id_number },
      { ...headers, 'x-purpose': utf8('营销') },
    );
    expectDenied(other, ['person'], {
      dataset: 'PS-POP-001',
      item: null,
      reason: 'PURPOSE_NOT_ALLOWED',
    });
  });

  it('an allowed purpose reads the granted items; the key, not granted, is denied like any item', async () => {
    const response = await platform.query(
      `query ($id: String!) { person(idNumber: $id) { idNumber name regionCode } }`,
      { id: PERSON.id_number },
      await platform.as('audit_purpose', 'benefit-audit'),
    );
    expect(response.status).toBe(200);
    expect(response.data).toEqual({
      person: { idNumber: null, name: PERSON.name, regionCode: PERSON.region_code },
    });
    expect(response.errors).toHaveLength(1);
    const denied = expectDenied(response, ['person', 'idNumber'], {
      dataset: 'PS-POP-001',
      item: 'idNumber',
      reason: 'NO_GRANT',
    });
    expect(denied.message).toContain('G-GC-PURPOSE');
    expect(JSON.stringify(response)).not.toContain(PERSON.id_number);
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
  it('a grant with dailyQuota 2 gives two records in total: one request, then one of two aliases, then none', async () => {
    await addGrant({
      id: 'G-GC-QUOTA',
      consumerDepartment: 'audit_quota',
      datasetCode: 'PS-POP-001',
      items: ['name', 'regionCode'],
      dailyQuota: 2,
    });
    const headers = await platform.as('audit_quota', 'audit');
    const ok = await platform.query(PERSON_QUERY, { id: PERSON.id_number }, headers);
    expectNoErrors(ok);
    expect(ok.data).toMatchObject({ person: { name: PERSON.name } });

    // Two records asked in one request: the quota has one left.
    const other = personAt(DEMO_PERSON_INDEX + 1);
    const pair = await platform.query<Record<'a' | 'b', { name: string } | null>>(
      `query ($a: String!, $b: String!) {
        a: person(idNumber: $a) { name }
        b: person(idNumber: $b) { name }
      }`,
      { a: PERSON.id_number, b: other.id_number },
      headers,
    );
    expect(pair.status).toBe(200);
    const answered = (['a', 'b'] as const).filter((alias) => pair.data?.[alias] !== null);
    expect(answered).toHaveLength(1);
    const refusedAlias = answered[0] === 'a' ? 'b' : 'a';
    expect(pair.data![answered[0]!]).toEqual({
      name: answered[0] === 'a' ? PERSON.name : other.name,
    });
    expect(pair.errors).toHaveLength(1);
    expectDenied(pair, [refusedAlias], {
      dataset: 'PS-POP-001',
      item: null,
      reason: 'QUOTA_EXCEEDED',
    });

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
    ['right address and status', { address: ACCOUNT.address, status: ACCOUNT.status }, true],
    ['right address, wrong status', { address: ACCOUNT.address, status: 'NO_SUCH_STATUS' }, false],
  ])('verifying %s answers %s', async (_label, match, expected) => {
    const response = await verify(ACCOUNT.account_number, match);
    expectNoErrors(response);
    expect(response.data).toEqual({ verifyUtilityAccount: expected });
  });

  it.each([
    ['the right', ACCOUNT.holder_id_number],
    ['a wrong', '110101199001011237'],
  ])(
    '%s holder ID number is refused alike: it copies PS-POP-001.idNumber, which tax may not read',
    async (_label, holderIdNumber) => {
      const response = await verify(ACCOUNT.account_number, { holderIdNumber });
      expect(response.data).toEqual({ verifyUtilityAccount: null });
      const denied = expectDenied(response, ['verifyUtilityAccount'], {
        dataset: 'CW-ACC-001',
        item: 'holderIdNumber',
        reason: 'NO_GRANT',
      });
      expect(denied.message).toContain('PS-POP-001');
      expect(denied.message).not.toContain(String(holderIdNumber));
    },
  );

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
