import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.ts';
import { ok, refused } from '../support/responses.ts';

/**
 * Acceptance: each role is refused what it may not do, each a test, and a
 * refused operation changes nothing. Every request goes through the gateway
 * over HTTP, as a client's would.
 */

type Role = 'DEPT_IT' | 'REVIEWER' | 'APP_DEVELOPER' | 'ADMIN';
type Caller =
  | 'psIt'
  | 'cwIt'
  | 'nrIt'
  | 'caIt'
  | 'reviewer'
  | 'admin'
  | 'caDev'
  | 'taxDev'
  | 'cwDev'
  | 'anonymous';

let platform: TestPlatform;
let as: Record<Caller, Record<string, string>>;

beforeAll(async () => {
  platform = await startTestPlatform('sqlite');
  const bearer = async (department: string, role: Role, user: string) => ({
    authorization: `Bearer ${await platform.token({ department, roles: [role], user })}`,
  });
  as = {
    psIt: await bearer('public_security', 'DEPT_IT', 'li.it'),
    cwIt: await bearer('city_water', 'DEPT_IT', 'wang.it'),
    nrIt: await bearer('natural_resources', 'DEPT_IT', 'zhou.it'),
    caIt: await bearer('civil_affairs', 'DEPT_IT', 'wu.it'),
    reviewer: await bearer('data_office', 'REVIEWER', 'zhao.reviewer'),
    admin: await bearer('data_office', 'ADMIN', 'sun.admin'),
    caDev: await bearer('civil_affairs', 'APP_DEVELOPER', 'chen.dev'),
    taxDev: await bearer('tax', 'APP_DEVELOPER', 'qian.dev'),
    cwDev: await bearer('city_water', 'APP_DEVELOPER', 'ma.dev'),
    anonymous: {},
  };
});
afterAll(() => platform?.close());

const gql = <T = Record<string, unknown>>(
  caller: Caller,
  query: string,
  variables: Record<string, unknown> = {},
) => platform.query<T>(query, variables, as[caller]);

/** A small, valid catalogue entry of `department`; its titles are unique to its code. */
function entryDocument(code: string, department: string): string {
  const suffix = code.replace(/-/g, '').toLowerCase();
  return JSON.stringify({
    code,
    name: `Test dataset ${code}`,
    summary: `A dataset registered by the role tests (${code}).`,
    classification: 'DEPARTMENT',
    theme: 'testing',
    department,
    format: 'DATABASE',
    updateCycle: 'DAILY',
    publishedOn: '2026-11-21',
    sharing: {
      type: 'CONDITIONAL',
      conditions: 'For the tests only.',
      legalBasis: 'Test regulation, art. 1.',
      modes: ['QUERY'],
    },
    binding: { table: `t_${suffix}`, type: `Tst${suffix}`, key: ['recordNumber'] },
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
        name: 'remark',
        title: `备注 ${code}`,
        description: 'A remark.',
        type: 'STRING',
        column: 'remark',
        sensitivity: 'INTERNAL',
      },
    ],
  });
}

const SAVE = `mutation($doc: String!) { saveCatalogueDraft(document: $doc, changeReason: "Role test", triggerDate: "2026-11-20") { code version status } }`;
const SUBMIT = `mutation($code: String!, $v: Int!) { submitCatalogueEntry(code: $code, version: $v) { status } }`;
const PUBLISH = `mutation($code: String!, $v: Int!) { publishCatalogueEntry(code: $code, version: $v) { status } }`;
const REJECT_ENTRY = `mutation($code: String!, $v: Int!) { rejectCatalogueEntry(code: $code, version: $v, reason: "Not complete") { status } }`;
const ENTRY_VERSION = `query($code: String!, $v: Int) { catalogueEntry(code: $code, version: $v) { code version status department } }`;

async function saveDraft(caller: Caller, code: string, department: string): Promise<void> {
  // Submission checks the binding against the department's database: the table must exist.
  const table = `t_${code.replace(/-/g, '').toLowerCase()}`;
  const db = platform.databases.get(department);
  if (db && !(await db.schema.hasTable(table))) {
    await db.schema.createTable(table, (t) => {
      t.string('record_number', 64).primary();
      t.string('remark', 255);
    });
  }
  const saved = ok(
    await gql<{ saveCatalogueDraft: { status: string; version: number } }>(caller, SAVE, {
      doc: entryDocument(code, department),
    }),
  ).saveCatalogueDraft;
  expect(saved).toMatchObject({ status: 'DRAFT', version: 1 });
}

async function storedVersions(code: string) {
  return platform
    .platformDb('catalogue_entries')
    .where({ code })
    .orderBy('version')
    .select('version', 'status', 'submitted_by', 'reviewed_by', 'updated_at');
}

const APPLY = `mutation($input: ApplicationInput!) { applyForAccess(input: $input) { id status providerDepartment consumerDepartment } }`;

async function apply(caller: Caller, dataset: string, items: string[]): Promise<string> {
  const application = ok(
    await gql<{ applyForAccess: { id: string; status: string } }>(caller, APPLY, {
      input: {
        dataset,
        items,
        purpose: 'social-assistance',
        scenario: 'Means testing of allowance applicants.',
        legalBasis: 'Measures for Social Assistance, art. 11.',
        requestedFrom: '2026-12-01',
        requestedUntil: '2027-12-01',
        modes: ['QUERY'],
      },
    }),
  ).applyForAccess;
  expect(application.status).toBe('SUBMITTED');
  return application.id;
}

/** The stored decision fields of an application. */
async function storedApplication(id: string): Promise<Record<string, unknown> | undefined> {
  const row: Record<string, unknown> | undefined = await platform
    .platformDb('applications')
    .where({ id })
    .first('status', 'decided_by', 'decided_at', 'decision_reason', 'grant_id', 'updated_at');
  return row;
}

async function grantsSnapshot() {
  return {
    grants: await platform.platformDb('grants').orderBy('id'),
    changes: await platform.platformDb('grant_changes').orderBy('id'),
  };
}

const CONDITIONS = {
  items: ['name', 'regionCode'],
  purposes: ['social-assistance'],
  modes: ['QUERY'],
  validFrom: '2026-12-01',
  validUntil: '2027-12-01',
};

describe('catalogue registration: a department registers only its own entries', () => {
  it('refuses city_water DEPT_IT a draft of a public_security entry and stores no version', async () => {
    const response = await gql('cwIt', SAVE, {
      doc: entryDocument('PS-TST-101', 'public_security'),
    });
    const message = refused(response, 'FORBIDDEN');
    expect(message).toContain('public_security');
    expect(response.data).toBeNull();
    expect(await storedVersions('PS-TST-101')).toEqual([]);
    const versions = ok(
      await gql<{ catalogueEntryVersions: unknown[] }>(
        'reviewer',
        `query { catalogueEntryVersions(code: "PS-TST-101") { version } }`,
      ),
    ).catalogueEntryVersions;
    expect(versions).toEqual([]);
  });

  it("refuses city_water DEPT_IT a new version of public_security's published entry code", async () => {
    const before = await storedVersions('PS-POP-001');
    const response = await gql('cwIt', SAVE, { doc: entryDocument('PS-POP-001', 'city_water') });
    const [code] = response.errors!.map((e) => e.extensions?.code);
    expect(['FORBIDDEN', 'CONFLICT']).toContain(code);
    expect(response.errors![0]!.message).toContain('public_security');
    expect(await storedVersions('PS-POP-001')).toEqual(before);
  });

  it("refuses city_water DEPT_IT a draft under the code of public_security's unpublished draft", async () => {
    await saveDraft('psIt', 'PS-TST-104', 'public_security');
    const before = await platform
      .platformDb('catalogue_entries')
      .where({ code: 'PS-TST-104' })
      .select('version', 'department', 'status', 'document', 'created_by');
    const response = await gql('cwIt', SAVE, { doc: entryDocument('PS-TST-104', 'city_water') });
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual([
      expect.stringMatching(/^(FORBIDDEN|CONFLICT)$/),
    ]);
    expect(
      await platform
        .platformDb('catalogue_entries')
        .where({ code: 'PS-TST-104' })
        .select('version', 'department', 'status', 'document', 'created_by'),
    ).toEqual(before);
    expect(before).toMatchObject([
      { department: 'public_security', created_by: 'public_security/li.it' },
    ]);
  });

  it.each([
    ['APP_DEVELOPER', 'cwDev', 'CW-TST-111'],
    ['REVIEWER', 'reviewer', 'CW-TST-112'],
    ['ADMIN', 'admin', 'CW-TST-113'],
  ] as const)('refuses %s saving a draft (DEPT_IT only)', async (_role, caller, code) => {
    refused(await gql(caller, SAVE, { doc: entryDocument(code, 'city_water') }), 'FORBIDDEN');
    expect(await storedVersions(code)).toEqual([]);
  });

  it('refuses an anonymous draft as UNAUTHENTICATED', async () => {
    refused(
      await gql('anonymous', SAVE, { doc: entryDocument('CW-TST-120', 'city_water') }),
      'UNAUTHENTICATED',
    );
    expect(await storedVersions('CW-TST-120')).toEqual([]);
  });

  it("refuses city_water DEPT_IT submitting public_security's draft; the draft stays DRAFT", async () => {
    await saveDraft('psIt', 'PS-TST-102', 'public_security');
    const before = await storedVersions('PS-TST-102');
    const message = refused(await gql('cwIt', SUBMIT, { code: 'PS-TST-102', v: 1 }), 'FORBIDDEN');
    expect(message).toContain('public_security');
    expect(await storedVersions('PS-TST-102')).toEqual(before);
    expect(before).toMatchObject([{ status: 'DRAFT', submitted_by: null }]);
    // The department itself may.
    const submitted = ok(
      await gql<{ submitCatalogueEntry: { status: string } }>('psIt', SUBMIT, {
        code: 'PS-TST-102',
        v: 1,
      }),
    ).submitCatalogueEntry;
    expect(submitted.status).toBe('SUBMITTED');
  });
});

describe('catalogue review: only a REVIEWER publishes or rejects', () => {
  const CODE = 'PS-TST-103';
  beforeAll(async () => {
    await saveDraft('psIt', CODE, 'public_security');
    ok(await gql('psIt', SUBMIT, { code: CODE, v: 1 }));
  });

  it.each([
    ['DEPT_IT of the registering department (its own submission)', 'psIt'],
    ['DEPT_IT of another department', 'cwIt'],
    ['APP_DEVELOPER', 'caDev'],
    ['ADMIN', 'admin'],
  ] as const)('refuses %s publishing or rejecting', async (_who, caller) => {
    const before = await storedVersions(CODE);
    refused(await gql(caller, PUBLISH, { code: CODE, v: 1 }), 'FORBIDDEN');
    refused(await gql(caller, REJECT_ENTRY, { code: CODE, v: 1 }), 'FORBIDDEN');
    expect(await storedVersions(CODE)).toEqual(before);
    expect(before).toMatchObject([{ status: 'SUBMITTED', reviewed_by: null }]);
  });

  it('refuses anonymous publishing as UNAUTHENTICATED', async () => {
    const before = await storedVersions(CODE);
    refused(await gql('anonymous', PUBLISH, { code: CODE, v: 1 }), 'UNAUTHENTICATED');
    refused(await gql('anonymous', REJECT_ENTRY, { code: CODE, v: 1 }), 'UNAUTHENTICATED');
    expect(await storedVersions(CODE)).toEqual(before);
  });

  it('refuses DEPT_IT and APP_DEVELOPER retiring a published entry; it stays published', async () => {
    for (const caller of ['psIt', 'caDev'] as const) {
      refused(
        await gql(
          caller,
          `mutation { retireCatalogueEntry(code: "PS-POP-001", reason: "No longer kept") { status } }`,
        ),
        'FORBIDDEN',
      );
    }
    const entry = ok(
      await gql<{ catalogueEntry: { status: string } | null }>('anonymous', ENTRY_VERSION, {
        code: 'PS-POP-001',
      }),
    ).catalogueEntry;
    expect(entry?.status).toBe('PUBLISHED');
  });

  it('lets the REVIEWER reject it (the refusals above were about the role)', async () => {
    const rejected = ok(
      await gql<{ rejectCatalogueEntry: { status: string } }>('reviewer', REJECT_ENTRY, {
        code: CODE,
        v: 1,
      }),
    ).rejectCatalogueEntry;
    expect(rejected.status).toBe('REJECTED');
  });
});

describe('sharing applications: only the provider DEPT_IT answers', () => {
  const APPROVE = `mutation($id: ID!, $c: GrantConditionsInput!) { approveSharingApplication(id: $id, conditions: $c) { status } }`;
  const REJECT = `mutation($id: ID!) { rejectSharingApplication(id: $id, reason: "Not needed") { status } }`;
  const WITHDRAW = `mutation($id: ID!) { withdrawSharingApplication(id: $id) { status } }`;
  let id: string;
  beforeAll(async () => {
    id = await apply('caDev', 'PS-POP-001', ['name', 'regionCode']);
  });

  async function expectUntouched(before: Awaited<ReturnType<typeof storedApplication>>) {
    expect(await storedApplication(id)).toEqual(before);
    expect(before).toMatchObject({ status: 'SUBMITTED', grant_id: null, decided_by: null });
    const seen = ok(
      await gql<{ sharingApplication: { status: string; grant: unknown } | null }>(
        'psIt',
        `query($id: ID!) { sharingApplication(id: $id) { status grant { id } } }`,
        { id },
      ),
    ).sharingApplication;
    expect(seen).toEqual({ status: 'SUBMITTED', grant: null });
  }

  it('refuses an APP_DEVELOPER approving (role); the application stays SUBMITTED', async () => {
    const before = await storedApplication(id);
    const grants = await grantsSnapshot();
    const message = refused(await gql('caDev', APPROVE, { id, c: CONDITIONS }), 'FORBIDDEN');
    expect(message).toContain('DEPT_IT');
    await expectUntouched(before);
    expect(await grantsSnapshot()).toEqual(grants);
  });

  it('refuses DEPT_IT of a department that is not the provider approving (ownership)', async () => {
    const before = await storedApplication(id);
    const grants = await grantsSnapshot();
    for (const caller of ['cwIt', 'caIt'] as const) {
      const message = refused(await gql(caller, APPROVE, { id, c: CONDITIONS }), 'FORBIDDEN');
      expect(message).toContain('public_security');
    }
    await expectUntouched(before);
    expect(await grantsSnapshot()).toEqual(grants);
  });

  it('refuses REVIEWER and ADMIN approving (the provider answers, not the data office)', async () => {
    const before = await storedApplication(id);
    const grants = await grantsSnapshot();
    for (const caller of ['reviewer', 'admin'] as const) {
      refused(await gql(caller, APPROVE, { id, c: CONDITIONS }), 'FORBIDDEN');
    }
    await expectUntouched(before);
    expect(await grantsSnapshot()).toEqual(grants);
  });

  it('refuses DEPT_IT of another department and an APP_DEVELOPER rejecting', async () => {
    const before = await storedApplication(id);
    refused(await gql('cwIt', REJECT, { id }), 'FORBIDDEN');
    refused(await gql('caDev', REJECT, { id }), 'FORBIDDEN');
    await expectUntouched(before);
  });

  it('refuses another department withdrawing, and the provider DEPT_IT withdrawing (role)', async () => {
    const before = await storedApplication(id);
    const message = refused(await gql('taxDev', WITHDRAW, { id }), 'FORBIDDEN');
    expect(message).toContain('civil_affairs');
    refused(await gql('psIt', WITHDRAW, { id }), 'FORBIDDEN');
    await expectUntouched(before);
  });

  it('refuses anonymous callers every answer as UNAUTHENTICATED', async () => {
    const before = await storedApplication(id);
    refused(await gql('anonymous', APPROVE, { id, c: CONDITIONS }), 'UNAUTHENTICATED');
    refused(await gql('anonymous', REJECT, { id }), 'UNAUTHENTICATED');
    refused(await gql('anonymous', WITHDRAW, { id }), 'UNAUTHENTICATED');
    const applications = await platform.platformDb('applications').count({ n: '*' });
    refused(
      await gql('anonymous', APPLY, {
        input: {
          dataset: 'PS-POP-001',
          items: ['name'],
          purpose: 'social-assistance',
          scenario: 'Anonymous attempt.',
          legalBasis: 'None.',
          requestedFrom: '2026-12-01',
          requestedUntil: '2027-12-01',
          modes: ['QUERY'],
        },
      }),
      'UNAUTHENTICATED',
    );
    expect(await platform.platformDb('applications').count({ n: '*' })).toEqual(applications);
    await expectUntouched(before);
  });
});

describe('grants: only an ADMIN creates, updates or revokes', () => {
  const CREATE = `mutation($input: GrantInput!) { createGrant(input: $input, reason: "Direct grant") { id } }`;
  const UPDATE = `mutation($id: ID!, $c: GrantConditionsInput!) { updateGrant(id: $id, expectedVersion: 1, conditions: $c, reason: "Narrow") { version } }`;
  const REVOKE = `mutation($id: ID!) { revokeGrant(id: $id, reason: "Stop") { status } }`;
  const TARGET = 'G-DEMO-MS-POP';
  const input = {
    consumerDepartment: 'tax',
    dataset: 'PS-POP-001',
    conditions: { ...CONDITIONS, purposes: ['tax-verification'] },
  };

  it.each([
    ['APP_DEVELOPER', 'caDev', 'FORBIDDEN'],
    ['DEPT_IT of the provider', 'psIt', 'FORBIDDEN'],
    ['DEPT_IT of the consumer', 'caIt', 'FORBIDDEN'],
    ['REVIEWER', 'reviewer', 'FORBIDDEN'],
    ['an anonymous caller', 'anonymous', 'UNAUTHENTICATED'],
  ] as const)(
    'refuses %s; every grant and the change log stay as they were',
    async (_who, caller, code) => {
      const before = await grantsSnapshot();
      const message = refused(await gql(caller, CREATE, { input }), code);
      if (code === 'FORBIDDEN') expect(message).toContain('ADMIN');
      refused(await gql(caller, UPDATE, { id: TARGET, c: input.conditions }), code);
      refused(await gql(caller, REVOKE, { id: TARGET }), code);
      expect(await grantsSnapshot()).toEqual(before);
      expect(before.grants.find((g: { id: string }) => g.id === TARGET)).toMatchObject({
        status: 'ACTIVE',
        version: 1,
      });
    },
  );

  it('lets the ADMIN do it (the refusals above were about the role)', async () => {
    const created = ok(
      await gql<{ createGrant: { id: string } }>('admin', CREATE, { input }),
    ).createGrant;
    const revoked = ok(
      await gql<{ revokeGrant: { status: string } }>('admin', REVOKE, { id: created.id }),
    ).revokeGrant;
    expect(revoked.status).toBe('REVOKED');
  });
});

describe('the working-day calendar: only an ADMIN changes it', () => {
  const SET = `mutation { setCalendarDay(date: "2026-12-14", kind: HOLIDAY, name: "Test holiday") { date } }`;
  const REMOVE = `mutation { removeCalendarDay(date: "2026-10-01") }`;
  const ADD = `query { addWorkingDays(start: "2026-12-11", days: 1) }`;

  it.each([
    ['DEPT_IT', 'psIt', 'FORBIDDEN'],
    ['REVIEWER', 'reviewer', 'FORBIDDEN'],
    ['APP_DEVELOPER', 'caDev', 'FORBIDDEN'],
    ['an anonymous caller', 'anonymous', 'UNAUTHENTICATED'],
  ] as const)('refuses %s setting or removing a day', async (_who, caller, code) => {
    const before = await platform.platformDb('holidays').orderBy('date');
    refused(await gql(caller, SET), code);
    refused(await gql(caller, REMOVE), code);
    expect(await platform.platformDb('holidays').orderBy('date')).toEqual(before);
    expect(ok(await gql<{ addWorkingDays: string }>('anonymous', ADD)).addWorkingDays).toBe(
      '2026-12-14',
    );
  });
});

describe('visibility', () => {
  const APPLICATIONS = `query { sharingApplications { id } }`;
  const APPLICATION = `query($id: ID!) { sharingApplication(id: $id) { id dataset } }`;
  let caApplication: string;
  let taxApplication: string;
  beforeAll(async () => {
    caApplication = await apply('caDev', 'NR-LAND-001', ['landUse']);
    taxApplication = await apply('taxDev', 'CW-ACC-001', ['status']);
  });

  async function applicationIds(caller: Caller): Promise<string[]> {
    return ok(
      await gql<{ sharingApplications: { id: string }[] }>(caller, APPLICATIONS),
    ).sharingApplications.map((a) => a.id);
  }

  it('shows a department only the applications it made or received', async () => {
    const expected: [Caller, boolean, boolean][] = [
      ['caDev', true, false],
      ['taxDev', false, true],
      ['nrIt', true, false],
      ['cwIt', false, true],
      ['psIt', false, false],
    ];
    for (const [caller, seesCa, seesTax] of expected) {
      const ids = await applicationIds(caller);
      expect({
        caller,
        ca: ids.includes(caApplication),
        tax: ids.includes(taxApplication),
      }).toEqual({ caller, ca: seesCa, tax: seesTax });
    }
    // Every application listed to a department concerns it.
    const rows = await platform
      .platformDb('applications')
      .select('id', 'provider_department', 'consumer_department');
    for (const id of await applicationIds('cwIt')) {
      const row = rows.find((r: { id: string }) => r.id === id);
      expect([row.provider_department, row.consumer_department]).toContain('city_water');
    }
  });

  it("answers null for another department's application by id", async () => {
    for (const caller of ['taxDev', 'psIt', 'cwIt'] as const) {
      const response = await gql(caller, APPLICATION, { id: caApplication });
      expect(ok(response)).toEqual({ sharingApplication: null });
    }
    for (const caller of ['caDev', 'nrIt'] as const) {
      const seen = ok(
        await gql<{ sharingApplication: { id: string } | null }>(caller, APPLICATION, {
          id: caApplication,
        }),
      ).sharingApplication;
      expect(seen).toEqual({ id: caApplication, dataset: 'NR-LAND-001' });
    }
  });

  it('shows REVIEWER and ADMIN every application', async () => {
    const all = (await platform.platformDb('applications').select('id')).map(
      (r: { id: string }) => r.id,
    );
    for (const caller of ['reviewer', 'admin'] as const) {
      expect((await applicationIds(caller)).sort()).toEqual([...all].sort());
      const seen = ok(
        await gql<{ sharingApplication: { id: string } | null }>(caller, APPLICATION, {
          id: taxApplication,
        }),
      ).sharingApplication;
      expect(seen?.id).toBe(taxApplication);
    }
  });

  it('refuses anonymous callers the applications as UNAUTHENTICATED', async () => {
    refused(await gql('anonymous', APPLICATIONS), 'UNAUTHENTICATED');
    refused(await gql('anonymous', APPLICATION, { id: caApplication }), 'UNAUTHENTICATED');
    refused(await gql('anonymous', `query { grants { id } }`), 'UNAUTHENTICATED');
  });

  async function grantIds(caller: Caller): Promise<string[]> {
    return ok(await gql<{ grants: { id: string }[] }>(caller, `query { grants { id } }`))
      .grants.map((g) => g.id)
      .filter((id) => id.startsWith('G-DEMO-'))
      .sort();
  }

  it('shows a department only the grants it holds or gave', async () => {
    expect(await grantIds('caDev')).toEqual(['G-DEMO-CA-LAND', 'G-DEMO-CA-POP', 'G-DEMO-CA-WATER']);
    expect(await grantIds('cwIt')).toEqual([
      'G-DEMO-CA-WATER',
      'G-DEMO-STATS-WATER',
      'G-DEMO-TAX-WATER',
    ]);
    expect(await grantIds('taxDev')).toEqual(['G-DEMO-TAX-WATER']);
    const GRANT = `query($id: ID!) { grant(id: $id) { id } }`;
    expect(ok(await gql('caDev', GRANT, { id: 'G-DEMO-TAX-WATER' }))).toEqual({ grant: null });
    expect(ok(await gql('psIt', GRANT, { id: 'G-DEMO-TAX-WATER' }))).toEqual({ grant: null });
    expect(ok(await gql('cwIt', GRANT, { id: 'G-DEMO-TAX-WATER' }))).toEqual({
      grant: { id: 'G-DEMO-TAX-WATER' },
    });
  });

  it('shows REVIEWER and ADMIN every grant', async () => {
    const all = (await platform.platformDb('grants').select('id'))
      .map((r: { id: string }) => r.id)
      .sort();
    for (const caller of ['reviewer', 'admin'] as const) {
      const ids = ok(await gql<{ grants: { id: string }[] }>(caller, `query { grants { id } }`))
        .grants.map((g) => g.id)
        .sort();
      expect(ids).toEqual(all);
      expect(ids).toHaveLength(all.length);
    }
  });

  it('refuses the grant change log to APP_DEVELOPER and DEPT_IT, and anonymous callers', async () => {
    const CHANGES = `query { grantChanges { id action } }`;
    refused(await gql('caDev', CHANGES), 'FORBIDDEN');
    refused(await gql('psIt', CHANGES), 'FORBIDDEN');
    refused(await gql('anonymous', CHANGES), 'UNAUTHENTICATED');
    for (const caller of ['reviewer', 'admin'] as const) {
      const changes = ok(await gql<{ grantChanges: unknown[] }>(caller, CHANGES)).grantChanges;
      expect(changes.length).toBeGreaterThan(0);
    }
  });

  describe('a DRAFT version of an entry', () => {
    const CODE = 'CW-TST-201';
    beforeAll(async () => {
      await saveDraft('cwIt', CODE, 'city_water');
    });

    it('is invisible to other departments: catalogueEntry(code, version) answers as for a version that does not exist', async () => {
      for (const caller of ['psIt', 'caDev', 'cwDev'] as const) {
        const response = await gql(caller, ENTRY_VERSION, { code: CODE, v: 1 });
        expect(response.errors).toBeUndefined();
        expect(response.data).toEqual({ catalogueEntry: null });
        // Not even that a draft is being prepared: the same answer as for version 99.
        expect(await gql(caller, ENTRY_VERSION, { code: CODE, v: 99 })).toEqual(response);
      }
      // Its own department sees it.
      expect(
        ok(
          await gql<{ catalogueEntry: { status: string } }>('cwIt', ENTRY_VERSION, {
            code: CODE,
            v: 1,
          }),
        ).catalogueEntry.status,
      ).toBe('DRAFT');
      const versions = ok(
        await gql<{ catalogueEntryVersions: unknown[] }>(
          'psIt',
          `query($code: String!) { catalogueEntryVersions(code: $code) { version } }`,
          { code: CODE },
        ),
      ).catalogueEntryVersions;
      expect(versions).toEqual([]);
      const queue = ok(
        await gql<{ catalogueReviewQueue: { code: string }[] }>(
          'psIt',
          `query { catalogueReviewQueue(status: DRAFT) { code } }`,
        ),
      ).catalogueReviewQueue;
      expect(queue.map((e) => e.code)).not.toContain(CODE);
    });

    it('is invisible to anonymous callers', async () => {
      const response = await gql('anonymous', ENTRY_VERSION, { code: CODE, v: 1 });
      expect(response.data?.catalogueEntry ?? null).toBeNull();
      expect(JSON.stringify(response)).not.toContain('Test dataset');
      expect(JSON.stringify(response)).not.toContain('DRAFT');
      const missing = await gql('anonymous', ENTRY_VERSION, { code: CODE, v: 99 });
      expect(JSON.stringify(missing.errors ?? null)).toBe(JSON.stringify(response.errors ?? null));
      const published = ok(await gql('anonymous', ENTRY_VERSION, { code: CODE }));
      expect(published).toEqual({ catalogueEntry: null });
      refused(
        await gql(
          'anonymous',
          `query($code: String!) { catalogueEntryVersions(code: $code) { version } }`,
          { code: CODE },
        ),
        'UNAUTHENTICATED',
      );
    });

    it('is visible to its department and to reviewers and admins', async () => {
      for (const caller of ['cwIt', 'reviewer', 'admin'] as const) {
        const entry = ok(
          await gql<{ catalogueEntry: unknown }>(caller, ENTRY_VERSION, { code: CODE, v: 1 }),
        ).catalogueEntry;
        expect(entry).toEqual({
          code: CODE,
          version: 1,
          status: 'DRAFT',
          department: 'city_water',
        });
      }
      const queue = ok(
        await gql<{ catalogueReviewQueue: { code: string }[] }>(
          'cwIt',
          `query { catalogueReviewQueue(status: DRAFT) { code } }`,
        ),
      ).catalogueReviewQueue;
      expect(queue.map((e) => e.code)).toContain(CODE);
    });
  });

  it('answers anonymous callers the public catalogue and its DCAT-AP export, without drafts', async () => {
    const listed = ok(
      await gql<{ catalogueEntries: { nodes: { code: string; status: string }[] } }>(
        'anonymous',
        `query { catalogueEntries(first: 100) { nodes { code status } } }`,
      ),
    ).catalogueEntries.nodes;
    const codes = listed.map((e) => e.code);
    expect(codes).toEqual(
      expect.arrayContaining(['PS-POP-001', 'MS-ENT-001', 'MS-INS-001', 'CW-ACC-001']),
    );
    expect(codes).not.toContain('CW-TST-201');
    expect(new Set(listed.map((e) => e.status))).toEqual(new Set(['PUBLISHED']));
    const dcat = JSON.parse(
      ok(await gql<{ dcatCatalogue: string }>('anonymous', `query { dcatCatalogue }`))
        .dcatCatalogue,
    ) as { '@graph': { 'dct:identifier'?: string }[] };
    const identifiers = dcat['@graph'].map((n) => n['dct:identifier']).filter(Boolean);
    expect(identifiers).toEqual(expect.arrayContaining(['PS-POP-001', 'CW-ACC-001']));
    expect(identifiers).not.toContain('CW-TST-201');
    const one = ok(
      await gql<{ catalogueEntry: { status: string } | null }>('anonymous', ENTRY_VERSION, {
        code: 'MS-ENT-001',
      }),
    ).catalogueEntry;
    expect(one?.status).toBe('PUBLISHED');
  });
});

describe('the office roles belong to the office, and every decision takes two people', () => {
  const bearer = async (department: string, roles: Role[], user: string) => ({
    authorization: `Bearer ${await platform.token({ department, roles, user })}`,
  });
  const send = (headers: Record<string, string>, query: string, variables = {}) =>
    platform.query(query, variables, headers);

  it('refuses a token or API key giving REVIEWER or ADMIN to a department outside the office', async () => {
    const grantsBefore = await grantsSnapshot();
    const CREATE = `mutation($i: GrantInput!) { createGrant(input: $i, reason: "Our own grant") { id } }`;
    const own = {
      consumerDepartment: 'civil_affairs',
      dataset: 'PS-POP-001',
      conditions: CONDITIONS,
    };
    for (const roles of [['ADMIN'], ['REVIEWER'], ['DEPT_IT', 'REVIEWER']] as Role[][]) {
      const rogue = await bearer('civil_affairs', roles, 'rogue');
      const message = refused(await send(rogue, CREATE, { i: own }), 'UNAUTHENTICATED');
      expect(message).toContain('of the data management office (data_office)');
      refused(await send(rogue, '{ catalogueReviewQueue { code } }'), 'UNAUTHENTICATED');
    }
    // A key issued before (straight into the store) is refused on use; none is issued now.
    const { issueApiKey } = await import('../../server/index.ts');
    const old = await issueApiKey(
      platform.platformDb,
      { department: 'civil_affairs', application: 'backdoor', user: null, roles: ['ADMIN'] },
      'civil_affairs/backdoor',
    );
    refused(await send({ 'x-api-key': old.key }, CREATE, { i: own }), 'UNAUTHENTICATED');
    const ISSUE = `mutation($i: ApiKeyInput!) { issueApiKey(input: $i) { secret } }`;
    const issued = refused(
      await gql('admin', ISSUE, {
        i: { department: 'civil_affairs', application: 'backdoor', roles: ['ADMIN'] },
      }),
      'BAD_USER_INPUT',
    );
    expect(issued).toContain('keys issued here carry APP_DEVELOPER only');
    // Not even for the office itself: a key is no person, so it could be a second reviewer.
    for (const roles of [['REVIEWER'], ['ADMIN'], ['DEPT_IT']]) {
      refused(
        await gql('admin', ISSUE, { i: { department: 'data_office', application: 'bob', roles } }),
        'BAD_USER_INPUT',
      );
    }
    const officeKey = await issueApiKey(
      platform.platformDb,
      { department: 'data_office', application: 'bob', user: null, roles: ['REVIEWER'] },
      'data_office/bob',
    );
    refused(
      await send({ 'x-api-key': officeKey.key }, '{ catalogueReviewQueue { code } }'),
      'UNAUTHENTICATED',
    );
    expect(await grantsSnapshot()).toEqual(grantsBefore);
  });

  it('refuses an admin a grant to its own department, and a service unit approving its own application', async () => {
    const before = await grantsSnapshot();
    const CREATE = `mutation($i: GrantInput!) { createGrant(input: $i, reason: "For ourselves") { id } }`;
    refused(
      await gql('admin', CREATE, {
        i: { consumerDepartment: 'data_office', dataset: 'PS-POP-001', conditions: CONDITIONS },
      }),
      'FORBIDDEN',
    );
    // public_security makes civil_affairs its unit for answering applications...
    const AUTHORIZE = `mutation($i: ServiceUnitInput!) { authorizeServiceUnit(input: $i) { id } }`;
    ok(
      await gql('psIt', AUTHORIZE, {
        i: {
          unit: 'civil_affairs',
          department: 'public_security',
          duties: ['ANSWERING_APPLICATIONS'],
          validFrom: '2026-01-01',
          validUntil: '2027-06-01',
        },
      }),
    );
    // ...and civil_affairs cannot approve civil_affairs's own application with it.
    const id = await apply('caDev', 'PS-POP-001', ['name', 'regionCode']);
    const APPROVE = `mutation($id: ID!, $c: GrantConditionsInput!) { approveSharingApplication(id: $id, conditions: $c) { status } }`;
    const message = refused(await gql('caIt', APPROVE, { id, c: CONDITIONS }), 'FORBIDDEN');
    expect(message).toContain('its own department');
    expect(await storedApplication(id)).toMatchObject({ status: 'SUBMITTED', grant_id: null });
    expect(await grantsSnapshot()).toEqual(before);
    // The provider itself still may.
    ok(await gql('psIt', APPROVE, { id, c: CONDITIONS }));
  });

  it('refuses the author of a version publishing it; another reviewer may', async () => {
    const CODE = 'PS-TST-120';
    // public_security has the office catalogue for it, and one person there holding both
    // roles drafts and submits its entry.
    ok(
      await gql(
        'psIt',
        `mutation($i: ServiceUnitInput!) { authorizeServiceUnit(input: $i) { id } }`,
        {
          i: {
            unit: 'data_office',
            department: 'public_security',
            duties: ['CATALOGUING'],
            validFrom: '2026-01-01',
            validUntil: '2027-06-01',
          },
        },
      ),
    );
    const author = await bearer('data_office', ['DEPT_IT', 'REVIEWER'], 'zhao.reviewer');
    await platform.databases.get('public_security')!.schema.createTable('t_pstst120', (t) => {
      t.string('record_number', 64).primary();
      t.string('remark', 255);
    });
    ok(await send(author, SAVE, { doc: entryDocument(CODE, 'public_security') }));
    ok(await send(author, SUBMIT, { code: CODE, v: 1 }));
    const message = refused(await send(author, PUBLISH, { code: CODE, v: 1 }), 'FORBIDDEN');
    expect(message).toContain('another reviewer must');
    expect(await storedVersions(CODE)).toMatchObject([{ status: 'SUBMITTED', reviewed_by: null }]);
    const other = await bearer('data_office', ['REVIEWER'], 'qian.reviewer');
    expect(ok(await send(other, PUBLISH, { code: CODE, v: 1 }))).toEqual({
      publishCatalogueEntry: { status: 'PUBLISHED' },
    });
  });

  it('tells the reviewer what a new version shares more openly than the published one', async () => {
    const CODE = 'PS-TST-121';
    await saveDraft('psIt', CODE, 'public_security');
    ok(await gql('psIt', SUBMIT, { code: CODE, v: 1 }));
    ok(await gql('reviewer', PUBLISH, { code: CODE, v: 1 }));
    const wider = JSON.parse(entryDocument(CODE, 'public_security')) as {
      sharing: { type: string; modes: string[] };
    };
    wider.sharing = { ...wider.sharing, type: 'UNCONDITIONAL', modes: ['QUERY', 'VERIFY'] };
    ok(await gql('psIt', SAVE, { doc: JSON.stringify(wider) }));
    const { submitCatalogueEntry } = ok(
      await gql<{ submitCatalogueEntry: { warnings: string[] } }>(
        'psIt',
        `mutation { submitCatalogueEntry(code: "${CODE}", version: 2) { warnings } }`,
      ),
    );
    expect(submitCatalogueEntry.warnings).toEqual([
      expect.stringContaining('sharing widens from CONDITIONAL to UNCONDITIONAL'),
      expect.stringContaining('modes added: VERIFY'),
    ]);
  });

  it('tells it by column: swapping two items over their columns is a widening too', async () => {
    const CODE = 'PS-TST-122';
    await platform.databases.get('public_security')!.schema.createTable('t_pstst122', (t) => {
      t.string('record_number', 64).primary();
      t.string('remark', 255);
      t.string('secret_col', 64);
      t.string('memo_col', 64);
    });
    type Doc = {
      sharing: { type: string };
      items: { name: string; column: string; sharingType?: string }[];
    };
    const open = JSON.parse(entryDocument(CODE, 'public_security')) as Doc;
    open.sharing.type = 'UNCONDITIONAL';
    const extra = (name: string, column: string, own?: string) => ({
      name,
      title: `${name} ${CODE}`,
      description: `The ${name}.`,
      type: 'STRING',
      column,
      sensitivity: 'INTERNAL',
      ...(own ? { sharingType: own } : {}),
    });
    open.items.push(extra('secret', 'secret_col', 'CONDITIONAL'), extra('memo', 'memo_col'));
    ok(await gql('psIt', SAVE, { doc: JSON.stringify(open) }));
    ok(await gql('psIt', SUBMIT, { code: CODE, v: 1 }));
    ok(await gql('reviewer', PUBLISH, { code: CODE, v: 1 }));
    // Version 2: the same names, the columns swapped, so the conditional column is served openly.
    const swapped = JSON.parse(JSON.stringify(open)) as Doc;
    swapped.items = swapped.items.map((item) =>
      item.name === 'secret'
        ? { ...item, column: 'memo_col' }
        : item.name === 'memo'
          ? { ...item, column: 'secret_col' }
          : item,
    );
    ok(await gql('psIt', SAVE, { doc: JSON.stringify(swapped) }));
    const { submitCatalogueEntry } = ok(
      await gql<{ submitCatalogueEntry: { warnings: string[] } }>(
        'psIt',
        `mutation { submitCatalogueEntry(code: "${CODE}", version: 2) { warnings } }`,
      ),
    );
    expect(submitCatalogueEntry.warnings).toEqual([
      expect.stringContaining(
        'item memo (column secret_col, was secret) widens from CONDITIONAL to UNCONDITIONAL',
      ),
    ]);
  });
});

describe('a grant approved on an application stays within it', () => {
  const UPDATE = `mutation($id: ID!, $v: Int!, $c: GrantConditionsInput!) { updateGrant(id: $id, expectedVersion: $v, conditions: $c, reason: "Changed by the office") { version items } }`;
  const APPROVE = `mutation($id: ID!, $c: GrantConditionsInput!) { approveSharingApplication(id: $id, conditions: $c) { grant { id } } }`;
  const approved = {
    ...CONDITIONS,
    masks: [{ item: 'name', rule: 'SURNAME_ONLY' }],
    rowFilter: [{ item: 'regionCode', startsWith: '3301' }],
    dailyQuota: 100,
  };
  let grantId = '';

  beforeAll(async () => {
    const id = await apply('caDev', 'PS-POP-001', ['name', 'regionCode']);
    grantId = ok(
      await gql<{ approveSharingApplication: { grant: { id: string } } }>('psIt', APPROVE, {
        id,
        c: approved,
      }),
    ).approveSharingApplication.grant.id;
  });

  it.each([
    [
      'an item not applied for',
      { items: ['name', 'regionCode', 'phone'] },
      'phone not applied for',
    ],
    ['a mode not applied for', { modes: ['QUERY', 'VERIFY'] }, 'VERIFY not applied for'],
    ['a longer period', { validUntil: '2999-12-31' }, 'after the requested end'],
    ["the provider's mask dropped", { masks: [] }, 'the mask on name'],
    ["the provider's row condition dropped", { rowFilter: [] }, 'the row condition on regionCode'],
    ["the provider's quota lifted", { dailyQuota: null }, 'the daily quota of 100'],
  ])("refuses an admin's change that adds %s, and changes nothing", async (_what, change, says) => {
    const before = await grantsSnapshot();
    const message = refused(
      await gql('admin', UPDATE, { id: grantId, v: 1, c: { ...approved, ...change } }),
      'BAD_USER_INPUT',
    );
    expect(message).toContain(says);
    expect(await grantsSnapshot()).toEqual(before);
  });

  it('refuses taking a masked item out and putting it back unmasked, two edits later', async () => {
    const dropped = ok(
      await gql<{ updateGrant: { version: number } }>('admin', UPDATE, {
        id: grantId,
        v: 1,
        c: { ...approved, items: ['regionCode'], masks: [] },
      }),
    ).updateGrant;
    const before = await grantsSnapshot();
    const message = refused(
      await gql('admin', UPDATE, {
        id: grantId,
        v: dropped.version,
        c: { ...approved, masks: [] },
      }),
      'BAD_USER_INPUT',
    );
    expect(message).toContain('the mask on name');
    expect(await grantsSnapshot()).toEqual(before);
    // Back as approved, mask and all.
    ok(await gql('admin', UPDATE, { id: grantId, v: dropped.version, c: approved }));
  });

  it('takes a change that narrows it', async () => {
    const changed = ok(
      await gql<{ updateGrant: { version: number; items: string[] } }>('admin', UPDATE, {
        id: grantId,
        v: 3,
        c: { ...approved, items: ['name'], dailyQuota: 50 },
      }),
    ).updateGrant;
    expect(changed).toEqual({ version: 4, items: ['name'] });
  });

  it('refuses a grant listing items that are not shared, which it would give the day they were', async () => {
    const before = await grantsSnapshot();
    const message = refused(
      await gql(
        'admin',
        `mutation($i: GrantInput!) { createGrant(input: $i, reason: "In case it opens") { id } }`,
        {
          i: {
            consumerDepartment: 'tax',
            dataset: 'MS-INS-001',
            conditions: { ...CONDITIONS, items: ['inspectionId', 'creditCode'] },
          },
        },
      ),
      'BAD_USER_INPUT',
    );
    expect(message).toContain('inspectionId of MS-INS-001 is NOT_SHARED; no grant can give it');
    expect(await grantsSnapshot()).toEqual(before);
  });

  it('does not bring an ended grant back by editing it', async () => {
    const ended = ok(
      await gql<{ createGrant: { id: string } }>(
        'admin',
        `mutation($i: GrantInput!) { createGrant(input: $i, reason: "An old arrangement") { id } }`,
        {
          i: {
            consumerDepartment: 'tax',
            dataset: 'PS-POP-001',
            conditions: { ...CONDITIONS, validFrom: '2020-01-01', validUntil: '2020-02-01' },
          },
        },
      ),
    ).createGrant.id;
    const before = await grantsSnapshot();
    const message = refused(
      await gql('admin', UPDATE, {
        id: ended,
        v: 1,
        c: { ...CONDITIONS, validFrom: '2020-01-01', validUntil: '2030-02-01' },
      }),
      'CONFLICT',
    );
    expect(message).toContain('applies again');
    expect(await grantsSnapshot()).toEqual(before);
  });
});
