import { civilDateIn } from '../../schema/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSON_INDEX, personIdNumberAt } from '../../subgraphs/demo-data/index.ts';
import {
  startTestPlatform,
  type GraphQLResponse,
  type TestPlatform,
} from '../support/testPlatform.ts';
import { ok, refused } from '../support/responses.ts';
import { MAX_OPEN_REPORTS } from '../../subgraphs/platform/services/errorReports.ts';

/**
 * Data error reports (数据纠错) through the gateway, as the consuming and the
 * providing department would use them: report, see, answer, see the answer.
 */

const PERSON = personIdNumberAt(DEMO_PERSON_INDEX);

type Role = 'DEPT_IT' | 'REVIEWER' | 'APP_DEVELOPER' | 'ADMIN';
type Caller =
  'caDev' | 'caIt' | 'psIt' | 'psDev' | 'cwIt' | 'taxDev' | 'reviewer' | 'admin' | 'anonymous';

let platform: TestPlatform;
let as: Record<Caller, Record<string, string>>;

beforeAll(async () => {
  platform = await startTestPlatform('sqlite');
  const bearer = async (department: string, role: Role, user: string) => ({
    authorization: `Bearer ${await platform.token({ department, roles: [role], user })}`,
  });
  as = {
    caDev: await bearer('civil_affairs', 'APP_DEVELOPER', 'chen.dev'),
    caIt: await bearer('civil_affairs', 'DEPT_IT', 'wu.it'),
    psIt: await bearer('public_security', 'DEPT_IT', 'li.it'),
    psDev: await bearer('public_security', 'APP_DEVELOPER', 'he.dev'),
    cwIt: await bearer('city_water', 'DEPT_IT', 'wang.it'),
    taxDev: await bearer('tax', 'APP_DEVELOPER', 'qian.dev'),
    reviewer: await bearer('data_office', 'REVIEWER', 'zhao.reviewer'),
    admin: await bearer('data_office', 'ADMIN', 'sun.admin'),
    anonymous: {},
  };
});
afterAll(() => platform?.close());

const gql = <T = Record<string, unknown>>(
  caller: Caller,
  query: string,
  variables: Record<string, unknown> = {},
) => platform.query<T>(query, variables, as[caller]);

interface Report {
  id: string;
  dataset: string;
  providerDepartment: string;
  reporterDepartment: string;
  reporter: string;
  recordKey: string;
  item: string;
  description: string;
  status: string;
  deadline: string;
  overdue: boolean;
  reportedAt: string;
  answeredBy: string | null;
  answeredAt: string | null;
  answerReason: string | null;
}

const FIELDS = `id dataset providerDepartment reporterDepartment reporter recordKey item description status deadline overdue reportedAt answeredBy answeredAt answerReason`;
const REPORT = `mutation($input: DataErrorReportInput!) { reportDataError(input: $input) { ${FIELDS} } }`;
const ANSWER = `mutation($id: ID!, $outcome: DataErrorOutcome!, $reason: String) { answerDataError(id: $id, outcome: $outcome, reason: $reason) { ${FIELDS} } }`;
const LIST = `query($status: DataErrorStatus) { dataErrorReports(status: $status) { ${FIELDS} } }`;
const OVERDUE = `query { overdueDataErrorReports { ${FIELDS} } }`;

async function report(
  caller: Caller,
  input: Partial<{ dataset: string; recordKey: string; item: string; description: string }> = {},
): Promise<Report> {
  return ok(
    await gql<{ reportDataError: Report }>(caller, REPORT, {
      input: {
        dataset: 'PS-POP-001',
        recordKey: PERSON,
        item: 'address',
        description: 'The registered address names a street that was renamed in 2024.',
        ...input,
      },
    }),
  ).reportDataError;
}

async function answer(
  caller: Caller,
  id: string,
  outcome: string,
  reason?: string | null,
): Promise<GraphQLResponse<{ answerDataError: Report }>> {
  return gql<{ answerDataError: Report }>(caller, ANSWER, { id, outcome, reason });
}

async function listed(caller: Caller, status?: string): Promise<Report[]> {
  return ok(await gql<{ dataErrorReports: Report[] }>(caller, LIST, { status })).dataErrorReports;
}

/** Reports stored, whoever made them. */
async function reportCount(): Promise<number> {
  return Number(
    (await platform.platformDb('error_reports').count<{ n: number }[]>({ n: '*' }))[0]!.n,
  );
}

async function storedRow(id: string): Promise<Record<string, unknown> | undefined> {
  return (await platform.platformDb('error_reports').where({ id }).first()) as
    Record<string, unknown> | undefined;
}

/** Today's date where the platform runs (TIME_ZONE, Asia/Shanghai by default), as it dates deadlines. */
const today = () => civilDateIn(new Date());

async function addWorkingDays(start: string, days: number): Promise<string> {
  return ok(
    await gql<{ addWorkingDays: string }>(
      'anonymous',
      `query($s: String!, $d: Int!) { addWorkingDays(start: $s, days: $d) }`,
      { s: start, d: days },
    ),
  ).addWorkingDays;
}

describe('the path, as the two departments walk it', () => {
  it('civil affairs reports a wrong address of a person it read; public security corrects it; the reporter sees the answer', async () => {
    // Civil affairs reads the person under its grant and finds the address wrong.
    const read = ok(
      await platform.query<{ person: { idNumber: string; address: string } }>(
        `query($id: String!) { person(idNumber: $id) { idNumber address } }`,
        { id: PERSON },
        { ...as.caDev, 'x-purpose': 'social-assistance' },
      ),
    ).person;
    // Civil Affairs reads birth dates to the year: the ID number that embeds them shows its region only.
    expect(read.idNumber).toBe(`${PERSON.slice(0, 6)}****`);
    expect(read.address.length).toBeGreaterThan(0);

    const made = await report('caDev');
    expect(made).toMatchObject({
      dataset: 'PS-POP-001',
      providerDepartment: 'public_security',
      reporterDepartment: 'civil_affairs',
      reporter: 'civil_affairs/chen.dev',
      recordKey: PERSON,
      item: 'address',
      description: 'The registered address names a street that was renamed in 2024.',
      status: 'OPEN',
      overdue: false,
      answeredBy: null,
      answeredAt: null,
      answerReason: null,
    });
    expect(made.id).toMatch(/^ERR-/);
    // Five working days (the platform's setting) from today.
    expect(made.deadline).toBe(await addWorkingDays(today(), 5));

    // Public Security sees it among its open reports.
    expect(await listed('psIt', 'OPEN')).toContainEqual(made);
    expect((await listed('psIt', 'CORRECTED')).map((r) => r.id)).not.toContain(made.id);

    // And corrects the record.
    const corrected = ok(
      await answer('psIt', made.id, 'CORRECTED', 'Address updated from the household register.'),
    ).answerDataError;
    expect(corrected).toMatchObject({
      id: made.id,
      status: 'CORRECTED',
      answeredBy: 'public_security/li.it',
      answerReason: 'Address updated from the household register.',
      overdue: false,
    });
    expect(Date.parse(corrected.answeredAt!)).toBeGreaterThanOrEqual(Date.parse(made.reportedAt));

    // The reporter sees the answer.
    const seen = (await listed('caDev')).find((r) => r.id === made.id);
    expect(seen).toEqual(corrected);
    expect((await listed('caDev', 'CORRECTED')).map((r) => r.id)).toContain(made.id);
    expect((await listed('caDev', 'OPEN')).map((r) => r.id)).not.toContain(made.id);
    expect(await storedRow(made.id)).toMatchObject({
      status: 'CORRECTED',
      answered_by: 'public_security/li.it',
    });
  });

  it('takes a correction without a note', async () => {
    const made = await report('caIt', { item: 'ethnicity' });
    const corrected = ok(await answer('psIt', made.id, 'CORRECTED')).answerDataError;
    expect(corrected).toMatchObject({ status: 'CORRECTED', answerReason: null });
  });
});

describe('answers', () => {
  it('needs a reason to reject or to call it no error, and changes nothing without one', async () => {
    const made = await report('caIt', {
      item: 'birthDate',
      description: 'The birth date is after the date the identity card was issued.',
    });
    expect(made.reporter).toBe('civil_affairs/wu.it');
    const before = await storedRow(made.id);
    for (const [outcome, reason] of [
      ['REJECTED', undefined],
      ['REJECTED', null],
      ['REJECTED', '   '],
      ['NOT_AN_ERROR', undefined],
      ['NOT_AN_ERROR', ''],
    ] as const) {
      const message = refused(await answer('psIt', made.id, outcome, reason), 'BAD_USER_INPUT');
      expect(message).toContain('reason');
    }
    expect(await storedRow(made.id)).toEqual(before);

    const rejected = ok(
      await answer('psIt', made.id, 'REJECTED', 'The birth date matches the birth certificate.'),
    ).answerDataError;
    expect(rejected).toMatchObject({
      status: 'REJECTED',
      answerReason: 'The birth date matches the birth certificate.',
      answeredBy: 'public_security/li.it',
    });
    const seen = (await listed('caIt', 'REJECTED')).find((r) => r.id === made.id);
    expect(seen).toEqual(rejected);
  });

  it('answers NOT_AN_ERROR with a reason', async () => {
    const made = await report('caDev', { item: 'name' });
    const answered = ok(
      await answer('psIt', made.id, 'NOT_AN_ERROR', 'The name is written as registered.'),
    ).answerDataError;
    expect(answered).toMatchObject({
      status: 'NOT_AN_ERROR',
      answerReason: 'The name is written as registered.',
    });
  });

  it('answers a report once: a second answer is CONFLICT and changes nothing', async () => {
    const made = await report('caDev');
    ok(await answer('psIt', made.id, 'CORRECTED', 'Fixed.'));
    const before = await storedRow(made.id);
    for (const [outcome, reason] of [
      ['CORRECTED', 'Fixed again.'],
      ['REJECTED', 'Changed our mind.'],
      ['NOT_AN_ERROR', 'Changed our mind.'],
      // The state is what is wrong, not the missing reason.
      ['REJECTED', undefined],
    ] as const) {
      const message = refused(await answer('psIt', made.id, outcome, reason), 'CONFLICT');
      expect(message).toContain('CORRECTED');
    }
    expect(await storedRow(made.id)).toEqual(before);
  });

  it('is for DEPT_IT of the provider only', async () => {
    const made = await report('caDev');
    const before = await storedRow(made.id);
    // Another department's IT, and the reporting department's own IT.
    expect(refused(await answer('cwIt', made.id, 'CORRECTED'), 'FORBIDDEN')).toContain(
      'public_security',
    );
    refused(await answer('caIt', made.id, 'CORRECTED'), 'FORBIDDEN');
    // The provider's application developer, a reviewer, an admin: not DEPT_IT.
    for (const caller of ['psDev', 'reviewer', 'admin'] as const)
      refused(await answer(caller, made.id, 'NOT_AN_ERROR', 'No.'), 'FORBIDDEN');
    refused(await answer('anonymous', made.id, 'CORRECTED'), 'UNAUTHENTICATED');
    expect(await storedRow(made.id)).toEqual(before);
    refused(await answer('psIt', 'ERR-no-such-report', 'CORRECTED'), 'NOT_FOUND');
  });
});

describe('who sees which reports', () => {
  it('shows each report to the reporting and the providing department, reviewers and admins, and nobody else', async () => {
    const first = await report('caDev', { item: 'gender' });
    const second = await report('caIt', { item: 'regionCode' });
    ok(await answer('psIt', second.id, 'REJECTED', 'The region code is right.'));
    const water = await report('taxDev', {
      dataset: 'CW-ACC-001',
      recordKey: 'WA0000000001',
      item: 'status',
      description: 'The account is shown active but the premises were demolished.',
    });
    expect(water.providerDepartment).toBe('city_water');

    const ids = async (caller: Caller) => new Set((await listed(caller)).map((r) => r.id));
    const sees = {
      caDev: await ids('caDev'),
      caIt: await ids('caIt'),
      psIt: await ids('psIt'),
      psDev: await ids('psDev'),
      cwIt: await ids('cwIt'),
      taxDev: await ids('taxDev'),
      reviewer: await ids('reviewer'),
      admin: await ids('admin'),
    };
    const seen = (set: Set<string>) => [first.id, second.id, water.id].map((id) => set.has(id));
    expect({
      caDev: seen(sees.caDev),
      caIt: seen(sees.caIt),
      psIt: seen(sees.psIt),
      psDev: seen(sees.psDev),
      cwIt: seen(sees.cwIt),
      taxDev: seen(sees.taxDev),
      reviewer: seen(sees.reviewer),
      admin: seen(sees.admin),
    }).toEqual({
      caDev: [true, true, false],
      caIt: [true, true, false],
      psIt: [true, true, false],
      psDev: [true, true, false],
      cwIt: [false, false, true],
      taxDev: [false, false, true],
      reviewer: [true, true, true],
      admin: [true, true, true],
    });
    // Every report a department sees concerns it.
    for (const report of await listed('cwIt')) {
      expect([report.reporterDepartment, report.providerDepartment]).toContain('city_water');
    }
    refused(await gql('anonymous', LIST), 'UNAUTHENTICATED');
  });
});

describe('reporting', () => {
  it('refuses a report that is not valid, naming what is wrong, and records nothing', async () => {
    const before = await reportCount();
    const send = (caller: Caller, input: Record<string, unknown>) =>
      gql(caller, REPORT, {
        input: {
          dataset: 'PS-POP-001',
          recordKey: PERSON,
          item: 'address',
          description: 'Wrong.',
          ...input,
        },
      });
    refused(await send('caDev', { dataset: 'PS-NONE-001' }), 'NOT_FOUND');
    expect(refused(await send('caDev', { item: 'shoeSize' }), 'BAD_USER_INPUT')).toContain(
      'PS-POP-001 has no item shoeSize',
    );
    expect(refused(await send('caDev', { description: '  \n ' }), 'BAD_USER_INPUT')).toContain(
      'description',
    );
    expect(
      refused(await send('caDev', { description: '错'.repeat(2001) }), 'BAD_USER_INPUT'),
    ).toContain('2000');
    expect(refused(await send('caDev', { recordKey: ' ' }), 'BAD_USER_INPUT')).toContain(
      'recordKey',
    );
    expect(
      refused(await send('caDev', { recordKey: 'K'.repeat(201) }), 'BAD_USER_INPUT'),
    ).toContain('200');
    // The provider corrects its own data; it does not report to itself.
    expect(refused(await send('psIt', {}), 'BAD_USER_INPUT')).toContain('public_security');
    refused(await send('psDev', {}), 'BAD_USER_INPUT');
    // Reviewers and admins are not a consuming department's developers or IT.
    refused(await send('reviewer', {}), 'FORBIDDEN');
    refused(await send('admin', {}), 'FORBIDDEN');
    refused(await send('anonymous', {}), 'UNAUTHENTICATED');
    expect(await reportCount()).toBe(before);

    // The limits themselves are accepted, trimmed.
    const longest = await report('caDev', {
      recordKey: ` ${'K'.repeat(200)} `,
      description: '错'.repeat(2000),
    });
    expect(longest.recordKey).toBe('K'.repeat(200));
    expect(longest.description).toBe('错'.repeat(2000));
    expect(await reportCount()).toBe(before + 1);
  });
});

describe('who may report on what', () => {
  it('takes reports only on items given to the reporting department, and says so without looking the record up', async () => {
    const before = await reportCount();
    const send = (caller: Caller, input: Record<string, unknown>) =>
      gql(caller, REPORT, {
        input: { recordKey: PERSON, description: 'Looks wrong.', ...input },
      });
    // Tax holds no grant on the population (shared on conditions).
    expect(
      refused(await send('taxDev', { dataset: 'PS-POP-001', item: 'address' }), 'FORBIDDEN'),
    ).toContain('no grant of yours in force gives it');
    // Inspections are not shared outside market supervision: the same answer for any key.
    const notShared = await send('caDev', {
      dataset: 'MS-INS-001',
      item: 'result',
      recordKey: 'JC-made-up',
    });
    expect(refused(notShared, 'FORBIDDEN')).toContain('not shared outside market_supervision');
    const notSharedReal = await send('caDev', { dataset: 'MS-INS-001', item: 'result' });
    expect(notSharedReal.errors?.[0]?.message).toBe(notShared.errors![0]!.message);
    // Licences are shared with everyone, but the holder's number (a copy of the population's)
    // only on conditions: tax may report on the kind, not on the number.
    refused(
      await send('taxDev', { dataset: 'BE-LIC-001', item: 'holderIdNumber', recordKey: 'L1' }),
      'FORBIDDEN',
    );
    expect(await reportCount()).toBe(before);
    const kind = await report('taxDev', { dataset: 'BE-LIC-001', item: 'kind', recordKey: 'L1' });
    expect(kind.providerDepartment).toBe('business_environment');
    // A grant listing the item: civil affairs on the population's address.
    await report('caDev', { item: 'address' });
    expect(await reportCount()).toBe(before + 2);
  });
});

describe('overdue reports', () => {
  it('lists open reports past their deadline to both sides and to reviewers, and no others', async () => {
    const late = await report('caDev', { item: 'ethnicity' });
    const fresh = await report('caDev', { item: 'ethnicity' });
    const answeredLate = await report('caDev', { item: 'ethnicity' });
    ok(await answer('psIt', answeredLate.id, 'CORRECTED'));
    await platform
      .platformDb('error_reports')
      .whereIn('id', [late.id, answeredLate.id])
      .update({ deadline: '2026-01-05' });

    for (const caller of ['psIt', 'caDev', 'reviewer', 'admin'] as const) {
      const overdue = ok(
        await gql<{ overdueDataErrorReports: Report[] }>(caller, OVERDUE),
      ).overdueDataErrorReports;
      expect(overdue.find((r) => r.id === late.id)).toMatchObject({
        status: 'OPEN',
        deadline: '2026-01-05',
        overdue: true,
      });
      expect(overdue.map((r) => r.id)).not.toContain(fresh.id);
      expect(overdue.map((r) => r.id)).not.toContain(answeredLate.id);
      expect(overdue.every((r) => r.overdue && r.status === 'OPEN')).toBe(true);
    }
    for (const caller of ['cwIt', 'taxDev'] as const) {
      const overdue = ok(
        await gql<{ overdueDataErrorReports: Report[] }>(caller, OVERDUE),
      ).overdueDataErrorReports;
      expect(overdue.map((r) => r.id)).not.toContain(late.id);
    }
    // The flag shows in the ordinary list too; an answered report is never overdue.
    const all = await listed('psIt');
    expect(all.find((r) => r.id === late.id)?.overdue).toBe(true);
    expect(all.find((r) => r.id === fresh.id)?.overdue).toBe(false);
    expect(all.find((r) => r.id === answeredLate.id)?.overdue).toBe(false);
    refused(await gql('anonymous', OVERDUE), 'UNAUTHENTICATED');
  });
});

/** Copies of the stored report `id` under new ids, as if `count` more had been filed. */
async function copiesOf(id: string, count: number): Promise<void> {
  const row = (await platform.platformDb('error_reports').where({ id }).first()) as Record<
    string,
    unknown
  >;
  await platform
    .platformDb('error_reports')
    .insert(Array.from({ length: count }, (_, i) => ({ ...row, id: `${id}-copy-${i}` })));
}

const FILL_INPUT = {
  dataset: 'PS-POP-001',
  recordKey: PERSON,
  item: 'address',
  description: 'A report of many, to fill the list.',
};

describe('open reports of one department on one dataset', () => {
  it(`are at most ${MAX_OPEN_REPORTS}: the next is CONFLICT until the provider answers one`, async () => {
    const open = async () =>
      Number(
        (
          await platform
            .platformDb('error_reports')
            .where({ reporter_department: 'tax', dataset_code: 'CW-ACC-001', status: 'OPEN' })
            .count<{ n: number }[]>({ n: '*' })
        )[0]!.n,
      );
    const input = {
      dataset: 'CW-ACC-001',
      recordKey: 'any account',
      item: 'status',
      description: 'Looks closed to us.',
    };
    const first = ok(
      await gql<{ reportDataError: Report }>('taxDev', REPORT, { input }),
    ).reportDataError;
    await copiesOf(first.id, MAX_OPEN_REPORTS - (await open()));
    expect(await open()).toBe(MAX_OPEN_REPORTS);
    const before = await reportCount();
    const message = refused(await gql('taxDev', REPORT, { input }), 'CONFLICT');
    expect(message).toContain(`already has ${MAX_OPEN_REPORTS} open error reports on CW-ACC-001`);
    // Aliases do not get round it either.
    refused(
      await gql(
        'taxDev',
        `mutation($input: DataErrorReportInput!) { a: reportDataError(input: $input) { id } b: reportDataError(input: $input) { id } }`,
        { input },
      ),
      'CONFLICT',
    );
    expect(await reportCount()).toBe(before);
    ok(
      await gql('cwIt', ANSWER, {
        id: first.id,
        outcome: 'NOT_AN_ERROR',
        reason: 'The account is active.',
      }),
    );
    ok(await gql('taxDev', REPORT, { input }));
  });
});

describe('a list without a limit', () => {
  it('answers whole up to 200 rows and, beyond, is refused naming how to page, never cut short', async () => {
    const filed = ok(
      await gql<{ reportDataError: Report }>('caDev', REPORT, { input: FILL_INPUT }),
    ).reportDataError;
    await copiesOf(filed.id, 201);
    const whole = await gql('caDev', LIST);
    expect(refused(whole, 'BAD_USER_INPUT')).toContain(
      'More than 200 rows match; page through them with offset and limit',
    );
    // Paged, every report is there.
    const page = `query($offset: Int) { dataErrorReports(offset: $offset, limit: 200) { id } }`;
    const first = ok(await gql<{ dataErrorReports: { id: string }[] }>('caDev', page, {}));
    const rest = ok(
      await gql<{ dataErrorReports: { id: string }[] }>('caDev', page, { offset: 200 }),
    );
    expect(first.dataErrorReports).toHaveLength(200);
    expect(rest.dataErrorReports.length).toBeGreaterThan(0);
    expect(
      new Set([...first.dataErrorReports, ...rest.dataErrorReports].map((r) => r.id)).size,
    ).toBe(200 + rest.dataErrorReports.length);
  });
});
