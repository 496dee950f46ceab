import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personIdNumberAt } from '../../subgraphs/demo-data/index.ts';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.ts';
import { availableEngines } from '../support/testDatabase.ts';
import { ok, refused } from '../support/responses.ts';
import {
  patientWithRegistration,
  registerEntry,
  saveEntryDraft,
  submitEntry,
} from '../support/registerEntry.ts';

/**
 * Data quality, collection discipline, compliance and technical service units
 * (issue 18), through HTTP on the gateway: a dataset with planted faults is
 * registered, inspected, reported on and judged, and a service unit answers
 * an application for its department until it is revoked.
 */

const CODE = 'BE-HC-001';
const TABLE = 'health_certificates';

/** A CONDITIONAL dataset whose holder name copies the population record. */
const HEALTH_CERTIFICATES = {
  code: CODE,
  name: 'Health certificates (健康证明)',
  summary: 'Health certificates of food and public-place workers.',
  classification: 'DEPARTMENT',
  theme: 'electronic licences',
  department: 'business_environment',
  format: 'DATABASE',
  updateCycle: 'DAILY',
  publishedOn: '2026-11-21',
  sharing: {
    type: 'CONDITIONAL',
    conditions: 'For employers checking their staff.',
    legalBasis: 'Food Safety Law, art. 45.',
    modes: ['QUERY'],
  },
  binding: { table: TABLE, type: 'HealthCertificate', key: ['certNumber'] },
  items: [
    {
      name: 'certNumber',
      title: '证明编号',
      description: 'Number of the certificate.',
      type: 'STRING',
      column: 'cert_number',
      sensitivity: 'INTERNAL',
    },
    {
      name: 'holderIdNumber',
      title: '持证人身份号码',
      description: 'ID number of the holder.',
      type: 'STRING',
      column: 'holder_id_number',
      sensitivity: 'SENSITIVE',
      references: { type: 'Person', field: 'holder' },
    },
    {
      name: 'holderName',
      title: '持证人姓名',
      description: 'Name of the holder, copied from the population record.',
      type: 'STRING',
      column: 'holder_name',
      sensitivity: 'SENSITIVE',
      authoritative: false,
      source: 'PS-POP-001.name',
    },
    {
      name: 'kind',
      title: '证明类别',
      description: 'FOOD or PUBLIC_PLACE.',
      type: 'STRING',
      column: 'kind',
      sensitivity: 'INTERNAL',
      quality: { required: true, enumeration: ['FOOD', 'PUBLIC_PLACE'] },
    },
    {
      name: 'issuedOn',
      title: '发证日期',
      description: 'Day of issue; the newest says how fresh the dataset is.',
      type: 'DATE',
      column: 'issued_on',
      sensitivity: 'INTERNAL',
      element: 'issueDate',
      quality: { lastUpdated: true },
    },
  ],
};

/** The last character changed: still the pattern of an ID number, never its check character. */
const badCheck = (id: string) => id.slice(0, 17) + (id.endsWith('0') ? '1' : '0');

const RUN_FIELDS = `id dataset department triggeredBy records reportsOpened newestUpdate
  completeness { passed checked rate } validity { passed checked rate }
  consistency { passed checked rate } timeliness { passed checked rate }
  failures { item rule records sampleKeys }`;

interface Rate {
  passed: number;
  checked: number;
  rate: number | null;
}
interface Run {
  id: string;
  dataset: string;
  triggeredBy: string;
  records: number;
  reportsOpened: number;
  completeness: Rate;
  validity: Rate;
  consistency: Rate;
  timeliness: Rate;
  failures: { item: string; rule: string; records: number; sampleKeys: string[] }[];
}

type Caller = 'beIt' | 'msIt' | 'psIt' | 'reviewer' | 'admin' | 'caDev' | 'unit';

const ENGINES = await availableEngines();

describe.each(ENGINES)('on %s', (engine) => {
  let platform: TestPlatform;
  let as: Record<Caller, Record<string, string>>;
  const gql = <T = Record<string, unknown>>(
    caller: Caller,
    query: string,
    variables: Record<string, unknown> = {},
  ) => platform.query<T>(query, variables, as[caller]);

  const ids = Array.from({ length: 10 }, (_, i) => personIdNumberAt(i + 3));
  let names: Map<string, string>;

  beforeAll(async () => {
    platform = await startTestPlatform(engine, {}, patientWithRegistration);
    const bearer = async (department: string, role: string, user: string) => ({
      authorization: `Bearer ${await platform.token({ department, roles: [role as 'ADMIN'], user })}`,
    });
    as = {
      beIt: await bearer('business_environment', 'DEPT_IT', 'liu.it'),
      msIt: await bearer('market_supervision', 'DEPT_IT', 'ma.it'),
      psIt: await bearer('public_security', 'DEPT_IT', 'li.it'),
      reviewer: await bearer('data_office', 'REVIEWER', 'zhao.reviewer'),
      admin: await bearer('data_office', 'ADMIN', 'sun.admin'),
      caDev: await bearer('civil_affairs', 'APP_DEVELOPER', 'chen.dev'),
      unit: await bearer('zj_datatech', 'DEPT_IT', 'wu.unit'),
    };
    const persons = await platform.databases.get('public_security')!<{
      id_number: string;
      name: string;
    }>('persons')
      .whereIn('id_number', ids)
      .select('id_number', 'name');
    names = new Map(persons.map((p) => [p.id_number, p.name]));
    expect(names.size).toBe(10);

    // Ten certificates, all issued long ago (a stale table), with planted faults:
    // c07 and c08 hold ID numbers with a wrong check character (and no name),
    // c09 has no kind, c10's holder name differs from the population record.
    const db = platform.databases.get('business_environment')!;
    await db.schema.createTable(TABLE, (t) => {
      t.string('cert_number', 20).primary();
      t.string('holder_id_number', 18).nullable();
      t.string('holder_name', 64).nullable();
      t.string('kind', 20).nullable();
      t.date('issued_on').nullable();
    });
    await db(TABLE).insert(
      ids.map((id, i) => {
        const n = i + 1;
        return {
          cert_number: `c${String(n).padStart(2, '0')}`,
          holder_id_number: n === 7 || n === 8 ? badCheck(id) : id,
          holder_name: n === 7 || n === 8 ? null : n === 10 ? '错名字' : names.get(id),
          kind: n === 9 ? null : 'FOOD',
          issued_on: '2020-01-01',
        };
      }),
    );
  });
  afterAll(() => platform?.close());

  const UNCATALOGUED = `query($d: String!) { uncataloguedCollection(department: $d) { uncatalogued { table column } exemptions { table column reason grantedBy } } }`;
  type Findings = {
    uncatalogued: { table: string; column: string | null }[];
    exemptions: { table: string; column: string | null; reason: string; grantedBy: string }[];
  };
  const uncatalogued = async () =>
    ok(
      await gql<{ uncataloguedCollection: Findings }>('beIt', UNCATALOGUED, {
        d: 'business_environment',
      }),
    ).uncataloguedCollection;

  it('lists the new table as uncatalogued collection until it is catalogued', async () => {
    expect((await uncatalogued()).uncatalogued).toContainEqual({ table: TABLE, column: null });
    refused(await gql('msIt', UNCATALOGUED, { d: 'business_environment' }), 'FORBIDDEN');
    refused(await gql('caDev', UNCATALOGUED, { d: 'business_environment' }), 'FORBIDDEN');
  });

  it('refuses registering a second authoritative ID number, whatever the item is called', async () => {
    const doc = {
      ...HEALTH_CERTIFICATES,
      code: 'BE-HC-002',
      items: HEALTH_CERTIFICATES.items.map((item) =>
        item.name === 'holderIdNumber'
          ? { ...item, references: undefined, element: 'residentIdNumber' }
          : item,
      ),
    };
    await saveEntryDraft(platform, as.beIt, doc);
    const message = refused(await submitEntry(platform, as.beIt, doc.code), 'BAD_USER_INPUT');
    expect(message).toMatch(
      /holderIdNumber claims to be the authoritative source of residentIdNumber/,
    );
    expect(message).toContain('PS-POP-001.idNumber');
    // Said once, from the submitted entry's side, not again from the published one's.
    expect(message.match(/claims to be the authoritative source/g)).toHaveLength(1);
    expect(message).not.toContain('- PS-POP-001 (published):');
  });

  it('registers the dataset; its table leaves the uncatalogued list', async () => {
    expect(await registerEntry(platform, as.beIt, as.reviewer, HEALTH_CERTIFICATES)).toEqual([]);
    const found = await uncatalogued();
    expect(found.uncatalogued.filter((u) => u.table === TABLE)).toEqual([]);
  });

  it('lists a column added later until a reviewer exempts it, and only a reviewer may', async () => {
    await platform.databases
      .get('business_environment')!
      .schema.alterTable(TABLE, (t) => t.string('remark', 64).nullable());
    expect((await uncatalogued()).uncatalogued).toContainEqual({ table: TABLE, column: 'remark' });
    const EXEMPT = `mutation($i: CollectionExemptionInput!) { exemptCollection(input: $i) { table column expiresOn grantedBy } }`;
    const input = {
      department: 'business_environment',
      table: TABLE,
      column: 'remark',
      reason: 'Temporary collection during the 2026 food safety campaign.',
      expiresOn: '2027-01-31',
    };
    refused(await gql('beIt', EXEMPT, { i: input }), 'FORBIDDEN');
    expect(
      refused(
        await gql('reviewer', EXEMPT, { i: { ...input, expiresOn: '2099-01-01' } }),
        'BAD_USER_INPUT',
      ),
    ).toContain('expiresOn');
    ok(await gql('reviewer', EXEMPT, { i: input }));
    const after = await uncatalogued();
    expect(after.uncatalogued).not.toContainEqual({ table: TABLE, column: 'remark' });
    expect(after.exemptions).toContainEqual({
      table: TABLE,
      column: 'remark',
      reason: input.reason,
      grantedBy: 'data_office/zhao.reviewer',
    });
  });

  const INSPECT = `mutation { runQualityInspection(dataset: "${CODE}") { ${RUN_FIELDS} } }`;
  const reportsFromInspections = async () =>
    (await platform
      .platformDb('error_reports')
      .where({ reporter_department: 'quality_inspection' })) as {
      dataset_code: string;
      provider_department: string;
      record_key: string;
      item: string;
      status: string;
      description: string;
    }[];

  const CREATE_GRANT = `mutation($i: GrantInput!) { createGrant(input: $i, reason: "copies checked against the register") { id } }`;
  const nameGrant = (extra: Record<string, unknown>) => ({
    consumerDepartment: 'business_environment',
    dataset: 'PS-POP-001',
    conditions: {
      items: ['idNumber', 'name'],
      purposes: ['licensing'],
      modes: ['VERIFY'],
      validFrom: '2026-01-01',
      validUntil: '2099-01-01',
      ...extra,
    },
  });

  it('compares no copy with a register the department may not read unmasked: nothing counted, nothing reported', async () => {
    const noCopyFindings = async () => {
      const run = ok(
        await gql<{ runQualityInspection: Run }>('beIt', INSPECT),
      ).runQualityInspection;
      expect(run).toMatchObject({
        consistency: { passed: 0, checked: 0 },
        reportsOpened: 0,
      });
      expect(run.failures.filter((f) => f.rule === 'CONSISTENCY')).toEqual([]);
    };
    // No grant on the population: a table of guesses catalogued as "copies" learns nothing.
    await noCopyFindings();
    // A grant that gives the name only masked, or only for a region none of the ten live in.
    const masked = ok(
      await gql<{ createGrant: { id: string } }>('admin', CREATE_GRANT, {
        i: nameGrant({ masks: [{ item: 'name', rule: 'SURNAME_ONLY' }] }),
      }),
    ).createGrant.id;
    const elsewhere = ok(
      await gql<{ createGrant: { id: string } }>('admin', CREATE_GRANT, {
        i: nameGrant({ rowFilter: [{ item: 'regionCode', eq: '999999' }] }),
      }),
    ).createGrant.id;
    // The name without the ID number: which guessed numbers exist would show in what is compared.
    const nameOnly = ok(
      await gql<{ createGrant: { id: string } }>('admin', CREATE_GRANT, {
        i: nameGrant({ items: ['name'] }),
      }),
    ).createGrant.id;
    await noCopyFindings();
    expect(await reportsFromInspections()).toEqual([]);
    for (const id of [masked, elsewhere, nameOnly]) {
      ok(await gql('admin', `mutation { revokeGrant(id: "${id}", reason: "test over") { id } }`));
    }
    // A grant with a quota: each record compared is a record read from it.
    const quoted = ok(
      await gql<{ createGrant: { id: string } }>('admin', CREATE_GRANT, {
        i: nameGrant({ dailyQuota: 3 }),
      }),
    ).createGrant.id;
    const within = ok(
      await gql<{ runQualityInspection: Run }>('beIt', INSPECT),
    ).runQualityInspection;
    expect(within.consistency.checked).toBe(3);
    const spent = ok(
      await gql<{ runQualityInspection: Run }>('beIt', INSPECT),
    ).runQualityInspection;
    expect(spent.consistency.checked).toBe(0);
    await platform
      .platformDb('error_reports')
      .where({ reporter_department: 'quality_inspection' })
      .delete();
    ok(await gql('admin', `mutation { revokeGrant(id: "${quoted}", reason: "test over") { id } }`));
    // What the rest of these tests compare with: the name, unmasked, everywhere.
    ok(await gql('admin', CREATE_GRANT, { i: nameGrant({}) }));
  });

  it('reports each rate exactly and opens exactly one error report, once', async () => {
    const run = ok(await gql<{ runQualityInspection: Run }>('beIt', INSPECT)).runQualityInspection;
    expect(run).toMatchObject({
      dataset: CODE,
      triggeredBy: 'business_environment/liu.it',
      records: 10,
      // Required: the key and kind on 10 records; c09 has no kind.
      completeness: { passed: 19, checked: 20, rate: 0.95 },
      // With rules: the key (unique) on 10, the ID number (pattern, check character) on 10,
      // kind (values) on the 9 present; c07 and c08 fail the check character.
      validity: { passed: 27, checked: 29, rate: 27 / 29 },
      // Compared: the 8 records with both an ID number and a name; c10 differs.
      consistency: { passed: 7, checked: 8, rate: 0.875 },
      // Issued 2020-01-01, updated DAILY.
      timeliness: { passed: 0, checked: 1, rate: 0 },
      reportsOpened: 1,
    });
    expect([...run.failures].sort((a, b) => (a.item + a.rule < b.item + b.rule ? -1 : 1))).toEqual([
      { item: 'holderIdNumber', rule: 'CHECK_DIGIT', records: 2, sampleKeys: ['c07', 'c08'] },
      { item: 'holderName', rule: 'CONSISTENCY', records: 1, sampleKeys: ['c10'] },
      { item: 'kind', rule: 'REQUIRED', records: 1, sampleKeys: ['c09'] },
    ]);
    // Keys only: no value of any record is in the run.
    expect(JSON.stringify(run)).not.toContain('错名字');
    expect(await reportsFromInspections()).toEqual([
      expect.objectContaining({
        dataset_code: 'PS-POP-001',
        provider_department: 'public_security',
        record_key: ids[9],
        item: 'name',
        status: 'OPEN',
      }),
    ]);
    // The same mismatch found again is not reported again.
    const again = ok(
      await gql<{ runQualityInspection: Run }>('reviewer', INSPECT),
    ).runQualityInspection;
    expect(again).toMatchObject({ reportsOpened: 0, triggeredBy: 'data_office/zhao.reviewer' });
    expect(await reportsFromInspections()).toHaveLength(1);
    // The provider sees it among its data error reports.
    const received = ok(
      await gql<{ dataErrorReports: { dataset: string; recordKey: string; item: string }[] }>(
        'psIt',
        `{ dataErrorReports(status: OPEN) { dataset recordKey item } }`,
      ),
    ).dataErrorReports;
    expect(received).toContainEqual({ dataset: 'PS-POP-001', recordKey: ids[9], item: 'name' });
  });

  it('shows quality history to the provider and the office, in the scorecard too, never to others', async () => {
    const RUNS = `query($d: String!) { qualityRuns(dataset: $d) { id dataset validity { rate } } }`;
    const runs = ok(await gql<{ qualityRuns: Run[] }>('beIt', RUNS, { d: CODE })).qualityRuns;
    // Two runs with nothing compared and two under a quota, then the two above.
    expect(runs).toHaveLength(6);
    expect(ok(await gql<{ qualityRuns: Run[] }>('admin', RUNS, { d: CODE })).qualityRuns).toEqual(
      runs,
    );
    // A consumer, and another department's IT, directly, through an alias and a fragment.
    refused(await gql('caDev', RUNS, { d: CODE }), 'FORBIDDEN');
    refused(await gql('msIt', RUNS, { d: CODE }), 'FORBIDDEN');
    refused(
      await gql(
        'msIt',
        `query { a: qualityRuns(department: "business_environment") { ...R } } fragment R on QualityRun { id failures { sampleKeys } }`,
      ),
      'FORBIDDEN',
    );
    refused(await gql('msIt', INSPECT), 'FORBIDDEN');
    refused(await gql('caDev', INSPECT), 'FORBIDDEN');
    const scorecard = ok(
      await gql<{ departmentScorecard: { quality: { dataset: string; id: string }[] } }>(
        'reviewer',
        `{ departmentScorecard(department: "business_environment", from: "2026-01-01", to: "2027-01-01") { quality { dataset id } } }`,
      ),
    ).departmentScorecard;
    expect(scorecard.quality).toEqual([{ dataset: CODE, id: runs[0]!.id }]);
  });

  it('judges compliance against the thresholds an admin sets', async () => {
    const REPORT = `{ complianceReport(department: "business_environment", from: "2026-01-01", to: "2027-01-01") {
      verdict findings { measure value threshold verdict evidence } csv html } }`;
    type Report = {
      verdict: string;
      findings: {
        measure: string;
        value: number | null;
        threshold: number;
        verdict: string;
        evidence: string;
      }[];
      csv: string;
      html: string;
    };
    const read = async () =>
      ok(await gql<{ complianceReport: Report }>('reviewer', REPORT)).complianceReport;
    const verdicts = (r: Report) =>
      Object.fromEntries(r.findings.map((f) => [f.measure, f.verdict]));
    const before = await read();
    expect(verdicts(before)).toMatchObject({
      QUALITY_COMPLETENESS: 'PASS', // 0.95 ≥ 0.95
      QUALITY_VALIDITY: 'FAIL', // 27/29 < 0.95
      QUALITY_CONSISTENCY: 'FAIL', // 0.875 < 0.95
      QUALITY_TIMELINESS: 'FAIL', // 0 < 1
    });
    expect(before.verdict).toBe('FAIL');
    expect(before.findings.find((f) => f.measure === 'QUALITY_CONSISTENCY')!.evidence).toContain(
      `${CODE} 7/8`,
    );
    expect(before.csv.split('\r\n')[1]).toBe(
      'measure,area,judged,value,threshold,verdict,evidence',
    );
    expect(before.csv).toContain('QUALITY_VALIDITY,QUALITY,AT_LEAST,');
    expect(before.html).toContain('<strong>FAIL</strong>');

    const SET = `mutation($m: ComplianceMeasure!, $t: Float!) { setComplianceThreshold(measure: $m, threshold: $t) { measure threshold } }`;
    refused(await gql('reviewer', SET, { m: 'QUALITY_VALIDITY', t: 0.9 }), 'FORBIDDEN');
    refused(await gql('admin', SET, { m: 'QUALITY_VALIDITY', t: 1.5 }), 'BAD_USER_INPUT');
    ok(await gql('admin', SET, { m: 'QUALITY_VALIDITY', t: 0.9 }));
    ok(await gql('admin', SET, { m: 'QUALITY_CONSISTENCY', t: 0.875 }));
    ok(await gql('admin', SET, { m: 'QUALITY_COMPLETENESS', t: 0.96 }));
    const after = await read();
    expect(verdicts(after)).toMatchObject({
      QUALITY_COMPLETENESS: 'FAIL',
      QUALITY_VALIDITY: 'PASS',
      QUALITY_CONSISTENCY: 'PASS',
      QUALITY_TIMELINESS: 'FAIL',
    });
    expect(after.findings.find((f) => f.measure === 'QUALITY_VALIDITY')!.threshold).toBe(0.9);
    refused(
      await gql(
        'msIt',
        `{ complianceReport(department: "business_environment", from: "2026-01-01", to: "2027-01-01") { verdict } }`,
      ),
      'FORBIDDEN',
    );
  });

  it('lets a technical service unit answer applications for its department, naming both, until revoked', async () => {
    const APPLY = `mutation($input: ApplicationInput!) { applyForAccess(input: $input) { id } }`;
    const APPROVE = `mutation($id: ID!, $c: GrantConditionsInput!) { approveSharingApplication(id: $id, conditions: $c) { status decidedBy grant { id createdBy } } }`;
    const application = {
      dataset: CODE,
      items: ['certNumber', 'kind'],
      purpose: 'food-safety',
      scenario: 'Canteen operators checking staff certificates.',
      legalBasis: 'Food Safety Law, art. 45.',
      requestedFrom: '2026-12-01',
      requestedUntil: '2027-12-01',
      modes: ['QUERY'],
    };
    const conditions = {
      items: ['certNumber', 'kind'],
      purposes: ['food-safety'],
      modes: ['QUERY'],
      validFrom: '2026-12-01',
      validUntil: '2027-12-01',
    };
    const apply = async () =>
      ok(await gql<{ applyForAccess: { id: string } }>('caDev', APPLY, { input: application }))
        .applyForAccess.id;

    const first = await apply();
    refused(await gql('unit', APPROVE, { id: first, c: conditions }), 'FORBIDDEN');
    const AUTHORIZE = `mutation($i: ServiceUnitInput!) { authorizeServiceUnit(input: $i) { id unit department duties grantedBy status } }`;
    const authorization = {
      unit: 'zj_datatech',
      department: 'business_environment',
      duties: ['ANSWERING_APPLICATIONS'],
      validFrom: '2026-01-01',
      validUntil: '2027-01-01',
    };
    // Another department cannot authorize a unit for business_environment.
    refused(await gql('msIt', AUTHORIZE, { i: authorization }), 'FORBIDDEN');
    const granted = ok(
      await gql<{ authorizeServiceUnit: { id: string; grantedBy: string; status: string } }>(
        'beIt',
        AUTHORIZE,
        { i: authorization },
      ),
    ).authorizeServiceUnit;
    expect(granted).toMatchObject({ status: 'ACTIVE', grantedBy: 'business_environment/liu.it' });

    const approved = ok(
      await gql<{
        approveSharingApplication: {
          status: string;
          decidedBy: string;
          grant: { id: string; createdBy: string };
        };
      }>('unit', APPROVE, { id: first, c: conditions }),
    ).approveSharingApplication;
    const both = 'zj_datatech/wu.unit for business_environment';
    expect(approved).toMatchObject({
      status: 'APPROVED',
      decidedBy: both,
      grant: { createdBy: both },
    });
    const changes = ok(
      await gql<{ grantChanges: { actor: string }[] }>(
        'admin',
        `query($g: ID) { grantChanges(grantId: $g) { actor } }`,
        { g: approved.grant.id },
      ),
    ).grantChanges;
    expect(changes).toEqual([{ actor: both }]);
    // The gateway's audit trail records the unit's request under the unit's own identity.
    const audited = await platform
      .platformDb('audit_records')
      .where({ kind: 'REQUEST', consumer_department: 'zj_datatech', decision: 'ALLOWED' })
      .select<{ user_id: string }[]>('user_id');
    expect(audited).toContainEqual({ user_id: 'wu.unit' });

    // A unit authorized for applications cannot read quality results or catalogue (other duties).
    refused(await gql('unit', `{ qualityRuns(dataset: "${CODE}") { id } }`), 'FORBIDDEN');
    const SAVE = `mutation($doc: String!) { saveCatalogueDraft(document: $doc, changeReason: "by the unit", triggerDate: "2026-11-20") { code createdBy } }`;
    const unitDraft = { doc: JSON.stringify({ ...HEALTH_CERTIFICATES, code: 'BE-HC-003' }) };
    refused(await gql('unit', SAVE, unitDraft), 'FORBIDDEN');
    ok(await gql('beIt', AUTHORIZE, { i: { ...authorization, duties: ['CATALOGUING'] } }));
    expect(
      ok(await gql<{ saveCatalogueDraft: { createdBy: string } }>('unit', SAVE, unitDraft))
        .saveCatalogueDraft.createdBy,
    ).toBe(both);

    ok(
      await gql(
        'beIt',
        `mutation($id: ID!) { revokeServiceUnit(id: $id, reason: "Contract ended.") { status } }`,
        { id: granted.id },
      ),
    );
    // The unit's own scorecard: what it did, for whom; another department cannot read it.
    const SCORECARD = `{ serviceUnitScorecard(unit: "zj_datatech", from: "2026-01-01", to: "2027-01-01") {
      applicationsAnswered applicationsAnsweredLate catalogueVersionsCreated departmentsServed } }`;
    expect(ok(await gql('unit', SCORECARD)).serviceUnitScorecard).toEqual({
      applicationsAnswered: 1,
      applicationsAnsweredLate: 0,
      catalogueVersionsCreated: 1,
      departmentsServed: ['business_environment'],
    });
    refused(await gql('msIt', SCORECARD), 'FORBIDDEN');

    const second = await apply();
    refused(await gql('unit', APPROVE, { id: second, c: conditions }), 'FORBIDDEN');
    const stillOpen = ok(
      await gql<{ sharingApplication: { status: string } }>(
        'caDev',
        `query($id: ID!) { sharingApplication(id: $id) { status } }`,
        { id: second },
      ),
    ).sharingApplication;
    expect(stillOpen.status).toBe('SUBMITTED');
  });
});
