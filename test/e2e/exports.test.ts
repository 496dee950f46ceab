import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertGrant, newGrant, selectAuditRecords, type Grant } from '../../server/index.ts';
import { personRows, replaceTableRows } from '../../subgraphs/demo-data/index.ts';
import { manifestProblems } from '../../scripts/govdata/exportFile.ts';
import { exportToFile } from '../../scripts/govdata/exportToFile.ts';
import { mysqlAvailable, type Engine } from '../support/testDatabase.ts';
import {
  startTestPlatform,
  type GraphQLResponse,
  type TestPlatform,
} from '../support/testPlatform.ts';

/**
 * Acceptance (issue 19): bulk exports in EXPORT mode, through the gateway, on
 * both engines. A full export of 100,000 people under a grant with a mask and
 * a row filter holds exactly what the same grant's queries give, and its
 * manifest verifies; a connection cut mid-way resumes without duplicates or
 * gaps; an incremental export after 10 changes holds those 10; a grant
 * without EXPORT, an expired grant, a used-up quota and items outside the
 * grant are refused before any row; and the tries to get around it.
 */

const ENGINES: Engine[] = (await mysqlAvailable()) ? ['sqlite', 'mysql'] : ['sqlite'];
const PEOPLE = 100_000;
const DATASET = 'PS-POP-001';
const PURPOSE = 'statistics';
/** Hangzhou: about a tenth of the people. */
const REGION = '3301';
const ITEMS = ['idNumber', 'name', 'gender', 'regionCode'];

describe.each(ENGINES)('on %s', (engine) => {
  let platform: TestPlatform;
  let gateway: string;
  let dir: string;

  beforeAll(async () => {
    platform = await startTestPlatform(engine, {}, (config) => ({ ...config, maxPageSize: 1000 }));
    gateway = new URL(platform.gateway.url).origin;
    await replaceTableRows(
      platform.databases.get('public_security')!,
      'persons',
      personRows(PEOPLE),
    );
    dir = mkdtempSync(join(tmpdir(), 'govdata-exports-'));
  }, 300_000);

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await platform?.close();
  });

  /** Inserts an active grant on the people (valid 2020-2099 unless said otherwise) and reloads the rules. */
  async function grant(spec: Partial<Grant> & Pick<Grant, 'id' | 'consumerDepartment'>) {
    const fields = {
      datasetCode: DATASET,
      items: ITEMS,
      purposes: [PURPOSE],
      modes: ['QUERY', 'EXPORT'] as Grant['modes'],
      validFrom: '2020-01-01T00:00:00.000Z',
      validUntil: '2099-12-31T23:59:59.999Z',
      ...spec,
    };
    await insertGrant(platform.platformDb, { ...newGrant(fields, 'exports.test'), ...fields });
    await platform.policies.reload();
  }

  const headersOf = (department: string) => platform.as(department, PURPOSE);

  /** Every record the department's queries give, page by page (maximum page size). */
  async function queried(department: string): Promise<string[]> {
    const headers = await headersOf(department);
    const lines: string[] = [];
    let after: string | null = null;
    type Page = {
      persons: {
        nodes: Record<string, unknown>[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    for (;;) {
      const response: GraphQLResponse<Page> = await platform.query<Page>(
        `query ($after: String) { persons(first: 1000, after: $after) { nodes { ${ITEMS.join(' ')} } pageInfo { hasNextPage endCursor } } }`,
        { after },
        headers,
      );
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      for (const node of response.data!.persons.nodes) lines.push(JSON.stringify(node));
      if (!response.data!.persons.pageInfo.hasNextPage) return lines;
      after = response.data!.persons.pageInfo.endCursor;
    }
  }

  function fileLines(file: string): string[] {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
  }

  it('exports 100,000 people under a mask and a row filter: exactly what queries give, with a manifest that verifies', async () => {
    await grant({
      id: `exp-full-${engine}`,
      consumerDepartment: 'export_full',
      masks: { name: { rule: 'SURNAME_ONLY' } },
      rowFilter: { regionCode: { startsWith: REGION } },
    });
    const out = join(dir, 'full.ndjson');
    const { manifest, deliveries } = await exportToFile({
      gateway,
      headers: await headersOf('export_full'),
      dataset: DATASET,
      format: 'ndjson',
      out,
    });
    expect(deliveries).toBe(1);
    const expected = [...personRows(PEOPLE)].filter((p) => p.region_code.startsWith(REGION));
    expect(expected.length).toBeGreaterThan(1000);
    expect(manifest).toMatchObject({
      complete: true,
      records: expected.length,
      items: ITEMS,
      masks: { name: { rule: 'SURNAME_ONLY' }, idNumber: { rule: 'KEEP_ENDS', first: 6, last: 0 } },
      rowFilters: [{ regionCode: { startsWith: REGION } }],
      grants: [`exp-full-${engine}`],
    });
    expect(await manifestProblems(out, manifest)).toEqual([]);
    const exported = fileLines(out);
    // In the same order as the department's list pages, value for value.
    expect(exported).toEqual(await queried('export_full'));
    // Masked and filtered as the grant says: never a whole name or birth date, never another region.
    for (const line of exported.slice(0, 500)) {
      const record = JSON.parse(line) as Record<string, string>;
      expect(record.regionCode!.startsWith(REGION)).toBe(true);
      expect(record.idNumber).toMatch(/^\d{6}\*{12}$/);
      expect(record.name).toMatch(/^.\**$/u);
    }
    // One audit record, with the manifest and no value, visible to the provider.
    const records = await selectAuditRecords(platform.platformDb, {
      consumerDepartment: 'export_full',
      providerDepartment: 'public_security',
      limit: 10,
    });
    const exports = records.filter((r) => r.operationName === 'EXPORT');
    expect(exports).toHaveLength(1);
    expect(exports[0]).toMatchObject({
      kind: 'ACCESS',
      decision: 'MASKED',
      recordCount: expected.length,
      itemsMasked: ['idNumber', 'name'],
    });
    expect(JSON.parse(exports[0]!.manifest!)).toEqual(manifest);
    expect(exports[0]!.manifest).not.toContain(expected[0]!.name);
  }, 240_000);
});
