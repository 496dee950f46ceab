import { civilDateIn } from '../../schema/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHINA_HOLIDAYS_2026 } from '../../subgraphs/platform/calendar/chinaHolidays2026.ts';
import { startTestPlatform, testConfig, type TestPlatform } from '../support/testPlatform.ts';
import { ok, refused } from '../support/responses.ts';

/**
 * The platform's workflows off the happy path: invalid transitions and invalid
 * input each answer a clear error and change nothing; deadlines count working
 * days of the calendar in force.
 */

type Role = 'DEPT_IT' | 'REVIEWER' | 'APP_DEVELOPER' | 'ADMIN';
type Caller = 'psIt' | 'cwIt' | 'nrIt' | 'reviewer' | 'admin' | 'caDev' | 'taxDev' | 'psDev';

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
    reviewer: await bearer('data_office', 'REVIEWER', 'zhao.reviewer'),
    admin: await bearer('data_office', 'ADMIN', 'sun.admin'),
    caDev: await bearer('civil_affairs', 'APP_DEVELOPER', 'chen.dev'),
    taxDev: await bearer('tax', 'APP_DEVELOPER', 'qian.dev'),
    psDev: await bearer('public_security', 'APP_DEVELOPER', 'he.dev'),
  };
});
afterAll(() => platform?.close());

const gql = <T = Record<string, unknown>>(
  caller: Caller,
  query: string,
  variables: Record<string, unknown> = {},
) => platform.query<T>(query, variables, as[caller]);

/** Today as the platform sees it (UTC). */
/** Today's date where the platform runs (TIME_ZONE, Asia/Shanghai by default), as it dates deadlines. */
const today = () => civilDateIn(new Date());

/**
 * The n-th working day after `start`, counted day by day from the 2026 holiday
 * arrangement the platform seeds: an independent check of the platform's calendar.
 */
function workingDaysAfter(start: string, n: number): string {
  const kinds = new Map(CHINA_HOLIDAYS_2026.map((d) => [d.date, d.kind]));
  let day = new Date(`${start}T00:00:00Z`);
  let date = start;
  for (let left = n; left > 0;) {
    day = new Date(day.getTime() + 86_400_000);
    date = day.toISOString().slice(0, 10);
    const kind = kinds.get(date);
    const weekend = day.getUTCDay() === 0 || day.getUTCDay() === 6;
    if (kind === 'MAKEUP_WORKDAY' || (kind === undefined && !weekend)) left--;
  }
  return date;
}

// ---------------------------------------------------------------- applications

const APPLY = `mutation($input: ApplicationInput!) { applyForAccess(input: $input) { id status deadline } }`;
const APPROVE = `mutation($id: ID!, $c: GrantConditionsInput!) { approveSharingApplication(id: $id, conditions: $c) { status grant { id status } } }`;
const REJECT = `mutation($id: ID!, $reason: String!) { rejectSharingApplication(id: $id, reason: $reason) { status } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawSharingApplication(id: $id) { status } }`;

const LAND_APPLICATION = {
  dataset: 'NR-LAND-001',
  items: ['landUse', 'areaSqm'],
  purpose: 'social-assistance',
  scenario: 'Means testing of allowance applicants.',
  legalBasis: 'Measures for Social Assistance, art. 11.',
  requestedFrom: '2026-12-01',
  requestedUntil: '2027-12-01',
  modes: ['QUERY'],
};
const LAND_CONDITIONS = {
  items: ['landUse', 'areaSqm'],
  purposes: ['social-assistance'],
  modes: ['QUERY'],
  validFrom: '2026-12-01',
  validUntil: '2027-12-01',
};

async function applyForLand(): Promise<string> {
  const application = ok(
    await gql<{ applyForAccess: { id: string; status: string } }>('caDev', APPLY, {
      input: LAND_APPLICATION,
    }),
  ).applyForAccess;
  expect(application.status).toBe('SUBMITTED');
  return application.id;
}

async function approve(id: string): Promise<string> {
  const approved = ok(
    await gql<{ approveSharingApplication: { status: string; grant: { id: string } } }>(
      'nrIt',
      APPROVE,
      { id, c: LAND_CONDITIONS },
    ),
  ).approveSharingApplication;
  expect(approved.status).toBe('APPROVED');
  return approved.grant.id;
}

/** The stored decision fields of an application. */
async function storedApplication(id: string): Promise<Record<string, unknown> | undefined> {
  const row: Record<string, unknown> | undefined = await platform
    .platformDb('applications')
    .where({ id })
    .first('status', 'decided_by', 'decided_at', 'decision_reason', 'grant_id', 'updated_at');
  return row;
}

/** Every grant and change-log row: a refused operation must leave them as they were. */
async function grantsSnapshot() {
  return {
    grants: await platform.platformDb('grants').orderBy('id'),
    changes: await platform.platformDb('grant_changes').orderBy('id'),
  };
}

async function applicationCount(): Promise<number> {
  return (await platform.platformDb('applications').select('id')).length;
}

describe('answering sharing applications', () => {
  it('refuses approving twice: the second approval is a CONFLICT and creates no second grant', async () => {
    const id = await applyForLand();
    const grantId = await approve(id);
    const before = await storedApplication(id);
    const grants = await grantsSnapshot();
    const message = refused(await gql('nrIt', APPROVE, { id, c: LAND_CONDITIONS }), 'CONFLICT');
    expect(message).toContain('APPROVED');
    expect(await storedApplication(id)).toEqual(before);
    expect(before).toMatchObject({ status: 'APPROVED', grant_id: grantId });
    expect(await grantsSnapshot()).toEqual(grants);
    expect(
      grants.changes.filter((c: { reason: string }) => c.reason === `approved application ${id}`),
    ).toHaveLength(1);
  });

  it('refuses approving a withdrawn application (CONFLICT)', async () => {
    const id = await applyForLand();
    const withdrawn = ok(
      await gql<{ withdrawSharingApplication: { status: string } }>('caDev', WITHDRAW, { id }),
    ).withdrawSharingApplication;
    expect(withdrawn.status).toBe('WITHDRAWN');
    const before = await storedApplication(id);
    const grants = await grantsSnapshot();
    const message = refused(await gql('nrIt', APPROVE, { id, c: LAND_CONDITIONS }), 'CONFLICT');
    expect(message).toContain('WITHDRAWN');
    expect(await storedApplication(id)).toEqual(before);
    expect(before).toMatchObject({ status: 'WITHDRAWN', grant_id: null });
    expect(await grantsSnapshot()).toEqual(grants);
  });

  it('refuses withdrawing an approved application (CONFLICT); its grant stays active', async () => {
    const id = await applyForLand();
    const grantId = await approve(id);
    const before = await storedApplication(id);
    const message = refused(await gql('caDev', WITHDRAW, { id }), 'CONFLICT');
    expect(message).toContain('APPROVED');
    expect(await storedApplication(id)).toEqual(before);
    const grant = ok(
      await gql<{ grant: { status: string } | null }>(
        'caDev',
        `query($id: ID!) { grant(id: $id) { status } }`,
        { id: grantId },
      ),
    ).grant;
    expect(grant).toEqual({ status: 'ACTIVE' });
  });

  it('refuses rejecting with an empty or whitespace reason (BAD_USER_INPUT)', async () => {
    const id = await applyForLand();
    const before = await storedApplication(id);
    for (const reason of ['', '   \n\t ']) {
      const message = refused(await gql('nrIt', REJECT, { id, reason }), 'BAD_USER_INPUT');
      expect(message).toMatch(/reason/);
    }
    expect(await storedApplication(id)).toEqual(before);
    expect(before).toMatchObject({ status: 'SUBMITTED', decision_reason: null });
  });

  it('refuses approving or withdrawing a rejected application (CONFLICT)', async () => {
    const id = await applyForLand();
    ok(await gql('nrIt', REJECT, { id, reason: 'The purpose is not within your functions.' }));
    const before = await storedApplication(id);
    const grants = await grantsSnapshot();
    refused(await gql('nrIt', APPROVE, { id, c: LAND_CONDITIONS }), 'CONFLICT');
    refused(await gql('caDev', WITHDRAW, { id }), 'CONFLICT');
    refused(await gql('nrIt', REJECT, { id, reason: 'Again' }), 'CONFLICT');
    expect(await storedApplication(id)).toEqual(before);
    expect(before).toMatchObject({
      status: 'REJECTED',
      decision_reason: 'The purpose is not within your functions.',
    });
    expect(await grantsSnapshot()).toEqual(grants);
  });

  it('refuses an approval with invalid conditions as a whole: no grant, still SUBMITTED', async () => {
    const id = await applyForLand();
    const before = await storedApplication(id);
    const grants = await grantsSnapshot();
    const message = refused(
      await gql('nrIt', APPROVE, { id, c: { ...LAND_CONDITIONS, items: ['landUse', 'shoeSize'] } }),
      'BAD_USER_INPUT',
    );
    expect(message).toContain('shoeSize');
    expect(await storedApplication(id)).toEqual(before);
    expect(await grantsSnapshot()).toEqual(grants);
  });
});

describe('applying for access', () => {
  it('refuses an UNCONDITIONAL dataset: it needs no application', async () => {
    const count = await applicationCount();
    const message = refused(
      await gql('caDev', APPLY, {
        input: { ...LAND_APPLICATION, dataset: 'MS-ENT-001', items: ['name'] },
      }),
      'BAD_USER_INPUT',
    );
    expect(message).toContain('MS-ENT-001');
    expect(message).toContain('UNCONDITIONAL');
    expect(await applicationCount()).toBe(count);
  });

  it('refuses a NOT_SHARED dataset: it cannot be applied for', async () => {
    const count = await applicationCount();
    const message = refused(
      await gql('caDev', APPLY, {
        input: { ...LAND_APPLICATION, dataset: 'MS-INS-001', items: ['result'] },
      }),
      'BAD_USER_INPUT',
    );
    expect(message).toContain('MS-INS-001');
    expect(message).toContain('NOT_SHARED');
    expect(await applicationCount()).toBe(count);
  });

  it("refuses a dataset the caller's own department provides", async () => {
    const count = await applicationCount();
    const message = refused(
      await gql('psDev', APPLY, {
        input: { ...LAND_APPLICATION, dataset: 'PS-POP-001', items: ['name'] },
      }),
      'BAD_USER_INPUT',
    );
    expect(message).toContain('public_security');
    expect(await applicationCount()).toBe(count);
  });

  it('refuses unknown items and modes the dataset is not shared in, listing each', async () => {
    const count = await applicationCount();
    const message = refused(
      await gql('caDev', APPLY, {
        input: {
          ...LAND_APPLICATION,
          items: ['landUse', 'shoeSize'],
          modes: ['QUERY', 'VERIFY'],
        },
      }),
      'BAD_USER_INPUT',
    );
    expect(message).toContain('shoeSize');
    expect(message).toContain('VERIFY');
    expect(await applicationCount()).toBe(count);
  });

  it('refuses a requested period that is not two YYYY-MM-DD dates', async () => {
    const count = await applicationCount();
    for (const requestedFrom of ['2027-12-01', '2026-02-30', '12/01/2026']) {
      const response = await gql('caDev', APPLY, { input: { ...LAND_APPLICATION, requestedFrom } });
      expect({ requestedFrom, codes: response.errors?.map((e) => e.extensions?.code) }).toEqual({
        requestedFrom,
        codes: ['BAD_USER_INPUT'],
      });
      expect(response.errors![0]!.message).toContain('requestedFrom');
    }
    expect(await applicationCount()).toBe(count);
  });

  it('refuses a mode that does not exist (GraphQL validation) and an unknown dataset', async () => {
    const count = await applicationCount();
    const mode = await gql('caDev', APPLY, {
      input: { ...LAND_APPLICATION, modes: ['TELEPATHY'] },
    });
    expect(mode.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // Where and what was refused, not the value said back (see server/logging/withoutValues.ts).
    expect(mode.errors?.[0]?.message).toContain(
      'Variable "$input" at "input.modes[0]" got a value its type does not accept: it is not a value of enum "SharingMode"',
    );
    expect(mode.errors?.[0]?.message).not.toContain('TELEPATHY');
    const dataset = refused(
      await gql('caDev', APPLY, { input: { ...LAND_APPLICATION, dataset: 'XX-NONE-001' } }),
      'NOT_FOUND',
    );
    expect(dataset).toContain('XX-NONE-001');
    expect(await applicationCount()).toBe(count);
  });
});

// ------------------------------------------------------------------ catalogue

const SAVE = `mutation($doc: String!, $trigger: String!) { saveCatalogueDraft(document: $doc, changeReason: "Edge test", triggerDate: $trigger) { code version status deadline overdue } }`;
const SUBMIT = `mutation($code: String!, $v: Int!) { submitCatalogueEntry(code: $code, version: $v) { status warnings } }`;
const PUBLISH = `mutation($code: String!, $v: Int!) { publishCatalogueEntry(code: $code, version: $v) { status } }`;

interface ItemDoc {
  name: string;
  title: string;
  description: string;
  type: string;
  column: string;
  sensitivity: string;
  element?: string;
  authoritative?: boolean;
  collectionBasis?: string;
}

/** A small city_water entry; titles are unique to its code unless `items` says otherwise. */
function cityWaterEntry(
  code: string,
  change: { sharing?: Record<string, unknown>; items?: ItemDoc[] } = {},
): string {
  const suffix = code.replace(/-/g, '').toLowerCase();
  return JSON.stringify({
    code,
    name: `Test dataset ${code}`,
    summary: `A dataset registered by the edge tests (${code}).`,
    classification: 'DEPARTMENT',
    theme: 'testing',
    department: 'city_water',
    format: 'DATABASE',
    updateCycle: 'DAILY',
    publishedOn: '2026-11-21',
    sharing: change.sharing ?? {
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
      ...(change.items ?? [
        {
          name: 'remark',
          title: `备注 ${code}`,
          description: 'A remark.',
          type: 'STRING',
          column: 'remark',
          sensitivity: 'INTERNAL',
        },
      ]),
    ],
  });
}

/**
 * Creates the table an entry of `cityWaterEntry` binds, in city_water's database
 * (submission checks the binding against it): one string column per item, the
 * first the primary key.
 */
async function createTableFor(doc: string): Promise<void> {
  const entry = JSON.parse(doc) as { binding: { table: string }; items: { column: string }[] };
  const db = platform.databases.get('city_water')!;
  if (await db.schema.hasTable(entry.binding.table)) return;
  await db.schema.createTable(entry.binding.table, (t) => {
    entry.items.forEach(({ column }, index) =>
      index === 0 ? t.string(column, 64).primary() : t.string(column, 255),
    );
  });
}

interface SavedDraft {
  code: string;
  version: number;
  status: string;
  deadline: string;
  overdue: boolean;
}

async function saveDraft(doc: string, trigger = '2026-11-20'): Promise<SavedDraft> {
  await createTableFor(doc);
  const saved = ok(
    await gql<{ saveCatalogueDraft: SavedDraft }>('cwIt', SAVE, { doc, trigger }),
  ).saveCatalogueDraft;
  expect(saved.status).toBe('DRAFT');
  return saved;
}

async function storedVersions(code: string) {
  return platform
    .platformDb('catalogue_entries')
    .where({ code })
    .orderBy('version')
    .select('version', 'status', 'warnings', 'submitted_by', 'reviewed_by', 'updated_at');
}

describe('submitting and publishing catalogue entries', () => {
  it('refuses a CONDITIONAL entry without a legal basis, naming sharing.legalBasis', async () => {
    const code = 'CW-TST-301';
    await saveDraft(
      cityWaterEntry(code, {
        sharing: { type: 'CONDITIONAL', conditions: 'For the tests only.', modes: ['QUERY'] },
      }),
    );
    const before = await storedVersions(code);
    const message = refused(await gql('cwIt', SUBMIT, { code, v: 1 }), 'BAD_USER_INPUT');
    expect(message).toContain('sharing.legalBasis');
    expect(await storedVersions(code)).toEqual(before);
    expect(before).toMatchObject([{ status: 'DRAFT', submitted_by: null }]);
  });

  it('refuses an entry claiming an authoritative item another department provides, naming PS-POP-001', async () => {
    const code = 'CW-TST-302';
    await saveDraft(
      cityWaterEntry(code, {
        items: [
          {
            name: 'holderName',
            title: '户主姓名',
            description: 'Name of the account holder.',
            type: 'STRING',
            column: 'holder_name',
            sensitivity: 'SENSITIVE',
            element: 'personName',
          },
        ],
      }),
    );
    const before = await storedVersions(code);
    const message = refused(await gql('cwIt', SUBMIT, { code, v: 1 }), 'BAD_USER_INPUT');
    expect(message).toContain('PS-POP-001');
    expect(message).toContain('personName');
    expect(await storedVersions(code)).toEqual(before);
    expect(before).toMatchObject([{ status: 'DRAFT', submitted_by: null }]);
  });

  it('accepts collecting a name again under a stated law, with a warning naming the source and the law', async () => {
    const code = 'CW-TST-303';
    await saveDraft(
      cityWaterEntry(code, {
        items: [
          {
            name: 'holderName',
            title: '户主姓名',
            description: 'Name of the account holder, as the holder gave it.',
            type: 'STRING',
            column: 'holder_name',
            sensitivity: 'SENSITIVE',
            element: 'personName',
            collectionBasis: 'Regulations on Urban Water Supply, art. 20.',
          },
        ],
      }),
    );
    const submitted = ok(
      await gql<{ submitCatalogueEntry: { status: string; warnings: string[] } }>('cwIt', SUBMIT, {
        code,
        v: 1,
      }),
    ).submitCatalogueEntry;
    expect(submitted.status).toBe('SUBMITTED');
    expect(submitted.warnings).toEqual([
      expect.stringMatching(
        /holderName collects personName again, which public_security provides in PS-POP-001\.name; the stated basis: Regulations on Urban Water Supply, art\. 20\./,
      ),
    ]);
    const [stored] = await storedVersions(code);
    expect(JSON.parse(stored.warnings as string)).toEqual(submitted.warnings);
  });

  it('gives no warning for an item whose title another department uses for another fact (a validity date)', async () => {
    const code = 'CW-TST-319';
    await saveDraft(
      cityWaterEntry(code, {
        items: [
          {
            name: 'validUntil',
            title: '有效期至',
            description: 'Last day of validity.',
            type: 'STRING',
            column: 'valid_until',
            sensitivity: 'INTERNAL',
          },
        ],
      }),
    );
    const submitted = ok(
      await gql<{ submitCatalogueEntry: { status: string; warnings: string[] } }>('cwIt', SUBMIT, {
        code,
        v: 1,
      }),
    ).submitCatalogueEntry;
    expect(submitted).toEqual({ status: 'SUBMITTED', warnings: [] });
  });

  it('refuses publishing a DRAFT that was never submitted (CONFLICT)', async () => {
    const code = 'CW-TST-304';
    await saveDraft(cityWaterEntry(code));
    const before = await storedVersions(code);
    const message = refused(await gql('reviewer', PUBLISH, { code, v: 1 }), 'CONFLICT');
    expect(message).toContain('DRAFT');
    expect(await storedVersions(code)).toEqual(before);
    expect(await platform.platformDb('dataset_policies').where({ code })).toEqual([]);
    const published = ok(
      await gql(
        'reviewer',
        `query($code: String!) { catalogueEntry(code: $code) { status } catalogueEntries(filter: { keyword: $code }) { nodes { code } } }`,
        { code },
      ),
    );
    expect(published).toEqual({ catalogueEntry: null, catalogueEntries: { nodes: [] } });
  });

  it('refuses submitting twice and rejecting without a reason', async () => {
    const code = 'CW-TST-305';
    await saveDraft(cityWaterEntry(code));
    ok(await gql('cwIt', SUBMIT, { code, v: 1 }));
    const before = await storedVersions(code);
    refused(await gql('cwIt', SUBMIT, { code, v: 1 }), 'CONFLICT');
    refused(
      await gql(
        'reviewer',
        `mutation($code: String!) { rejectCatalogueEntry(code: $code, version: 1, reason: "  ") { status } }`,
        { code },
      ),
      'BAD_USER_INPUT',
    );
    expect(await storedVersions(code)).toEqual(before);
    expect(before).toMatchObject([{ status: 'SUBMITTED', reviewed_by: null }]);
  });

  it('refuses a trigger date that is not a real date (BAD_USER_INPUT), storing nothing', async () => {
    for (const trigger of ['2026-13-01', '2026-02-30']) {
      const response = await gql('cwIt', SAVE, { doc: cityWaterEntry('CW-TST-306'), trigger });
      expect({ trigger, codes: response.errors?.map((e) => e.extensions?.code) }).toEqual({
        trigger,
        codes: ['BAD_USER_INPUT'],
      });
      expect(response.errors![0]!.message).toContain('triggerDate');
    }
    expect(await storedVersions('CW-TST-306')).toEqual([]);
  });

  it('answers NOT_FOUND for a version that does not exist', async () => {
    refused(await gql('reviewer', PUBLISH, { code: 'CW-TST-399', v: 1 }), 'NOT_FOUND');
    expect(await storedVersions('CW-TST-399')).toEqual([]);
  });
});

// --------------------------------------------------------------------- grants

const GRANT_FIELDS = `id version items masks { item rule } modes validFrom validUntil status`;
const CREATE_GRANT = `mutation($input: GrantInput!, $reason: String!) { createGrant(input: $input, reason: $reason) { ${GRANT_FIELDS} } }`;
const UPDATE_GRANT = `mutation($id: ID!, $v: Int!, $c: GrantConditionsInput!) { updateGrant(id: $id, expectedVersion: $v, conditions: $c, reason: "Edge test") { ${GRANT_FIELDS} } }`;
const TAX_CONDITIONS = {
  items: ['landUse', 'areaSqm'],
  purposes: ['tax-verification'],
  modes: ['QUERY'],
  validFrom: '2026-12-01',
  validUntil: '2027-12-01',
};

describe('administering grants', () => {
  let grantId: string;
  beforeAll(async () => {
    grantId = ok(
      await gql<{ createGrant: { id: string; version: number } }>('admin', CREATE_GRANT, {
        input: { consumerDepartment: 'tax', dataset: 'NR-LAND-001', conditions: TAX_CONDITIONS },
        reason: 'Land tax verification',
      }),
    ).createGrant.id;
    const updated = ok(
      await gql<{ updateGrant: { version: number; items: string[] } }>('admin', UPDATE_GRANT, {
        id: grantId,
        v: 1,
        c: { ...TAX_CONDITIONS, items: ['landUse', 'areaSqm', 'rightType'] },
      }),
    ).updateGrant;
    expect(updated).toMatchObject({ version: 2, items: ['landUse', 'areaSqm', 'rightType'] });
  });

  it('refuses an update at a stale expectedVersion, naming the current version', async () => {
    const before = await grantsSnapshot();
    const response = await gql('admin', UPDATE_GRANT, {
      id: grantId,
      v: 1,
      c: { ...TAX_CONDITIONS, items: ['landUse'] },
    });
    const message = refused(response, 'CONFLICT');
    expect(message).toContain('version 2');
    expect(response.errors![0]!.extensions?.currentVersion).toBe(2);
    expect(await grantsSnapshot()).toEqual(before);
  });

  it('refuses invalid conditions with BAD_USER_INPUT listing every problem', async () => {
    const before = await grantsSnapshot();
    const message = refused(
      await gql('admin', UPDATE_GRANT, {
        id: grantId,
        v: 2,
        c: {
          items: ['landUse', 'shoeSize'],
          masks: [{ item: 'registeredOn', rule: 'REDACT' }],
          purposes: ['tax-verification'],
          modes: ['QUERY', 'VERIFY'],
          validFrom: '2027-12-01',
          validUntil: '2026-12-01',
        },
      }),
      'BAD_USER_INPUT',
    );
    expect(message).toContain('no item shoeSize');
    expect(message).toContain('registeredOn is not a granted');
    expect(message).toContain('not VERIFY');
    expect(message).toContain('validUntil must be after validFrom');
    expect(await grantsSnapshot()).toEqual(before);
  });

  it('refuses a mask rule that does not exist (GraphQL enum validation)', async () => {
    const before = await grantsSnapshot();
    const response = await gql('admin', UPDATE_GRANT, {
      id: grantId,
      v: 2,
      c: { ...TAX_CONDITIONS, masks: [{ item: 'landUse', rule: 'SCRAMBLE' }] },
    });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.message).toContain(
      'Variable "$c" at "c.masks[0].rule" got a value its type does not accept: it is not a value of enum "MaskRule"',
    );
    expect(response.errors?.[0]?.message).not.toContain('SCRAMBLE');
    expect(response.data ?? null).toBeNull();
    expect(await grantsSnapshot()).toEqual(before);
  });

  it('refuses creating or changing a grant without saying why (the change log records why)', async () => {
    const before = await grantsSnapshot();
    refused(
      await gql('admin', CREATE_GRANT, {
        input: { consumerDepartment: 'tax', dataset: 'NR-LAND-001', conditions: TAX_CONDITIONS },
        reason: '   ',
      }),
      'BAD_USER_INPUT',
    );
    refused(
      await gql(
        'admin',
        `mutation($id: ID!, $c: GrantConditionsInput!) { updateGrant(id: $id, expectedVersion: 2, conditions: $c, reason: " ") { version } }`,
        { id: grantId, c: TAX_CONDITIONS },
      ),
      'BAD_USER_INPUT',
    );
    expect(await grantsSnapshot()).toEqual(before);
  });

  it('refuses a grant to the providing department itself', async () => {
    const before = await grantsSnapshot();
    const message = refused(
      await gql('admin', CREATE_GRANT, {
        input: {
          consumerDepartment: 'natural_resources',
          dataset: 'NR-LAND-001',
          conditions: TAX_CONDITIONS,
        },
        reason: 'Mistake',
      }),
      'BAD_USER_INPUT',
    );
    expect(message).toContain('natural_resources');
    expect(await grantsSnapshot()).toEqual(before);
  });

  it('lists CREATE and UPDATE in grantChanges with the grant before and after as JSON', async () => {
    const changes = ok(
      await gql<{
        grantChanges: {
          action: string;
          actor: string;
          reason: string;
          before: string | null;
          after: string | null;
        }[];
      }>(
        'reviewer',
        `query($id: ID) { grantChanges(grantId: $id) { action actor reason before after } }`,
        { id: grantId },
      ),
    ).grantChanges;
    expect(changes.map((c) => [c.action, c.actor, c.reason])).toEqual([
      ['UPDATE', 'data_office/sun.admin', 'Edge test'],
      ['CREATE', 'data_office/sun.admin', 'Land tax verification'],
    ]);
    const [update, create] = changes;
    expect(create!.before).toBeNull();
    expect(JSON.parse(create!.after!)).toMatchObject({ id: grantId, version: 1 });
    const before = JSON.parse(update!.before!);
    const after = JSON.parse(update!.after!);
    expect(before).toMatchObject({ id: grantId, version: 1, items: ['landUse', 'areaSqm'] });
    expect(after).toMatchObject({
      id: grantId,
      version: 2,
      items: ['landUse', 'areaSqm', 'rightType'],
    });
  });

  it('refuses revoking twice, and changing a revoked grant (CONFLICT)', async () => {
    const id = ok(
      await gql<{ createGrant: { id: string } }>('admin', CREATE_GRANT, {
        input: {
          consumerDepartment: 'statistics',
          dataset: 'NR-LAND-001',
          conditions: TAX_CONDITIONS,
        },
        reason: 'Short-lived',
      }),
    ).createGrant.id;
    const REVOKE = `mutation($id: ID!, $reason: String!) { revokeGrant(id: $id, reason: $reason) { status } }`;
    refused(await gql('admin', REVOKE, { id, reason: ' ' }), 'BAD_USER_INPUT');
    ok(await gql('admin', REVOKE, { id, reason: 'No longer needed' }));
    const before = await grantsSnapshot();
    refused(await gql('admin', REVOKE, { id, reason: 'Again' }), 'CONFLICT');
    refused(await gql('admin', UPDATE_GRANT, { id, v: 2, c: TAX_CONDITIONS }), 'CONFLICT');
    expect(await grantsSnapshot()).toEqual(before);
  });
});

// ------------------------------------------------------------------ deadlines

describe('working-day deadlines', () => {
  const ADD = `query($start: String!, $days: Int!) { addWorkingDays(start: $start, days: $days) }`;
  const addWorkingDays = async (start: string, days: number) =>
    ok(await gql<{ addWorkingDays: string }>('caDev', ADD, { start, days })).addWorkingDays;

  it('skips the National Day holiday and counts its make-up working day', async () => {
    const one = await addWorkingDays('2026-09-30', 1);
    expect(one).toBe(workingDaysAfter('2026-09-30', 1));
    expect(one > '2026-10-07').toBe(true);
    // 10 October 2026 is a Saturday worked in exchange for the holiday.
    expect(CHINA_HOLIDAYS_2026).toContainEqual(
      expect.objectContaining({ date: '2026-10-10', kind: 'MAKEUP_WORKDAY' }),
    );
    for (const days of [2, 3, 4, 10]) {
      expect(await addWorkingDays('2026-09-30', days)).toBe(workingDaysAfter('2026-09-30', days));
    }
    expect(await addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
  });

  it('refuses a start that is not a date and a count out of range, naming the argument', async () => {
    for (const [variables, argument] of [
      [{ start: '2026-02-30', days: 1 }, 'start'],
      [{ start: 'tomorrow', days: 1 }, 'start'],
      [{ start: '2026-12-07', days: -1 }, 'days'],
      [{ start: '2026-12-07', days: 100_000_000 }, 'days'],
    ] as const) {
      const response = await gql('caDev', ADD, variables);
      refused(response, 'BAD_USER_INPUT');
      expect(response.errors?.[0]?.extensions?.argument).toBe(argument);
      expect(response.errors?.[0]?.message).not.toMatch(/expected|but got/);
    }
  });

  it("sets a draft's deadline to its trigger date plus 10 working days", async () => {
    const draft = await saveDraft(cityWaterEntry('CW-TST-401'), '2026-09-28');
    expect(draft.deadline).toBe(workingDaysAfter('2026-09-28', 10));
    expect(draft.deadline).toBe(await addWorkingDays('2026-09-28', 10));
  });

  it('lists a draft whose deadline has passed as overdue, to reviewers and its department', async () => {
    const late = await saveDraft(cityWaterEntry('CW-TST-402'), '2020-01-06');
    expect(late).toMatchObject({ deadline: '2020-01-20', overdue: true });
    const timely = await saveDraft(cityWaterEntry('CW-TST-403'), today());
    expect(timely.overdue).toBe(false);
    const OVERDUE = `query { overdueCatalogueUpdates { code overdue deadline } }`;
    const forReviewer = ok(
      await gql<{ overdueCatalogueUpdates: { code: string; overdue: boolean }[] }>(
        'reviewer',
        OVERDUE,
      ),
    ).overdueCatalogueUpdates;
    expect(forReviewer).toContainEqual({
      code: 'CW-TST-402',
      overdue: true,
      deadline: '2020-01-20',
    });
    expect(forReviewer.map((e) => e.code)).not.toContain('CW-TST-403');
    expect(forReviewer.every((e) => e.overdue)).toBe(true);
    const forDepartment = ok(
      await gql<{ overdueCatalogueUpdates: { code: string }[] }>('cwIt', OVERDUE),
    ).overdueCatalogueUpdates;
    expect(forDepartment.map((e) => e.code)).toContain('CW-TST-402');
    const forOther = ok(
      await gql<{ overdueCatalogueUpdates: { code: string }[] }>('psIt', OVERDUE),
    ).overdueCatalogueUpdates;
    expect(forOther.map((e) => e.code)).not.toContain('CW-TST-402');
  });

  it('lists an unanswered application past its deadline to its provider and reviewers only', async () => {
    const id = 'APP-EDGE-OVERDUE-1';
    await platform.platformDb('applications').insert({
      id,
      dataset_code: 'NR-LAND-001',
      provider_department: 'natural_resources',
      consumer_department: 'tax',
      consumer_application: null,
      applicant: 'tax/qian.dev',
      items: JSON.stringify(['landUse']),
      purpose: 'tax-verification',
      scenario: 'Land tax checks.',
      legal_basis: 'Tax Administration Law, art. 6.',
      requested_from: '2020-01-01',
      requested_until: '2030-01-01',
      modes: JSON.stringify(['QUERY']),
      status: 'SUBMITTED',
      deadline: '2020-01-10',
      submitted_at: '2019-12-27T08:00:00.000Z',
      decided_by: null,
      decided_at: null,
      decision_reason: null,
      grant_id: null,
      updated_at: '2019-12-27T08:00:00.000Z',
    });
    const fresh = ok(
      await gql<{ applyForAccess: { id: string; deadline: string } }>('caDev', APPLY, {
        input: LAND_APPLICATION,
      }),
    ).applyForAccess;
    expect(fresh.deadline > today()).toBe(true);
    const OVERDUE = `query { overdueSharingApplications { id overdue deadline } }`;
    for (const caller of ['nrIt', 'reviewer'] as const) {
      const listed = ok(
        await gql<{ overdueSharingApplications: { id: string; overdue: boolean }[] }>(
          caller,
          OVERDUE,
        ),
      ).overdueSharingApplications;
      expect(listed).toContainEqual({ id, overdue: true, deadline: '2020-01-10' });
      expect(listed.map((a) => a.id)).not.toContain(fresh.id);
    }
    const unrelated = ok(
      await gql<{ overdueSharingApplications: { id: string }[] }>('cwIt', OVERDUE),
    ).overdueSharingApplications;
    expect(unrelated.map((a) => a.id)).not.toContain(id);
  });

  it("applies an ADMIN's make-up working day to addWorkingDays at once, and its removal", async () => {
    // Friday 3 January 2031; the Saturday after it is an ordinary weekend day.
    expect(await addWorkingDays('2031-01-03', 1)).toBe('2031-01-06');
    ok(
      await gql(
        'admin',
        `mutation { setCalendarDay(date: "2031-01-04", kind: MAKEUP_WORKDAY, name: "Test make-up day") { date } }`,
      ),
    );
    try {
      expect(await addWorkingDays('2031-01-03', 1)).toBe('2031-01-04');
      expect(await addWorkingDays('2031-01-03', 2)).toBe('2031-01-06');
    } finally {
      ok(await gql('admin', `mutation { removeCalendarDay(date: "2031-01-04") }`));
    }
    expect(await addWorkingDays('2031-01-03', 1)).toBe('2031-01-06');
  });

  it('refuses a calendar day that is not a date, changing nothing', async () => {
    const before = await platform.platformDb('holidays').orderBy('date');
    const response = await gql(
      'admin',
      `mutation { setCalendarDay(date: "2031-02-30", kind: HOLIDAY, name: "No such day") { date } }`,
    );
    refused(response, 'BAD_USER_INPUT');
    expect(response.errors?.[0]?.extensions?.argument).toBe('date');
    expect(await platform.platformDb('holidays').orderBy('date')).toEqual(before);
  });

  it('refuses a calendar day with an empty or over-long name as BAD_USER_INPUT, changing nothing', async () => {
    const SET = `mutation($name: String!) { setCalendarDay(date: "2031-01-06", kind: HOLIDAY, name: $name) { date } }`;
    const before = await platform.platformDb('holidays').orderBy('date');
    for (const name of ['', '节'.repeat(65)]) {
      const response = await gql('admin', SET, { name });
      expect({ name, codes: response.errors?.map((e) => e.extensions?.code) }).toEqual({
        name,
        codes: ['BAD_USER_INPUT'],
      });
      expect(response.errors![0]!.message).toContain('name must be 1 to 64 characters');
      expect(response.errors![0]!.extensions?.argument).toBe('name');
    }
    expect(await platform.platformDb('holidays').orderBy('date')).toEqual(before);
    expect(await addWorkingDays('2031-01-03', 1)).toBe('2031-01-06');
  });

  it('gives an application the configured number of working days for its answer', async () => {
    const days = testConfig(platform.database).applicationReplyWorkingDays;
    const application = ok(
      await gql<{ applyForAccess: { deadline: string; overdue?: boolean } }>('caDev', APPLY, {
        input: LAND_APPLICATION,
      }),
    ).applyForAccess;
    expect(application.deadline).toBe(await addWorkingDays(today(), days));
  });
});
