import { createHash, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import {
  bodyHash,
  insertGrant,
  issueApiKey,
  LINK_TOKEN_HEADER,
  newGrant,
  selectLink,
  signLinkToken,
  type Grant,
} from '../../server/index.ts';
import { signCompactJws } from '../../server/identity/compactJws.ts';
import { LINK_CATALOGUE_PATH } from '../../subgraphs/platform/links/index.ts';
import {
  DEMO_PERSON_INDEX,
  personAt,
  utilityAccountsOfPerson,
} from '../../subgraphs/demo-data/index.ts';
import { DEPARTMENTS_ROOT } from '../../scripts/platform/index.ts';
import { applyMask } from '../../subgraphs/kit/access/index.ts';
import { startTestPlatform, testConfig, type TestPlatform } from '../support/testPlatform.ts';
import { servePlatformSubgraph } from '../../scripts/platform/servePlatformSubgraph.ts';
import { startGatewayProcess } from '../../scripts/platform/startGatewayProcess.ts';
import { gatewayLinkParts } from '../../scripts/platform/startPlatformLinks.ts';
import { mysqlAvailable } from '../support/testDatabase.ts';
import { parse } from 'yaml';
import { civilDateIn, civilFromDays, daysFromCivil } from '../../schema/index.ts';
import { ok, refused, waitFor } from '../support/responses.ts';
import { saveEntryDraft, submitEntry } from '../support/registerEntry.ts';
import {
  adminOf,
  describePlatform,
  linkKeysOf,
  REGISTER_LINK,
  registerLink,
  type LinkedPlatformIdentity,
} from '../support/linkPlatforms.ts';

/**
 * Acceptance of issue 16: a provincial platform (SQLite) and a municipal one
 * (MariaDB when it answers, else SQLite), each a whole platform with its own
 * ports and data folder, linked as their administrators would link them.
 */

const ZHEJIANG: LinkedPlatformIdentity = {
  code: 'zhejiang',
  name: 'Zhejiang provincial data sharing platform',
  level: 'PROVINCIAL',
  regionCode: '330000',
};
const HANGZHOU: LinkedPlatformIdentity = {
  code: 'hangzhou',
  name: 'Hangzhou municipal data sharing platform',
  level: 'MUNICIPAL',
  regionCode: '330100',
};

/** The city's own bureaus (the provincial departments' data under the city's region code). */
const HANGZHOU_DEPARTMENTS = join(import.meta.dirname, 'fixtures', 'hangzhou');

const PERSON = personAt(DEMO_PERSON_INDEX);
const ACCOUNT = utilityAccountsOfPerson(DEMO_PERSON_INDEX)[0]!;
const WATER_METERS = readFileSync(
  join(import.meta.dirname, 'fixtures', 'water-meters.yaml'),
  'utf8',
);

/** A provincial consumer's query: the provincial Person, with the city's water accounts of that person. */
const PROVINCIAL_READ = `query($id: String!, $grant: String) {
  person(idNumber: $id) {
    name
    otherLevel(platform: "hangzhou", dataset: "CW-ACC-001", items: ["accountNumber", "address", "arrears"], grant: $grant) {
      platform dataset correlationId records { values { item value } }
    }
  }
}`;

/** A municipal consumer's query: its own water account, with the provincial Person record of its holder. */
const MUNICIPAL_READ = `query($account: String!) {
  utilityAccount(accountNumber: $account) {
    accountNumber
    holderPerson {
      otherLevel(platform: "zhejiang", dataset: "PS-POP-001", items: ["name", "regionCode"]) {
        platform correlationId records { values { item value } }
      }
    }
  }
}`;

const DIRECTORY = `query($search: String, $platform: String) {
  directory(search: $search, platform: $platform) { platform level code title department departmentRegion }
}`;

let province: TestPlatform;
let city: TestPlatform;
let provinceKey: string;
let cityKey: string;

async function grantAt(
  platform: TestPlatform,
  spec: Pick<Grant, 'id' | 'consumerDepartment' | 'datasetCode' | 'items'> & Partial<Grant>,
): Promise<void> {
  const grant: Grant = {
    ...newGrant(
      {
        purposes: ['social-assistance'],
        modes: ['QUERY'],
        validFrom: '2020-01-01T00:00:00.000Z',
        validUntil: '2099-12-31T23:59:59.999Z',
        ...spec,
      },
      'platformLinks.test',
    ),
    ...spec,
  };
  await insertGrant(platform.platformDb, grant);
  await platform.policies.reload();
}

/**
 * Saves, submits and publishes `document` at `platform`. The publish request
 * may outlive the gateway's subgraph timeout on a loaded machine while the
 * platform still publishes, so its answer is not awaited: the caller waits for
 * the entry to be in force instead (in `catalogueStore.catalogue`: a test
 * platform's `catalogue` is the one it started with).
 */
async function publishWithoutWaiting(
  platform: TestPlatform,
  deptIt: Record<string, string>,
  reviewer: Record<string, string>,
  document: { code: string },
): Promise<void> {
  await saveEntryDraft(platform, deptIt, document);
  ok(await submitEntry(platform, deptIt, document.code));
  void platform.query(
    `mutation($code: String!) { publishCatalogueEntry(code: $code, version: 1) { status } }`,
    { code: document.code },
    reviewer,
  );
}

type Values = { item: string; value: string | null }[];
const valuesOf = (values: Values) => Object.fromEntries(values.map((v) => [v.item, v.value]));

/** The civil date `offset` days from today in the platform's time zone, as YYYY-MM-DD. */
function civilDay(offset: number): string {
  const [year, month, day] = civilDateIn(new Date()).split('-').map(Number) as [
    number,
    number,
    number,
  ];
  const shifted = civilFromDays(daysFromCivil(year, month, day) + offset);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${shifted.year}-${two(shifted.month)}-${two(shifted.dayOfMonth)}`;
}

const SCORECARD = `query($from: String!, $to: String!) {
  departmentScorecard(department: "city_water", from: $from, to: $to) {
    accesses { served }
    otherLevelAccesses { platform served masked denied byDataset { dataset served } }
  }
}`;

interface CityWaterScorecard {
  accesses: { served: number };
  otherLevelAccesses: {
    platform: string;
    served: number;
    masked: number;
    denied: number;
    byDataset: { dataset: string; served: number }[];
  }[];
}

beforeAll(async () => {
  const cityEngine = (await mysqlAvailable()) ? 'mysql' : 'sqlite';
  [province, city] = await Promise.all([
    startTestPlatform('sqlite', {
      departmentDirs: [join(DEPARTMENTS_ROOT, 'public-security')],
    }),
    startTestPlatform(cityEngine, {
      departmentDirs: [
        join(DEPARTMENTS_ROOT, 'city-water'),
        join(HANGZHOU_DEPARTMENTS, 'public-security'),
        join(HANGZHOU_DEPARTMENTS, 'market-supervision'),
      ],
    }),
  ]);
  provinceKey = await describePlatform(province, ZHEJIANG);
  cityKey = await describePlatform(city, HANGZHOU);
}, 120_000);

afterAll(async () => {
  await Promise.all([province?.close(), city?.close()]);
});

describe('platforms linked by both administrators', () => {
  it('lets nothing cross while only one side has registered the link', async () => {
    await registerLink(province, city, HANGZHOU, [cityKey]);
    const consumer = await province.as('civil_affairs', 'social-assistance');
    await province.platformDb('linked_entries').delete();
    await new Promise((r) => setTimeout(r, 2000));
    // The city has not agreed: its catalogue is not harvested, so nothing of it can be named.
    const directory = ok(
      await province.query<{ directory: unknown[] }>(DIRECTORY, { platform: 'hangzhou' }, consumer),
    );
    expect(directory.directory).toEqual([]);
    refused(await province.query(PROVINCIAL_READ, { id: PERSON.id_number }, consumer), 'NOT_FOUND');
  });

  it('harvests the municipal directory once the city registers the province too', async () => {
    await registerLink(city, province, ZHEJIANG, [provinceKey]);
    const consumer = await province.as('civil_affairs');
    const entry = await waitFor(
      'the city catalogue in the provincial directory',
      async () => {
        const { directory } = ok(
          await province.query<{ directory: { code: string }[] }>(
            DIRECTORY,
            { search: 'water' },
            consumer,
          ),
        );
        return directory.find((e) => e.code === 'CW-ACC-001');
      },
      5000,
    );
    expect(entry).toEqual({
      platform: 'hangzhou',
      level: 'MUNICIPAL',
      code: 'CW-ACC-001',
      title: 'Water supply accounts (供水用户信息)',
      department: 'city_water',
      departmentRegion: '330100',
    });
  });

  it('shows a newly published municipal dataset in the provincial directory within 5 s, and removes it on retirement', async () => {
    const deptIt = await city.as('city_water', null, { roles: ['DEPT_IT'] });
    const reviewer = await city.as('data_office', null, { roles: ['REVIEWER'] });
    const consumer = await province.as('civil_affairs');
    const inDirectory = async () => {
      const { directory } = ok(
        await province.query<{ directory: { code: string }[] }>(
          DIRECTORY,
          { search: 'CW-MTR' },
          consumer,
        ),
      );
      return directory.some((e) => e.code === 'CW-MTR-001');
    };
    const document = parse(WATER_METERS) as { code: string };
    // The city's publication is timed from the moment the entry is in force there.
    await publishWithoutWaiting(city, deptIt, reviewer, document);
    await waitFor(
      'the entry in force in the city',
      async () => city.catalogueStore.catalogue.entry('CW-MTR-001'),
      60_000,
    );
    await waitFor(
      'the new entry in the provincial directory',
      async () => ((await inDirectory()) ? true : undefined),
      5000,
    );
    void city.query(
      `mutation { retireCatalogueEntry(code: "CW-MTR-001", reason: "Meters move to the metering system") { status } }`,
      {},
      reviewer,
    );
    await waitFor(
      'the entry retired in the city',
      async () => (city.catalogueStore.catalogue.entry('CW-MTR-001') ? undefined : true),
      60_000,
    );
    await waitFor(
      'the retired entry gone',
      async () => ((await inDirectory()) ? undefined : true),
      5000,
    );
  }, 300_000);
});

describe('cross-level reads, decided by the owner platform', () => {
  let correlationId: string;

  it('reads a municipal dataset joined to the provincial Person under the city grant, masked as it says, and denies it without', async () => {
    const consumer = await province.as('civil_affairs', 'social-assistance');
    const denied = await province.query(PROVINCIAL_READ, { id: PERSON.id_number }, consumer);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(denied.errors?.[0]?.message).toMatch(/The hangzhou platform refused: /);
    // The provincial part still answers.
    expect((denied.data as { person: { name: string } }).person.name).toBe(PERSON.name);

    await grantAt(city, {
      id: 'hz-g-zj-civil',
      consumerDepartment: 'zhejiang:civil_affairs',
      datasetCode: 'CW-ACC-001',
      items: ['holderIdNumber', 'accountNumber', 'address', 'arrears'],
      masks: { address: { rule: 'KEEP_ENDS', first: 6, last: 0 } },
    });
    // The city's accounts copy its population register's ID number, which is never shown more
    // openly than there: the city decides that too (the ID number embeds birth date and sex).
    await grantAt(city, {
      id: 'hz-g-zj-civil-pop',
      consumerDepartment: 'zhejiang:civil_affairs',
      datasetCode: 'PS-POP-001',
      items: ['idNumber', 'gender', 'birthDate'],
    });
    const read = ok(
      await province.query<{
        person: {
          name: string;
          otherLevel: {
            platform: string;
            dataset: string;
            correlationId: string;
            records: { values: Values }[];
          };
        };
      }>(PROVINCIAL_READ, { id: PERSON.id_number }, consumer),
    );
    expect(read.person.name).toBe(PERSON.name);
    const { otherLevel } = read.person;
    expect(otherLevel.platform).toBe('hangzhou');
    expect(otherLevel.records.map((r) => valuesOf(r.values))).toContainEqual({
      // The number embeds the region of the address the grant masks: its last 4 digits alone.
      accountNumber: applyMask({ rule: 'KEEP_ENDS', first: 0, last: 4 }, ACCOUNT.account_number),
      address: applyMask({ rule: 'KEEP_ENDS', first: 6, last: 0 }, ACCOUNT.address),
      arrears: String(ACCOUNT.arrears),
    });
    correlationId = otherLevel.correlationId;

    // The city shows it the holder's ID number whole; at home its grant conceals the ID number
    // (it carries the birth date), so the key does not come back across the link.
    const key = await province.query(
      PROVINCIAL_READ.replace(
        '["accountNumber", "address", "arrears"]',
        '["holderIdNumber", "accountNumber"]',
      ),
      { id: PERSON.id_number },
      consumer,
    );
    expect(key.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(key.errors?.[0]?.message).toContain(
      "holderIdNumber of CW-ACC-001 would show Person's idNumber, which civil_affairs is not given unmasked",
    );
    expect(JSON.stringify(key.data)).not.toContain(PERSON.id_number);
  });

  it('records the access in both audit trails under one correlation id', async () => {
    const consumerSide = await waitFor('the provincial records', async () => {
      const rows = await province.platformDb('audit_records').where({ request_id: correlationId });
      return rows.length >= 2 ? rows : undefined;
    });
    expect(consumerSide).toContainEqual(
      expect.objectContaining({ kind: 'REQUEST', consumer_department: 'civil_affairs' }),
    );
    expect(consumerSide).toContainEqual(
      expect.objectContaining({
        kind: 'ACCESS',
        subgraph: 'crosslevel',
        dataset_code: 'hangzhou:CW-ACC-001',
        consumer_department: 'civil_affairs',
        decision: 'ALLOWED',
      }),
    );
    const ownerSide = await waitFor('the municipal records', async () => {
      const rows = await city.platformDb('audit_records').where({ correlation_id: correlationId });
      return rows.some((r: { kind: string }) => r.kind === 'ACCESS') ? rows : undefined;
    });
    expect(ownerSide).toContainEqual(
      expect.objectContaining({
        kind: 'ACCESS',
        dataset_code: 'CW-ACC-001',
        consumer_department: 'zhejiang:civil_affairs',
        decision: 'MASKED',
      }),
    );
    expect(ownerSide).toContainEqual(
      expect.objectContaining({ kind: 'REQUEST', consumer_department: 'zhejiang:civil_affairs' }),
    );
  });

  it("counts the provincial consumer's reads on the city's scorecard under the province, and a local read not", async () => {
    const reviewer = await city.as('data_office', null, { roles: ['REVIEWER'] });
    const figures = async () => {
      const { departmentScorecard } = ok(
        await city.query<{ departmentScorecard: CityWaterScorecard }>(
          SCORECARD,
          { from: civilDay(-1), to: civilDay(2) },
          reviewer,
        ),
      );
      const zhejiang = departmentScorecard.otherLevelAccesses.find(
        (p) => p.platform === 'zhejiang',
      );
      return {
        total: departmentScorecard.accesses.served,
        platforms: departmentScorecard.otherLevelAccesses.map((p) => p.platform),
        fromProvince: zhejiang?.byDataset.find((d) => d.dataset === 'CW-ACC-001')?.served ?? 0,
        maskedFromProvince: zhejiang?.masked ?? 0,
      };
    };
    /** The figures once the audit writers have committed what came before (two alike, 0.5 s apart). */
    const settled = (what: string, done: (f: Awaited<ReturnType<typeof figures>>) => boolean) =>
      waitFor(what, async () => {
        const first = await figures();
        await new Promise((r) => setTimeout(r, 500));
        const second = await figures();
        return done(second) && JSON.stringify(first) === JSON.stringify(second)
          ? second
          : undefined;
      });
    // The earlier reads of the province's civil affairs.
    const before = await settled('the earlier reads on the scorecard', (f) => f.fromProvince > 0);
    expect(before.platforms).toEqual(['zhejiang']);
    expect(before.maskedFromProvince).toBeGreaterThan(0);

    const consumer = await province.as('civil_affairs', 'social-assistance');
    ok(await province.query(PROVINCIAL_READ, { id: PERSON.id_number }, consumer));
    const afterCrossLevel = await settled(
      'one more read from the province',
      (f) => f.fromProvince > before.fromProvince,
    );
    expect(afterCrossLevel.fromProvince).toBe(before.fromProvince + 1);
    expect(afterCrossLevel.total).toBe(before.total + 1);

    // The city's own department reading its own accounts: an access, not from the other level.
    const local = await city.as('city_water', 'social-assistance');
    ok(
      await city.query(
        `query($a: String!) { utilityAccount(accountNumber: $a) { accountNumber address } }`,
        { a: ACCOUNT.account_number },
        local,
      ),
    );
    const afterLocal = await settled('the local read', (f) => f.total > afterCrossLevel.total);
    expect(afterLocal.total).toBe(afterCrossLevel.total + 1);
    expect(afterLocal.fromProvince).toBe(afterCrossLevel.fromProvince);
    expect(afterLocal.platforms).toEqual(['zhejiang']);
  });

  it('lets no local credential pass for a linked consumer: a key naming <platform>:<department> is refused', async () => {
    const owner = {
      department: 'zhejiang:civil_affairs',
      application: 'forged',
      user: null,
      roles: ['APP_DEVELOPER' as const],
    };
    await expect(issueApiKey(city.platformDb, owner, 'forged')).rejects.toThrow(
      /not a department code/,
    );
    // Written into the table behind the platform's back, it still takes nothing here.
    const id = '0123456789abcdef';
    const secret = 'A'.repeat(43);
    await city.platformDb('api_keys').insert({
      id,
      secret_hash: createHash('sha256').update(secret).digest('hex'),
      department: owner.department,
      application: owner.application,
      user_id: null,
      roles: JSON.stringify(owner.roles),
      label: 'forged',
      created_at: new Date().toISOString(),
      revoked_at: null,
    });
    const answer = await city.query(
      `query($a: String!) { utilityAccount(accountNumber: $a) { accountNumber } }`,
      { a: ACCOUNT.account_number },
      { 'x-api-key': `gdk_${id}_${secret}`, 'x-purpose': 'social-assistance' },
    );
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('lets a municipal consumer read the provincial Person of its own account holder the same way', async () => {
    const consumer = await city.as('city_water', 'social-assistance');
    const denied = await city.query(MUNICIPAL_READ, { account: ACCOUNT.account_number }, consumer);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await grantAt(province, {
      id: 'zj-g-hz-water',
      consumerDepartment: 'hangzhou:city_water',
      datasetCode: 'PS-POP-001',
      // The ID number embeds birth date and sex: it is shown (and filtered on) only with them.
      items: ['idNumber', 'name', 'gender', 'birthDate', 'regionCode'],
      masks: { name: { rule: 'SURNAME_ONLY' } },
    });
    const read = ok(
      await city.query<{
        utilityAccount: {
          holderPerson: { otherLevel: { platform: string; records: { values: Values }[] } };
        };
      }>(MUNICIPAL_READ, { account: ACCOUNT.account_number }, consumer),
    );
    const { otherLevel } = read.utilityAccount.holderPerson;
    expect(otherLevel.platform).toBe('zhejiang');
    expect(otherLevel.records.map((r) => valuesOf(r.values))).toEqual([
      { name: applyMask({ rule: 'SURNAME_ONLY' }, PERSON.name), regionCode: PERSON.region_code },
    ]);
  });

  it('refuses at once over a link suspended on either side', async () => {
    const consumer = await province.as('civil_affairs', 'social-assistance');
    const cityAdmin = await adminOf(city);
    ok(
      await city.query(
        `mutation { suspendPlatformLink(code: "zhejiang", reason: "audit of the link") { status } }`,
        {},
        cityAdmin,
      ),
    );
    const refusedThere = await province.query(PROVINCIAL_READ, { id: PERSON.id_number }, consumer);
    expect(refusedThere.errors?.[0]?.message).toMatch(
      /refused the link: The link with zhejiang is suspended/,
    );
    ok(
      await city.query(
        `mutation { resumePlatformLink(code: "zhejiang", reason: "audit done") { status } }`,
        {},
        cityAdmin,
      ),
    );
    ok(await province.query(PROVINCIAL_READ, { id: PERSON.id_number }, consumer));

    const provinceAdmin = await adminOf(province);
    ok(
      await province.query(
        `mutation { suspendPlatformLink(code: "hangzhou", reason: "incident") { status } }`,
        {},
        provinceAdmin,
      ),
    );
    const refusedHere = await province.query(PROVINCIAL_READ, { id: PERSON.id_number }, consumer);
    expect(refusedHere.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(refusedHere.errors?.[0]?.message).toMatch(/suspended by this platform/);
    ok(
      await province.query(
        `mutation { resumePlatformLink(code: "hangzhou", reason: "resolved") { status } }`,
        {},
        provinceAdmin,
      ),
    );
  });
});

describe('applications across levels', () => {
  it("applies through the consumer's platform, and is answered on the owner's", async () => {
    const statistics = await province.as('statistics', 'statistics');
    const { applyToOtherLevel: application } = ok(
      await province.query<{
        applyToOtherLevel: {
          id: string;
          platform: string;
          consumerDepartment: string;
          status: string;
        };
      }>(
        `mutation($input: OtherLevelApplicationInput!) {
          applyToOtherLevel(platform: "hangzhou", input: $input) { id platform consumerDepartment status }
        }`,
        {
          input: {
            dataset: 'CW-ACC-001',
            items: ['holderIdNumber', 'accountNumber', 'status'],
            purpose: 'statistics',
            scenario: 'Provincial household water statistics',
            legalBasis: 'Statistics Law, art. 7',
            requestedFrom: '2026-11-01',
            requestedUntil: '2027-11-01',
            modes: ['QUERY'],
          },
        },
        statistics,
      ),
    );
    expect(application).toMatchObject({
      platform: 'hangzhou',
      consumerDepartment: 'zhejiang:statistics',
    });
    // The city's department IT answers it on the city's platform, like any application.
    const waterIt = await city.as('city_water', null, { roles: ['DEPT_IT'] });
    const approved = ok(
      await city.query<{ approveSharingApplication: { status: string } }>(
        `mutation($id: ID!, $c: GrantConditionsInput!) { approveSharingApplication(id: $id, conditions: $c) { status } }`,
        {
          id: application.id,
          c: {
            items: ['holderIdNumber', 'accountNumber', 'status'],
            purposes: ['statistics'],
            modes: ['QUERY'],
            validFrom: '2026-11-01',
            validUntil: '2027-11-01',
          },
        },
        waterIt,
      ),
    );
    expect(approved.approveSharingApplication.status).toBe('APPROVED');
    const seen = ok(
      await province.query<{ otherLevelApplication: { status: string } | null }>(
        `query($id: ID!) { otherLevelApplication(platform: "hangzhou", id: $id) { status } }`,
        { id: application.id },
        statistics,
      ),
    );
    expect(seen.otherLevelApplication?.status).toBe('APPROVED');
    // Another provincial department does not see it.
    const other = await province.query(
      `query($id: ID!) { otherLevelApplication(platform: "hangzhou", id: $id) { status } }`,
      { id: application.id },
      await province.as('civil_affairs'),
    );
    expect(other.data?.otherLevelApplication ?? null).toBeNull();
  });
});

const SAVE_DRAFT = `mutation($doc: String!) {
  saveCatalogueDraft(document: $doc, changeReason: "one source across levels", triggerDate: "2026-11-20") { code version }
}`;

const CONFLICTS = `query { authorityConflicts { platform entry item element heldBy } }`;

/** A provincial public security entry of enterprises it checked, with `item` as its key item. */
function enterpriseChecks(item: Record<string, unknown>, type = 'EnterpriseCheck') {
  return {
    code: 'PS-ENT-CHK-001',
    name: 'Enterprises checked by public security',
    summary: 'Enterprises whose premises public security has checked.',
    classification: 'DEPARTMENT',
    theme: 'public safety',
    department: 'public_security',
    format: 'DATABASE',
    updateCycle: 'MONTHLY',
    publishedOn: '2026-11-30',
    sharing: { type: 'UNCONDITIONAL', modes: ['QUERY'] },
    binding: { table: 'enterprise_checks', type, key: ['creditCode'] },
    items: [
      {
        name: 'creditCode',
        title: '统一社会信用代码',
        description: 'The checked enterprise.',
        type: 'STRING',
        column: 'credit_code',
        nullable: false,
        sensitivity: 'PUBLIC',
        ...item,
      },
    ],
  };
}

describe('one number, one source across levels', () => {
  it('flags the claims both platforms published before the link, to administrators only, and takes neither away', async () => {
    type Conflict = {
      platform: string;
      entry: string;
      item: string;
      element: string;
      heldBy: string;
    };
    const atProvince = ok(
      await province.query<{ authorityConflicts: Conflict[] }>(
        CONFLICTS,
        {},
        await adminOf(province),
      ),
    ).authorityConflicts;
    expect(atProvince).toContainEqual({
      platform: 'hangzhou',
      entry: 'PS-POP-001',
      item: 'idNumber',
      element: 'residentIdNumber',
      heldBy: 'PS-POP-001.idNumber (public_security)',
    });
    // The city's enterprises are its own: no one here claims them.
    expect(atProvince.filter((c) => c.entry === 'MS-ENT-001')).toEqual([]);
    // The city sees the province's claims once it has harvested the provincial directory
    // (periodically, in the background: a publication being composed there can delay it).
    const cityAdmin = await adminOf(city);
    const atCity = await waitFor(
      "the province's claims in the city's conflicts",
      async () => {
        const conflicts = ok(
          await city.query<{ authorityConflicts: Conflict[] }>(CONFLICTS, {}, cityAdmin),
        ).authorityConflicts;
        return conflicts.some((c) => c.platform === 'zhejiang') ? conflicts : undefined;
      },
      10_000,
    );
    expect(atCity).toContainEqual(
      expect.objectContaining({ platform: 'zhejiang', entry: 'PS-POP-001', element: 'personName' }),
    );
    refused(await province.query(CONFLICTS, {}, await province.as('civil_affairs')), 'FORBIDDEN');

    const { directory } = ok(
      await province.query<{
        directory: { platform: string; code: string; authoritativeFor: string[] }[];
      }>(
        `query { directory(search: "-001") { platform code authoritativeFor } }`,
        {},
        await province.as('civil_affairs'),
      ),
    );
    const of = (platform: string, code: string) =>
      directory.find((e) => e.platform === platform && e.code === code)?.authoritativeFor;
    expect(of('zhejiang', 'PS-POP-001')).toContain('residentIdNumber');
    expect(of('hangzhou', 'PS-POP-001')).toEqual([]);
    expect(of('hangzhou', 'MS-ENT-001')).toEqual(
      expect.arrayContaining(['unifiedSocialCreditCode', 'organizationName']),
    );
    // Both still serve: the link took neither entry away (the cross-level reads above read them).
    expect(province.catalogue.entry('PS-POP-001')).toBeDefined();
    expect(city.catalogue.entry('PS-POP-001')).toBeDefined();
  });

  it('refuses a provincial draft claiming an element the city provides, however the element is written', async () => {
    const deptIt = await province.as('public_security', null, { roles: ['DEPT_IT'] });
    const claims: [string, Record<string, unknown>, string?][] = [
      ['the code', { element: 'unifiedSocialCreditCode' }],
      ['said authoritative', { element: 'unifiedSocialCreditCode', authoritative: true }],
      ['spaced and capitalised', { element: ' UnifiedSocialCreditCode ' }],
      ['upper case', { element: 'UNIFIEDSOCIALCREDITCODE' }],
      ['with a zero-width space', { element: 'unified\u200bSocialCreditCode' }],
      ['in full-width letters', { element: 'ｕｎｉｆｉｅｄSocialCreditCode' }],
      ["by the standard's name", { element: '统一社会信用代码' }],
      ['as the own element of the same item', { element: 'enterprise.CREDITCODE' }],
      ['as no element, on the same type and item', {}, 'Enterprise'],
    ];
    for (const [how, item, type] of claims) {
      const answer = await province.query(
        SAVE_DRAFT,
        { doc: JSON.stringify(enterpriseChecks(item, type)) },
        deptIt,
      );
      expect({ how, codes: answer.errors?.map((e) => e.extensions?.code) }).toEqual({
        how,
        codes: ['CONFLICT'],
      });
      expect(answer.errors![0]!.extensions).toMatchObject({
        platform: 'hangzhou',
        entry: 'hangzhou:MS-ENT-001',
        element: 'unifiedSocialCreditCode',
      });
      expect(answer.errors![0]!.message).toMatch(
        /linked platform hangzhou already provides: hangzhou:MS-ENT-001\.creditCode .*reference the other level's source instead \(authoritative: false, source: hangzhou:MS-ENT-001\.creditCode\)/,
      );
    }
    // As the message says: a copy of the other level's source is registered.
    ok(
      await province.query(
        SAVE_DRAFT,
        {
          doc: JSON.stringify(
            enterpriseChecks({
              element: 'unifiedSocialCreditCode',
              authoritative: false,
              source: 'hangzhou:MS-ENT-001.creditCode',
            }),
          ),
        },
        deptIt,
      ),
    );
    // A source the directory does not hold as authoritative there is no source.
    for (const source of [
      'hangzhou:MS-ENT-001.nothing',
      'hangzhou:MS-ENT-001.legalRepresentativeIdNumber',
      'wenzhou:MS-ENT-001.creditCode',
    ]) {
      const answer = await province.query(
        SAVE_DRAFT,
        { doc: JSON.stringify(enterpriseChecks({ authoritative: false, source })) },
        deptIt,
      );
      expect({ source, codes: answer.errors?.map((e) => e.extensions?.code) }).toEqual({
        source,
        codes: ['BAD_USER_INPUT'],
      });
    }
  });

  it('lets an entry published before the link be revised, keeping its claim, with the conflict for the reviewer', async () => {
    const deptIt = await province.as('public_security', null, { roles: ['DEPT_IT'] });
    const saved = ok(
      await province.query<{ saveCatalogueDraft: { version: number } }>(
        SAVE_DRAFT,
        { doc: JSON.stringify(province.catalogueStore.catalogue.source('PS-POP-001')) },
        deptIt,
      ),
    );
    const submitted = ok(
      await province.query<{ submitCatalogueEntry: { warnings: string[] } }>(
        `mutation($v: Int!) { submitCatalogueEntry(code: "PS-POP-001", version: $v) { warnings } }`,
        { v: saved.saveCatalogueDraft.version },
        deptIt,
      ),
    );
    expect(submitted.submitCatalogueEntry.warnings).toContainEqual(
      expect.stringMatching(
        /item idNumber claims residentIdNumber, which linked platform hangzhou also provides in hangzhou:PS-POP-001\.idNumber/,
      ),
    );
  });
});

/** POSTs `body` to `platform`'s gateway as a linked platform would, with `headers`. */
async function postAsLink(
  platform: TestPlatform,
  body: string,
  headers: Record<string, string>,
): Promise<{
  status: number;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  data?: unknown;
}> {
  const response = await fetch(platform.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, ...((await response.json()) as object) };
}

describe('attacks across the line', () => {
  const ACCOUNTS = JSON.stringify({
    query: `query($id: String!) { utilityAccounts(filter: { holderIdNumber: { eq: $id } }) { nodes { accountNumber } } }`,
    variables: { id: PERSON.id_number },
  });
  const consumer = {
    department: 'civil_affairs',
    application: null,
    user: null,
    purpose: 'social-assistance',
    grantId: null,
  };
  const token = (body: string, key = linkKeysOf(province).signingKey, to = 'hangzhou') =>
    signLinkToken({ from: 'zhejiang', to, body, correlationId: 'attack-test', consumer }, key);

  it('answers a genuine link request once, and refuses its replay', async () => {
    const signed = token(ACCOUNTS);
    const first = await postAsLink(city, ACCOUNTS, { [LINK_TOKEN_HEADER]: signed });
    expect(first.errors).toBeUndefined();
    const replay = await postAsLink(city, ACCOUNTS, { [LINK_TOKEN_HEADER]: signed });
    expect(replay.status).toBe(401);
    expect(replay.errors?.[0]?.message).toMatch(/used before/);
  });

  it('refuses forged, misaddressed, re-bodied, stale and doubled credentials', async () => {
    const forged = token(ACCOUNTS, generateKeyPairSync('ed25519').privateKey);
    const other = JSON.stringify({
      query: `query { utilityAccounts(first: 50) { nodes { accountNumber holderIdNumber } } }`,
    });
    const now = Math.floor(Date.now() / 1000);
    const stale = signCompactJws(
      {
        iss: 'zhejiang',
        aud: 'hangzhou',
        iat: now - 120,
        exp: now - 90,
        jti: 'stale-1',
        bh: bodyHash(ACCOUNTS),
        cid: 'attack-test',
        dept: 'civil_affairs',
      },
      linkKeysOf(province).signingKey,
    );
    const attempts: [string, string, Record<string, string>, RegExp][] = [
      ['forged', ACCOUNTS, { [LINK_TOKEN_HEADER]: forged }, /does not verify/],
      [
        'for another platform',
        ACCOUNTS,
        { [LINK_TOKEN_HEADER]: token(ACCOUNTS, undefined, 'ningbo') },
        /another platform/,
      ],
      ['with another body', other, { [LINK_TOKEN_HEADER]: token(ACCOUNTS) }, /another request/],
      ['stale', ACCOUNTS, { [LINK_TOKEN_HEADER]: stale }, /expired/],
      [
        'beside a bearer token',
        ACCOUNTS,
        { [LINK_TOKEN_HEADER]: token(ACCOUNTS), ...(await city.as('city_water')) },
        /no other credential/,
      ],
      ['not a token', ACCOUNTS, { [LINK_TOKEN_HEADER]: "x' OR 1=1 --" }, /not a token/],
    ];
    for (const [what, body, headers, reason] of attempts) {
      const answer = await postAsLink(city, body, headers);
      expect({ what, status: answer.status, data: answer.data ?? null }).toEqual({
        what,
        status: 401,
        data: null,
      });
      expect(answer.errors?.[0]?.message).toMatch(reason);
    }
  });

  it('gives a linked consumer no role, and no relay to a third platform', async () => {
    const suspend = JSON.stringify({
      query: `mutation { suspendPlatformLink(code: "zhejiang", reason: "taken over") { status } }`,
    });
    const asAdmin = signLinkToken(
      {
        from: 'zhejiang',
        to: 'hangzhou',
        body: suspend,
        correlationId: 'attack-test',
        consumer: { ...consumer, department: 'data_office' },
      },
      linkKeysOf(province).signingKey,
    );
    const answer = await postAsLink(city, suspend, { [LINK_TOKEN_HEADER]: asAdmin });
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect((await selectLink(city.platformDb, 'zhejiang'))?.status).toBe('ACTIVE');

    const relay = JSON.stringify({
      query: `query($id: String!) { person(idNumber: $id) { otherLevel(platform: "zhejiang", dataset: "PS-POP-001", items: ["name"]) { records { values { value } } } } }`,
      variables: { id: PERSON.id_number },
    });
    const relayed = await postAsLink(city, relay, { [LINK_TOKEN_HEADER]: token(relay) });
    expect(relayed.errors?.some((e) => /cannot relay/.test(e.message))).toBe(true);
  });

  it('refuses a consumer naming a grant of the other platform it does not hold', async () => {
    await grantAt(city, {
      id: 'hz-g-zj-tax',
      consumerDepartment: 'zhejiang:tax',
      datasetCode: 'CW-ACC-001',
      items: ['holderIdNumber', 'accountNumber', 'address', 'arrears'],
    });
    const civil = await province.as('civil_affairs', 'social-assistance');
    const malformed = await province.query(
      PROVINCIAL_READ,
      { id: PERSON.id_number, grant: "x' OR '1'='1" },
      civil,
    );
    expect(malformed.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    for (const grant of ['hz-g-zj-tax', 'G-DEMO-CA-POP']) {
      const answer = await province.query(PROVINCIAL_READ, { id: PERSON.id_number, grant }, civil);
      expect({ grant, codes: answer.errors?.map((e) => e.extensions?.code) }).toEqual({
        grant,
        codes: ['FORBIDDEN'],
      });
    }
  });

  it('harvests no provincial department, nor another city’s, from a municipal platform claiming them', async () => {
    const claims = (region: string, code: string, type = 'Thing', items: object[] = []) => ({
      code,
      department: `dept_${region}`,
      departmentRegion: region,
      title: code,
      sharingType: 'UNCONDITIONAL',
      entry: { code, department: `dept_${region}`, binding: { type }, items },
      dcat: {},
    });
    const ningbo = createServer((req, res) => {
      res.writeHead(req.url === LINK_CATALOGUE_PATH ? 200 : 404, {
        'content-type': 'application/json',
      });
      res.end(
        JSON.stringify({
          platform: { code: 'ningbo', name: 'Ningbo', level: 'MUNICIPAL', regionCode: '330200' },
          entries: [
            claims('330000', 'NB-PROV-001'),
            claims('330100', 'NB-HZ-001'),
            claims('330206', 'NB-CTY-001'),
            // A county bureau's entries claiming the province's elements, however written.
            claims('330206', 'NB-CTY-002', 'Resident', [
              { name: 'idNo', element: ' ResidentIdNumber ' },
            ]),
            claims('330206', 'NB-CTY-003', 'Resident', [{ name: 'fullName', element: '姓名' }]),
            claims('330206', 'NB-CTY-004', 'Person', [{ name: 'idNumber' }]),
            claims('330206', 'NB-CTY-005', 'Resident', [
              { name: 'idNo', element: 'residentIdNumber', authoritative: 'no' },
            ]),
            // Its own meters, and a copy: no conflict.
            claims('330206', 'NB-CTY-006', 'NbMeter', [
              { name: 'meterNo', element: 'NbMeter.meterNo' },
            ]),
            claims('330206', 'NB-CTY-007', 'Resident', [
              {
                name: 'idNo',
                element: 'residentIdNumber',
                authoritative: false,
                source: 'NB-CTY-004.idNumber',
              },
            ]),
          ],
        }),
      );
    });
    await new Promise<void>((resolve) => ningbo.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = ningbo.address() as AddressInfo;
      const admin = await adminOf(province);
      const register = (level: string) =>
        province.query(
          REGISTER_LINK,
          {
            link: {
              code: 'ningbo',
              name: 'Ningbo municipal platform',
              level,
              regionCode: level === 'PROVINCIAL' ? '330000' : '330200',
              gatewayUrl: `http://127.0.0.1:${port}/graphql`,
              publicKeys: [cityKey],
            },
          },
          admin,
        );
      // Claiming the province's own level is refused at registration.
      refused(await register('PROVINCIAL'), 'BAD_USER_INPUT');
      ok(await register('MUNICIPAL'));
      const civil = await province.as('civil_affairs');
      const codes = await waitFor('the Ningbo harvest', async () => {
        const { directory } = ok(
          await province.query<{ directory: { code: string }[] }>(
            DIRECTORY,
            { platform: 'ningbo' },
            civil,
          ),
        );
        return directory.length > 0 ? directory.map((e) => e.code) : undefined;
      });
      // Only the county department of Ningbo itself (330206) is Ningbo's.
      expect(codes).toEqual([
        'NB-CTY-001',
        'NB-CTY-002',
        'NB-CTY-003',
        'NB-CTY-004',
        'NB-CTY-005',
        'NB-CTY-006',
        'NB-CTY-007',
      ]);
      // Its claims on the province's elements are not taken, and its administrators see them.
      const { authorityConflicts } = ok(
        await province.query<{
          authorityConflicts: { entry: string; element: string; heldBy: string }[];
        }>(`query { authorityConflicts { platform entry element heldBy } }`, {}, admin),
      );
      expect(
        authorityConflicts
          .filter((c) => c.entry.startsWith('NB-'))
          .map((c) => [c.entry, c.element, c.heldBy]),
      ).toEqual([
        ['NB-CTY-002', 'residentIdNumber', 'PS-POP-001.idNumber (public_security)'],
        ['NB-CTY-003', 'personName', 'PS-POP-001.name (public_security)'],
        ['NB-CTY-004', 'residentIdNumber', 'PS-POP-001.idNumber (public_security)'],
        ['NB-CTY-005', 'residentIdNumber', 'PS-POP-001.idNumber (public_security)'],
      ]);
      const { directory } = ok(
        await province.query<{ directory: { code: string; authoritativeFor: string[] }[] }>(
          `query { directory(platform: "ningbo") { code authoritativeFor } }`,
          {},
          civil,
        ),
      );
      expect(directory.filter((e) => e.authoritativeFor.length > 0)).toEqual([
        { code: 'NB-CTY-006', authoritativeFor: ['nbmeter.meterno'] },
      ]);
      ok(
        await province.query(
          `mutation { suspendPlatformLink(code: "ningbo", reason: "test over") { status } }`,
          {},
          admin,
        ),
      );
    } finally {
      await new Promise((resolve) => ningbo.close(resolve));
    }
  });

  it('rotates a platform key without a gap, and refuses the old key once the peer drops it', async () => {
    const provinceAdmin = await adminOf(province);
    const cityAdmin = await adminOf(city);
    const oldKey = linkKeysOf(province).signingKey;
    const { prepareLinkKeyRotation } = ok(
      await province.query<{
        prepareLinkKeyRotation: { linkPublicKey: string; nextLinkPublicKey: string };
      }>(
        `mutation { prepareLinkKeyRotation { linkPublicKey nextLinkPublicKey } }`,
        {},
        provinceAdmin,
      ),
    );
    const setKeys = (keys: string[]) =>
      city.query(
        `mutation($keys: [String!]!) { setPlatformLinkKeys(code: "zhejiang", publicKeys: $keys, reason: "rotation") { publicKeys } }`,
        { keys },
        cityAdmin,
      );
    ok(
      await setKeys([
        prepareLinkKeyRotation.linkPublicKey,
        prepareLinkKeyRotation.nextLinkPublicKey,
      ]),
    );
    ok(
      await province.query(
        `mutation { activateLinkKeyRotation { linkPublicKey } }`,
        {},
        provinceAdmin,
      ),
    );
    const civil = await province.as('civil_affairs', 'social-assistance');
    ok(await province.query(PROVINCIAL_READ, { id: PERSON.id_number }, civil));
    ok(await setKeys([prepareLinkKeyRotation.nextLinkPublicKey]));
    const withOld = await postAsLink(city, ACCOUNTS, {
      [LINK_TOKEN_HEADER]: token(ACCOUNTS, oldKey),
    });
    expect(withOld.status).toBe(401);
    ok(await province.query(PROVINCIAL_READ, { id: PERSON.id_number }, civil));
  });
});

describe('links under every way a platform is started', () => {
  it('runs them with gateways run alone and with the platform subgraph served alone', async () => {
    // The city's gateway run alone (`npm run gateway`), which the province's administrator now links to.
    const cityGateway = await startGatewayProcess(testConfig(city.database), {
      port: 0,
      links: (platformDb) => gatewayLinkParts(platformDb, city.catalogueStore.catalogue),
    });
    let served: Awaited<ReturnType<typeof servePlatformSubgraph>> | undefined;
    try {
      ok(
        await province.query(
          REGISTER_LINK,
          { link: { ...HANGZHOU, gatewayUrl: cityGateway.gateway.url, publicKeys: [cityKey] } },
          await adminOf(province),
        ),
      );
      // The province's platform subgraph served alone (`govdata serve --platform`) on its
      // database: it serves and registers the cross-level subgraph too, and harvests.
      served = await servePlatformSubgraph(testConfig(province.database), { port: 0 });
      expect(served.links).not.toBeNull();
      const harvester = served.links!.harvester;
      await waitFor(
        'a harvest by the served process, through the city gateway process',
        async () => {
          const outcome = harvester.outcomes.get('hangzhou');
          return outcome && 'entries' in outcome && outcome.entries > 0 ? outcome : undefined;
        },
      );
      await province.registry.poll();
      const consumer = await province.as('civil_affairs', 'social-assistance');
      const read = ok(
        await province.query<{ person: { otherLevel: { correlationId: string } } }>(
          PROVINCIAL_READ,
          { id: PERSON.id_number },
          consumer,
        ),
      );
      const { correlationId } = read.person.otherLevel;
      // The province's part was recorded by the served cross-level subgraph...
      const writers = await waitFor('the province’s part', async () => {
        const rows: { role: string }[] = await province
          .platformDb('audit_records as r')
          .join('audit_chains as c', 'c.writer', 'r.writer')
          .where({ 'r.request_id': correlationId, 'r.dataset_code': 'hangzhou:CW-ACC-001' })
          .select('c.role');
        return rows.length > 0 ? rows.map((r) => r.role) : undefined;
      });
      expect(writers).toEqual(['crosslevel subgraph']);
      // ...and the city's request by its gateway process (a chain of its own).
      const cityRoles = await waitFor('the city’s part', async () => {
        const rows: { role: string }[] = await city
          .platformDb('audit_records as r')
          .join('audit_chains as c', 'c.writer', 'r.writer')
          .where({ 'r.correlation_id': correlationId, 'r.kind': 'REQUEST' })
          .select('c.role');
        return rows.length > 0 ? rows.map((r) => r.role) : undefined;
      });
      expect(cityRoles).toEqual(['gateway']);
    } finally {
      await served?.stop();
      await cityGateway.stop();
    }
  }, 120_000);
});
