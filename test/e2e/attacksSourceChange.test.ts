import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertGrant, newGrant, type Grant } from '../../server/index.ts';
import { expectItemRefused, expectNotLeaked } from '../support/accessChecks.ts';
import { ok, waitFor } from '../support/responses.ts';
import { availableEngines } from '../support/testDatabase.ts';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.ts';

/**
 * A copied item is never shown more openly than its source shows it *now*.
 * Licences carry a copy of the holder's ID number (`source: PS-POP-001.idNumber`),
 * decided by the population dataset's rules. When public security publishes a
 * stricter population entry, the copy follows at once, although the licences'
 * own entry and subgraph did not change: a department's subgraph that decided
 * copies by the catalogue it was built from kept showing them by the source's
 * old rules until it restarted.
 */
const ENGINES = await availableEngines();

const PS = 'PS-POP-001';
const CONSUMER = 'src_change';
const PURPOSE = 'source-change-test';
const POPULATION = join(
  import.meta.dirname,
  '..',
  '..',
  'subgraphs',
  'public-security',
  'catalogue',
  'population.yaml',
);

describe.each(ENGINES)('on %s', (engine) => {
  let platform: TestPlatform;
  let holders: Map<string, string | null>;

  beforeAll(async () => {
    platform = await startTestPlatform(engine);
    const rows = await platform.databases.get('business_environment')!('licenses').select<
      { license_number: string; holder_id_number: string | null }[]
    >('license_number', 'holder_id_number');
    holders = new Map(rows.map((r) => [r.license_number, r.holder_id_number]));
  });

  afterAll(async () => {
    await platform?.close();
  });

  async function addGrant(spec: Pick<Grant, 'id' | 'datasetCode' | 'items'>): Promise<void> {
    const fields = {
      consumerDepartment: CONSUMER,
      purposes: [PURPOSE],
      modes: ['QUERY' as const, 'VERIFY' as const],
      validFrom: '2020-01-01T00:00:00.000Z',
      validUntil: '2099-12-31T23:59:59.999Z',
      ...spec,
    };
    await insertGrant(platform.platformDb, {
      ...newGrant(fields, 'attacksSourceChange'),
      ...fields,
    });
    await platform.policies.reload();
  }

  const licences = async () => {
    const response = await platform.query<{
      licenses: { nodes: { licenseNumber: string; holderIdNumber: string | null }[] };
    }>(
      `{ licenses(first: 100) { nodes { licenseNumber holderIdNumber } } }`,
      {},
      await platform.as(CONSUMER, PURPOSE),
    );
    expect(response.status).toBe(200);
    return response;
  };

  it('a copy follows its source when the source is published stricter, without a restart', async () => {
    await addGrant({
      id: 'G-SRC-CHANGE-PS',
      datasetCode: PS,
      items: ['idNumber', 'birthDate', 'gender'],
    });
    await addGrant({
      id: 'G-SRC-CHANGE-LIC',
      datasetCode: 'BE-LIC-001',
      items: ['licenseNumber', 'kind', 'holderIdNumber'],
    });

    // Control: the source gives the ID number unmasked, so the copy is served whole.
    const before = await licences();
    const whole = before.data!.licenses.nodes.filter(
      (n) => n.holderIdNumber !== null && n.holderIdNumber === holders.get(n.licenseNumber),
    );
    expect(whole.length, 'copies served whole before the change').toBeGreaterThan(10);
    const holder = whole[0]!.holderIdNumber!;
    const byHolder = async () =>
      platform.query<{ licenses: { nodes: { kind: string }[] } | null }>(
        `query($id: String!) { licenses(first: 5, filter: { holderIdNumber: { eq: $id } }) { nodes { kind } } }`,
        { id: holder },
        await platform.as(CONSUMER, PURPOSE),
      );
    expect((await byHolder()).data?.licenses?.nodes.length).toBeGreaterThan(0);
    const licence = whole[0]!.licenseNumber;
    const verify = async () =>
      platform.query<{ verifyLicense: boolean | null }>(
        `query($n: String!, $id: String!) { verifyLicense(licenseNumber: $n, match: { holderIdNumber: $id }) }`,
        { n: licence, id: holder },
        await platform.as(CONSUMER, PURPOSE),
      );
    expect((await verify()).data?.verifyLicense).toBe(true);

    // Public security publishes the population entry with the birth date no longer shared:
    // the ID number embeds it, so every consumer now gets it with the region code only.
    const document = parse(readFileSync(POPULATION, 'utf8')) as {
      items: { name: string; sharingType?: string }[];
    };
    document.items.find((i) => i.name === 'birthDate')!.sharingType = 'NOT_SHARED';
    const securityIt = {
      authorization: `Bearer ${await platform.token({ department: 'public_security', roles: ['DEPT_IT'], user: 'li.it' })}`,
    };
    const reviewer = {
      authorization: `Bearer ${await platform.token({ department: 'data_office', roles: ['REVIEWER'], user: 'zhao.reviewer' })}`,
    };
    const { version } = ok(
      await platform.query<{ saveCatalogueDraft: { version: number } }>(
        `mutation($d: String!) { saveCatalogueDraft(document: $d, changeReason: "Birth dates are no longer shared", triggerDate: "2026-11-20") { version } }`,
        { d: JSON.stringify(document) },
        securityIt,
      ),
    ).saveCatalogueDraft;
    expect(version).toBeGreaterThan(1);
    ok(
      await platform.query(
        `mutation($c: String!, $v: Int!) { submitCatalogueEntry(code: $c, version: $v) { status } }`,
        { c: PS, v: version },
        securityIt,
      ),
    );
    ok(
      await platform.query(
        `mutation($c: String!, $v: Int!) { publishCatalogueEntry(code: $c, version: $v) { status } }`,
        { c: PS, v: version },
        reviewer,
      ),
    );

    // The source itself now masks the ID number for this consumer.
    const [someone] = [...holders.values()].filter((h): h is string => h !== null);
    await waitFor(
      'the population subgraph serving the stricter entry',
      async () => {
        const person = await platform.query<{ person: { idNumber: string | null } | null }>(
          `query($id: String!) { person(idNumber: $id) { idNumber } }`,
          { id: someone },
          await platform.as(CONSUMER, PURPOSE),
        );
        const shown = person.data?.person?.idNumber;
        return shown && shown !== someone ? shown : undefined;
      },
      30_000,
    );

    // The attack: read the copies again. None may show more than the region code.
    // (The licence number, a key that may be an ID number, is now masked too.)
    const after = await licences();
    let masked = 0;
    for (const { holderIdNumber: shown } of after.data!.licenses.nodes) {
      if (shown === null) continue;
      expect(
        [...shown].every((c, i) => c === '*' || i < 6),
        `a holder ID number is shown beyond its region code: ${shown}`,
      ).toBe(true);
      masked += 1;
    }
    expect(masked, 'the copy is served masked, as its source serves it').toBeGreaterThan(10);
    // Nor can the copy be used as a filter to test guesses of the number.
    const filtered = await byHolder();
    expect(filtered.data ?? { licenses: null }).toEqual({ licenses: null });
    expectItemRefused(filtered, ['licenses'], 'holderIdNumber');
    // Nor verified against a guess: verification needs the item unmasked.
    const verified = await verify();
    expect(verified.data?.verifyLicense ?? null).toBeNull();
    expectItemRefused(verified, ['verifyLicense'], 'holderIdNumber');
    expectNotLeaked(after, ...[...holders.values()].filter((h): h is string => h !== null));
  });
});
