import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { civilDateIn } from '../../schema/index.ts';
import { DEMO_PERSON_INDEX, personIdNumberAt } from '../../subgraphs/demo-data/index.ts';
import {
  startTestPlatform,
  testConfig,
  type GraphQLResponse,
  type TestPlatform,
} from '../support/testPlatform.ts';
import { ok, refused } from '../support/responses.ts';

/**
 * The supervision scorecard, from real traffic through the gateway: queries
 * served, masked and denied; applications answered after a known number of
 * working days (their times set in the database); data error reports; catalogue
 * drafts past their deadline. Every figure is asserted exactly.
 */

const PERSON = personIdNumberAt(DEMO_PERSON_INDEX);

type Role = 'DEPT_IT' | 'REVIEWER' | 'APP_DEVELOPER' | 'ADMIN';

let platform: TestPlatform;
const bearers = new Map<string, Record<string, string>>();

/** The headers of `department`'s caller with `role` (user `department.role`). */
async function as(department: string, role: Role): Promise<Record<string, string>> {
  const key = `${department}/${role}`;
  let headers = bearers.get(key);
  if (!headers) {
    const token = await platform.token({
      department,
      roles: [role],
      user: `${department}.${role}`,
    });
    headers = { authorization: `Bearer ${token}` };
    bearers.set(key, headers);
  }
  return headers;
}

beforeAll(async () => {
  platform = await startTestPlatform('sqlite');
});
afterAll(() => platform?.close());

/** `date` (YYYY-MM-DD) moved by `days` calendar days. */
function shift(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * 86_400_000)
    .toISOString()
    .slice(0, 10);
}

const TODAY = new Date().toISOString().slice(0, 10);
/** The period of the scorecard: the last 60 days, today included. */
const FROM = shift(TODAY, -60);
const TO = shift(TODAY, 1);

async function addWorkingDays(start: string, days: number): Promise<string> {
  return ok(
    await platform.query<{ addWorkingDays: string }>(
      `query($s: String!, $d: Int!) { addWorkingDays(start: $s, days: $d) }`,
      { s: start, d: days },
    ),
  ).addWorkingDays;
}

// ---- traffic -------------------------------------------------------------

/** A query to the population dataset by `department`, with a request id to find it in the trail. */
async function read(
  department: string,
  requestId: string,
  purpose: string,
  query: string,
): Promise<GraphQLResponse> {
  return platform.query(
    query,
    { id: PERSON },
    {
      ...(await as(department, 'APP_DEVELOPER')),
      'x-purpose': purpose,
      'x-request-id': requestId,
    },
  );
}

const NAME = `query($id: String!) { person(idNumber: $id) { name regionCode } }`;
const MASKED = `query($id: String!) { person(idNumber: $id) { name birthDate } }`;
/** Civil affairs may read the name but not the phone: answered in part. */
const PARTIAL = `query($id: String!) { person(idNumber: $id) { name phone } }`;
/** Person from public_security, its water accounts from city_water, then each holder's name from public_security again. */
const TWO_STEPS = `query($id: String!) { person(idNumber: $id) { name utilityAccounts { accountNumber holderPerson { name } } } }`;

// ---- applications --------------------------------------------------------

const APPLY = `mutation($input: ApplicationInput!) { applyForAccess(input: $input) { id deadline } }`;

async function apply(department: string, dataset = 'PS-POP-001'): Promise<string> {
  const items = dataset === 'PS-POP-001' ? ['name'] : ['status'];
  return ok(
    await platform.query<{ applyForAccess: { id: string } }>(
      APPLY,
      {
        input: {
          dataset,
          items,
          purpose: 'supervision-test',
          scenario: 'Figures for the scorecard test.',
          legalBasis: 'Test regulation, art. 1.',
          requestedFrom: '2026-01-01',
          requestedUntil: '2027-12-31',
          modes: ['QUERY'],
        },
      },
      await as(department, 'APP_DEVELOPER'),
    ),
  ).applyForAccess.id;
}

async function approve(id: string): Promise<string> {
  return ok(
    await platform.query<{ approveSharingApplication: { grant: { id: string } } }>(
      `mutation($id: ID!, $c: GrantConditionsInput!) { approveSharingApplication(id: $id, conditions: $c) { grant { id } } }`,
      {
        id,
        c: {
          items: ['name'],
          purposes: ['supervision-test'],
          modes: ['QUERY'],
          validFrom: '2026-01-01',
          validUntil: '2027-12-31',
        },
      },
      await as('public_security', 'DEPT_IT'),
    ),
  ).approveSharingApplication.grant.id;
}

/**
 * Puts an application's submission on `submitted` and its answer (if any)
 * `workingDays` working days later, with the deadline it was given then
 * (`deadlineDays` working days after submission).
 */
async function backdate(
  id: string,
  submitted: string,
  workingDays: number | null,
  deadlineDays = 5,
): Promise<void> {
  const decided = workingDays === null ? null : await addWorkingDays(submitted, workingDays);
  await platform
    .platformDb('applications')
    .where({ id })
    .update({
      submitted_at: `${submitted}T00:00:00.000Z`,
      deadline: await addWorkingDays(submitted, deadlineDays),
      ...(decided ? { decided_at: `${decided}T09:30:00.000Z` } : {}),
    });
}

// ---- data error reports --------------------------------------------------

async function reportError(
  department: string,
  role: Role,
  dataset = 'PS-POP-001',
  item = 'address',
): Promise<string> {
  return ok(
    await platform.query<{ reportDataError: { id: string } }>(
      `mutation($input: DataErrorReportInput!) { reportDataError(input: $input) { id } }`,
      {
        input: {
          dataset,
          recordKey: dataset === 'PS-POP-001' ? PERSON : 'WA0000000001',
          item,
          description: 'Looks wrong.',
        },
      },
      await as(department, role),
    ),
  ).reportDataError.id;
}

async function answerError(id: string, outcome: string, department = 'public_security') {
  ok(
    await platform.query(
      `mutation($id: ID!, $o: DataErrorOutcome!) { answerDataError(id: $id, outcome: $o, reason: "Checked.") { status } }`,
      { id, o: outcome },
      await as(department, 'DEPT_IT'),
    ),
  );
}

/** Puts a report on `reported`, answered (if at all) `workingDays` working days later. */
async function backdateReport(
  id: string,
  reported: string,
  workingDays: number | null,
  deadline?: string,
): Promise<void> {
  const answered = workingDays === null ? null : await addWorkingDays(reported, workingDays);
  await platform
    .platformDb('error_reports')
    .where({ id })
    .update({
      reported_at: `${reported}T02:00:00.000Z`,
      ...(answered ? { answered_at: `${answered}T10:00:00.000Z` } : {}),
      ...(deadline ? { deadline } : {}),
    });
}

// ---- catalogue -----------------------------------------------------------

function entryDocument(code: string, department: string): string {
  const suffix = code.replace(/-/g, '').toLowerCase();
  return JSON.stringify({
    code,
    name: `Scorecard test dataset ${code}`,
    summary: `A dataset drafted by the scorecard tests (${code}).`,
    classification: 'DEPARTMENT',
    theme: 'testing',
    department,
    format: 'DATABASE',
    updateCycle: 'DAILY',
    publishedOn: '2026-01-05',
    sharing: {
      type: 'CONDITIONAL',
      conditions: 'For the tests only.',
      legalBasis: 'Test regulation, art. 1.',
      modes: ['QUERY'],
    },
    binding: { table: `t_${suffix}`, type: `Sct${suffix}`, key: ['recordNumber'] },
    items: [
      {
        name: 'recordNumber',
        title: `记录编号 ${code}`,
        description: 'Number of the record.',
        type: 'STRING',
        column: 'record_number',
        sensitivity: 'INTERNAL',
      },
    ],
  });
}

async function draft(code: string, department: string, triggerDate: string): Promise<number> {
  // Submission checks the binding against the department's database: the table must exist.
  const table = `t_${code.replace(/-/g, '').toLowerCase()}`;
  const db = platform.databases.get(department);
  if (db && !(await db.schema.hasTable(table))) {
    await db.schema.createTable(table, (t) => t.string('record_number', 64).primary());
  }
  return ok(
    await platform.query<{ saveCatalogueDraft: { version: number } }>(
      `mutation($doc: String!, $t: String!) { saveCatalogueDraft(document: $doc, changeReason: "Scorecard test", triggerDate: $t) { version } }`,
      { doc: entryDocument(code, department), t: triggerDate },
      await as(department, 'DEPT_IT'),
    ),
  ).saveCatalogueDraft.version;
}

async function submit(code: string, version: number, department: string): Promise<void> {
  ok(
    await platform.query(
      `mutation($c: String!, $v: Int!) { submitCatalogueEntry(code: $c, version: $v) { status } }`,
      { c: code, v: version },
      await as(department, 'DEPT_IT'),
    ),
  );
}

// ---- the scorecard -------------------------------------------------------

const SCORECARD = `query($d: String!, $from: String!, $to: String!) {
  departmentScorecard(department: $d, from: $from, to: $to) {
    department from to computedAt
    catalogue { datasetsRegistered overdueUpdates overdueDatasets }
    applications { received answered medianReplyWorkingDays replyDeadlineWorkingDays answeredLate unansweredOverdue }
    activeGrants
    accesses { served masked partial denied deniedByReason { reason requests } byDataset { dataset served masked partial denied } }
    dataErrors { received open overdue answered medianTurnaroundWorkingDays }
  }
}`;

interface Scorecard {
  department: string;
  from: string;
  to: string;
  computedAt: string;
  [figures: string]: unknown;
}

function scorecard(
  headers: Record<string, string>,
  department: string,
  from = FROM,
  to = TO,
): Promise<GraphQLResponse<{ departmentScorecard: Scorecard }>> {
  return platform.query(SCORECARD, { d: department, from, to }, headers);
}

async function figures(department: string, from = FROM, to = TO) {
  const { computedAt, ...rest } = ok(
    await scorecard(await as('data_office', 'REVIEWER'), department, from, to),
  ).departmentScorecard;
  expect(Date.parse(computedAt)).not.toBeNaN();
  return rest;
}

describe('the scorecard of a providing department', () => {
  const REPLY_DAYS = () => testConfig(platform.database).applicationReplyWorkingDays;

  beforeAll(async () => {
    // Traffic on PS-POP-001. Served: market supervision twice (ALLOWED), civil
    // affairs once through two plan steps (ALLOWED, counted once), once with
    // the birth date masked (MASKED) and once with the phone denied (PARTIAL).
    // Denied: transport twice (no grant), civil affairs once for a purpose its
    // grant does not allow. Requests count by the platform's ids: the
    // X-Request-Id each sends is only its correlation id.
    for (const response of [
      await read('market_supervision', 'sc-ms-1', 'enterprise-registration', NAME),
      await read('market_supervision', 'sc-ms-2', 'enterprise-registration', NAME),
      await read('civil_affairs', 'sc-ca-two-steps', 'social-assistance', TWO_STEPS),
      await read('civil_affairs', 'sc-ca-masked', 'social-assistance', MASKED),
    ])
      expect(response.errors).toBeUndefined();
    for (const response of [
      await read('transport', 'sc-tr-1', 'road-safety', NAME),
      await read('transport', 'sc-tr-2', 'road-safety', NAME),
      await read('civil_affairs', 'sc-ca-purpose', 'tax-collection', NAME),
    ])
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const partial = await read('civil_affairs', 'sc-ca-partial', 'social-assistance', PARTIAL);
    expect(partial.errors?.map((e) => e.path?.join('.'))).toEqual(['person.phone']);
    expect(partial.data).toMatchObject({ person: { name: expect.any(String), phone: null } });

    // Applications to public security: answered after 3 (on time), 7 (late, rejected),
    // 1 (its grant then revoked) and 4 working days (late, see below); one unanswered past its deadline;
    // one fresh; one withdrawn. Outside the period or not public security's: three more.
    const psIt = await as('public_security', 'DEPT_IT');
    const a1 = await apply('tax');
    await approve(a1);
    await backdate(a1, FROM, 3);
    const a2 = await apply('housing');
    ok(
      await platform.query(
        `mutation($id: ID!) { rejectSharingApplication(id: $id, reason: "No legal basis.") { status } }`,
        { id: a2 },
        psIt,
      ),
    );
    await backdate(a2, shift(FROM, 7), 7);
    const a3 = await apply('statistics');
    const revoked = await approve(a3);
    await backdate(a3, shift(FROM, 14), 1);
    ok(
      await platform.query(
        `mutation($id: ID!) { revokeGrant(id: $id, reason: "Test") { status } }`,
        { id: revoked },
        await as('data_office', 'ADMIN'),
      ),
    );
    // Given 3 working days under an earlier setting, answered in 4: late, though
    // within today's 5.
    const a4 = await apply('culture');
    await approve(a4);
    await backdate(a4, shift(FROM, 18), 4, 3);
    await backdate(await apply('natural_resources'), shift(FROM, 21), null);
    await apply('education');
    const a6 = await apply('health');
    ok(
      await platform.query(
        `mutation($id: ID!) { withdrawSharingApplication(id: $id) { status } }`,
        { id: a6 },
        await as('health', 'APP_DEVELOPER'),
      ),
    );
    const before = await apply('finance');
    await approve(before);
    await backdate(before, shift(FROM, -3), 2);
    await backdate(await apply('hangzhou_civil_affairs'), TO, null);
    await apply('tax', 'CW-ACC-001');

    // Grants not active now: one that ended, one that has not begun.
    for (const [consumer, validFrom, validUntil] of [
      ['housing', '2025-01-01', '2025-12-31'],
      ['education', '2027-06-01', '2027-12-31'],
    ] as const) {
      ok(
        await platform.query(
          `mutation($input: GrantInput!) { createGrant(input: $input, reason: "Test") { id } }`,
          {
            input: {
              consumerDepartment: consumer,
              dataset: 'PS-POP-001',
              conditions: {
                items: ['name'],
                purposes: ['supervision-test'],
                modes: ['QUERY'],
                validFrom,
                validUntil,
              },
            },
          },
          await as('data_office', 'ADMIN'),
        ),
      );
    }

    // Data error reports: answered in 2 and 5 working days; one open past its
    // deadline; one fresh. Not counted: one to city water, one before the period.
    const e1 = await reportError('civil_affairs', 'APP_DEVELOPER');
    await answerError(e1, 'CORRECTED');
    await backdateReport(e1, shift(FROM, 2), 2);
    const e2 = await reportError('civil_affairs', 'APP_DEVELOPER', 'PS-POP-001', 'name');
    await answerError(e2, 'REJECTED');
    await backdateReport(e2, shift(FROM, 9), 5);
    await backdateReport(
      await reportError('civil_affairs', 'DEPT_IT'),
      shift(FROM, 30),
      null,
      shift(FROM, 37),
    );
    // A report is on an item the reporter was given: Hangzhou's grant gives names, not addresses.
    await reportError('hangzhou_civil_affairs', 'APP_DEVELOPER', 'PS-POP-001', 'name');
    await reportError('tax', 'APP_DEVELOPER', 'CW-ACC-001', 'status');
    await backdateReport(
      await reportError('hangzhou_civil_affairs', 'APP_DEVELOPER', 'PS-POP-001', 'name'),
      shift(FROM, -1),
      null,
    );

    // Catalogue changes: a draft and a rejected version past their deadline; a
    // draft within it; a submitted one (registered, awaiting review) past it.
    await draft('PS-SCT-001', 'public_security', '2026-03-02');
    await draft('PS-SCT-002', 'public_security', TODAY);
    const rejected = await draft('PS-SCT-003', 'public_security', '2026-03-02');
    await submit('PS-SCT-003', rejected, 'public_security');
    ok(
      await platform.query(
        `mutation { rejectCatalogueEntry(code: "PS-SCT-003", version: 1, reason: "Incomplete.") { status } }`,
        {},
        await as('data_office', 'REVIEWER'),
      ),
    );
    await submit(
      'PS-SCT-004',
      await draft('PS-SCT-004', 'public_security', '2026-03-02'),
      'public_security',
    );
    await draft('CW-SCT-001', 'city_water', '2026-03-02');
  });

  it('sees one request through two plan steps as two audit records', async () => {
    const records = await platform
      .platformDb('audit_records')
      // The client's X-Request-Id is kept as the correlation id; the platform makes the request id.
      .where({ correlation_id: 'sc-ca-two-steps', kind: 'ACCESS', dataset_code: 'PS-POP-001' })
      .select('decision');
    expect(records).toEqual([{ decision: 'ALLOWED' }, { decision: 'ALLOWED' }]);
  });

  it('counts every figure of public security exactly', async () => {
    expect(await figures('public_security')).toEqual({
      department: 'public_security',
      from: FROM,
      to: TO,
      catalogue: {
        datasetsRegistered: 1,
        overdueUpdates: 2,
        overdueDatasets: ['PS-SCT-001', 'PS-SCT-003'],
      },
      applications: {
        received: 7,
        answered: 4,
        // Of 1, 3, 4 and 7 working days.
        medianReplyWorkingDays: 3.5,
        replyDeadlineWorkingDays: REPLY_DAYS(),
        answeredLate: 2,
        unansweredOverdue: 1,
      },
      // Three demo grants, and the approvals of tax, culture and finance.
      activeGrants: 6,
      accesses: {
        served: 5,
        masked: 1,
        partial: 1,
        denied: 3,
        // Requests denied outright; the partly denied one is counted in partial.
        deniedByReason: [
          { reason: 'NO_GRANT', requests: 2 },
          { reason: 'PURPOSE_NOT_ALLOWED', requests: 1 },
        ],
        byDataset: [{ dataset: 'PS-POP-001', served: 5, masked: 1, partial: 1, denied: 3 }],
      },
      dataErrors: {
        received: 4,
        open: 2,
        overdue: 1,
        answered: 2,
        medianTurnaroundWorkingDays: 3.5,
      },
    });
  });

  it('counts only what arrived in the period: up to yesterday, none of today', async () => {
    expect(await figures('public_security', FROM, TODAY)).toMatchObject({
      applications: {
        received: 5,
        answered: 4,
        medianReplyWorkingDays: 3.5,
        replyDeadlineWorkingDays: REPLY_DAYS(),
        answeredLate: 2,
        unansweredOverdue: 1,
      },
      accesses: {
        served: 0,
        masked: 0,
        partial: 0,
        denied: 0,
        deniedByReason: [],
        byDataset: [],
      },
      dataErrors: {
        received: 3,
        open: 1,
        overdue: 1,
        answered: 2,
        medianTurnaroundWorkingDays: 3.5,
      },
    });
    // A period with nothing in it: medians are null, stocks stay.
    expect(await figures('public_security', '2020-01-01', '2020-02-01')).toMatchObject({
      catalogue: { datasetsRegistered: 1, overdueUpdates: 2 },
      applications: { received: 0, answered: 0, medianReplyWorkingDays: null },
      activeGrants: 6,
      dataErrors: { received: 0, medianTurnaroundWorkingDays: null },
    });
  });

  it("keeps each department's figures apart", async () => {
    expect(await figures('city_water')).toEqual({
      department: 'city_water',
      from: FROM,
      to: TO,
      catalogue: { datasetsRegistered: 1, overdueUpdates: 1, overdueDatasets: ['CW-SCT-001'] },
      applications: {
        received: 1,
        answered: 0,
        medianReplyWorkingDays: null,
        replyDeadlineWorkingDays: REPLY_DAYS(),
        answeredLate: 0,
        unansweredOverdue: 0,
      },
      activeGrants: 3,
      // civil_affairs's one read of water accounts: masked, the account number embedding the
      // region of the address its grant masks.
      accesses: {
        served: 1,
        masked: 1,
        partial: 0,
        denied: 0,
        deniedByReason: [],
        byDataset: [{ dataset: 'CW-ACC-001', served: 1, masked: 1, partial: 0, denied: 0 }],
      },
      dataErrors: {
        received: 1,
        open: 1,
        overdue: 0,
        answered: 0,
        medianTurnaroundWorkingDays: null,
      },
    });
  });
});

describe('who may see a scorecard', () => {
  it('shows DEPT_IT its own department, the same figures a reviewer and an admin see', async () => {
    const own = ok(
      await scorecard(await as('public_security', 'DEPT_IT'), 'public_security'),
    ).departmentScorecard;
    const admin = ok(
      await scorecard(await as('data_office', 'ADMIN'), 'public_security'),
    ).departmentScorecard;
    const withoutTime = ({ computedAt, ...figures }: Scorecard) => {
      expect(Date.parse(computedAt)).not.toBeNaN();
      return figures;
    };
    expect(withoutTime(own)).toEqual(await figures('public_security'));
    expect(withoutTime(admin)).toEqual(withoutTime(own));
  });

  it("refuses another department's DEPT_IT, developers, and anonymous callers", async () => {
    expect(
      refused(await scorecard(await as('city_water', 'DEPT_IT'), 'public_security'), 'FORBIDDEN'),
    ).toContain('city_water');
    refused(
      await scorecard(await as('public_security', 'APP_DEVELOPER'), 'public_security'),
      'FORBIDDEN',
    );
    refused(
      await scorecard(await as('civil_affairs', 'APP_DEVELOPER'), 'public_security'),
      'FORBIDDEN',
    );
    refused(await scorecard({}, 'public_security'), 'UNAUTHENTICATED');
  });

  it('refuses a period that is not [from, to) of dates, and an unknown department', async () => {
    const reviewer = await as('data_office', 'REVIEWER');
    for (const [from, to] of [
      ['2026-02-30', '2026-03-31'],
      ['2026-01-01', '2026-13-01'],
      ['2026-01-01T00:00:00Z', '2026-02-01'],
      ['2026-02-01', '2026-01-01'],
      ['2026-02-01', '2026-02-01'],
    ] as const) {
      expect(
        refused(await scorecard(reviewer, 'public_security', from, to), 'BAD_USER_INPUT'),
      ).toContain('YYYY-MM-DD');
    }
    for (const department of ['civil_affairs', 'public-security']) {
      expect(refused(await scorecard(reviewer, department), 'BAD_USER_INPUT')).toContain(
        'public_security',
      );
    }
  });
});

describe('figures over time, for the console charts', () => {
  const COUNTS = `query($d: String!, $from: String!, $to: String!, $i: Interval) {
    datasetAccessCounts(department: $d, from: $from, to: $to, interval: $i) {
      period consumerDepartment dataset served denied records
    }
  }`;
  const TREND = `query($from: String!, $to: String!, $i: Interval) {
    scorecardTrend(from: $from, to: $to, interval: $i) {
      department period served denied records applicationsReceived applicationsAnswered
      applicationsAnsweredLate errorReportsReceived errorReportsAnswered
    }
  }`;
  /** Today and tomorrow as civil days in the platform's zone, where the charts count days. */
  const civilToday = () => civilDateIn(new Date());
  const civilTomorrow = () => shift(civilToday(), 1);

  interface Count {
    period: string;
    consumerDepartment: string | null;
    dataset: string;
    served: number;
    denied: number;
    records: number;
  }
  const sum = <T>(rows: readonly T[], pick: (row: T) => number) =>
    rows.reduce((total, row) => total + pick(row), 0);

  it("counts who read public security's data by consumer and day, as the scorecard counts requests", async () => {
    const counts = ok(
      await platform.query<{ datasetAccessCounts: Count[] }>(
        COUNTS,
        { d: 'public_security', from: shift(civilToday(), -6), to: civilTomorrow(), i: 'DAY' },
        await as('public_security', 'DEPT_IT'),
      ),
    ).datasetAccessCounts;
    // All of the test's traffic happened today, in the platform's time zone.
    expect(new Set(counts.map((c) => c.period))).toEqual(new Set([civilToday()]));
    const byConsumer = (department: string) =>
      counts.filter((c) => c.consumerDepartment === department);
    expect(byConsumer('market_supervision')).toEqual([
      {
        period: civilToday(),
        consumerDepartment: 'market_supervision',
        dataset: 'PS-POP-001',
        served: 2,
        denied: 0,
        records: 2,
      },
    ]);
    expect(byConsumer('transport')).toMatchObject([{ served: 0, denied: 2, records: 0 }]);
    // Two steps, masked, partial served; one purpose refused.
    expect(byConsumer('civil_affairs')).toMatchObject([{ served: 3, denied: 1 }]);
    // The same totals as the scorecard's requests served and denied.
    expect(sum(counts, (c) => c.served)).toBe(5);
    expect(sum(counts, (c) => c.denied)).toBe(3);

    // By week and by month: the same requests, in the period that holds today.
    for (const interval of ['WEEK', 'MONTH'] as const) {
      const grouped = ok(
        await platform.query<{ datasetAccessCounts: Count[] }>(
          COUNTS,
          { d: 'public_security', from: shift(civilToday(), -6), to: civilTomorrow(), i: interval },
          await as('data_office', 'REVIEWER'),
        ),
      ).datasetAccessCounts;
      expect(sum(grouped, (c) => c.served)).toBe(5);
      expect(grouped.every((c) => c.period <= civilToday())).toBe(true);
      if (interval === 'MONTH') expect(grouped[0]!.period).toBe(`${civilToday().slice(0, 7)}-01`);
    }
    // A day before today holds none of it.
    expect(
      ok(
        await platform.query<{ datasetAccessCounts: Count[] }>(
          COUNTS,
          { d: 'public_security', from: shift(civilToday(), -6), to: civilToday() },
          await as('public_security', 'DEPT_IT'),
        ),
      ).datasetAccessCounts,
    ).toEqual([]);
  });

  it("shows every department's figures per week and month, the same in both", async () => {
    const reviewer = await as('data_office', 'REVIEWER');
    const trend = async (interval: 'WEEK' | 'MONTH') =>
      ok(
        await platform.query<{
          scorecardTrend: (Record<string, number> & { department: string; period: string })[];
        }>(TREND, { from: FROM, to: civilTomorrow(), i: interval }, reviewer),
      ).scorecardTrend;
    const [weeks, months] = await Promise.all([trend('WEEK'), trend('MONTH')]);
    const totals = (points: typeof weeks, department: string) => {
      const own = points.filter((p) => p.department === department);
      return Object.fromEntries(
        [
          'served',
          'denied',
          'applicationsReceived',
          'applicationsAnswered',
          'applicationsAnsweredLate',
          'errorReportsReceived',
          'errorReportsAnswered',
        ].map((figure) => [figure, sum(own, (p) => p[figure]!)]),
      );
    };
    const ps = totals(months, 'public_security');
    expect(totals(weeks, 'public_security')).toEqual(ps);
    expect(ps).toMatchObject({
      served: 5,
      denied: 3,
      // Answered after 3, 7, 1 and 4 working days; the 7 and the 4 after their deadline.
      applicationsAnswered: 4,
      applicationsAnsweredLate: 2,
      errorReportsReceived: 4,
      errorReportsAnswered: 2,
    });
    // Five backdated into the period and two of today; one dated on the UTC day after
    // is inside it once that day has begun in the platform's zone.
    expect([7, 8]).toContain(ps.applicationsReceived);
    expect(totals(months, 'city_water')).toMatchObject({ served: 1, denied: 0 });
    // Every providing department has a point in every period, zeros included.
    const departments = new Set(months.map((p) => p.department));
    expect(departments.has('natural_resources')).toBe(true);
    expect(months.length % departments.size).toBe(0);
    expect(
      weeks.every(
        (p) =>
          weeks.filter((q) => q.department === p.department).length ===
          weeks.length / departments.size,
      ),
    ).toBe(true);
  });

  it('refuses other departments, developers, anonymous callers and periods too long or not dates', async () => {
    const variables = { d: 'public_security', from: shift(civilToday(), -6), to: civilTomorrow() };
    expect(
      refused(
        await platform.query(COUNTS, variables, await as('city_water', 'DEPT_IT')),
        'FORBIDDEN',
      ),
    ).toContain('city_water');
    refused(
      await platform.query(COUNTS, variables, await as('public_security', 'APP_DEVELOPER')),
      'FORBIDDEN',
    );
    refused(await platform.query(COUNTS, variables), 'UNAUTHENTICATED');
    for (const role of ['DEPT_IT', 'APP_DEVELOPER'] as const) {
      refused(
        await platform.query(
          TREND,
          { from: FROM, to: civilTomorrow() },
          await as('public_security', role),
        ),
        'FORBIDDEN',
      );
    }
    const reviewer = await as('data_office', 'REVIEWER');
    for (const [from, to, interval] of [
      ['2025-01-01', '2026-02-01', 'DAY'],
      ['2020-01-01', '2026-01-01', 'MONTH'],
      ['2026-02-30', '2026-03-02', 'DAY'],
      ['2026-03-02', '2026-03-01', 'DAY'],
      ["2026-01-01' or 1=1 --", '2026-02-01', 'DAY'],
    ] as const) {
      refused(
        await platform.query(COUNTS, { ...variables, from, to, i: interval }, reviewer),
        'BAD_USER_INPUT',
      );
    }
    refused(
      await platform.query(TREND, { from: '2020-01-01', to: '2026-01-01', i: 'WEEK' }, reviewer),
      'BAD_USER_INPUT',
    );
  });
});
