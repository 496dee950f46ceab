import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  getRequestBody,
  insertGrant,
  INTERNAL_TOKEN_HEADER,
  loadOrCreateSigningKeys,
  newGrant,
  selectAuditRecords,
  signInternalToken,
  type ExportManifest,
  type Grant,
} from '../../server/index.ts';
import { personRows, replaceTableRows } from '../../subgraphs/demo-data/index.ts';
import { manifestProblems } from '../../scripts/govdata/exportFile.ts';
import { exportToFile, ExportRefused } from '../../scripts/govdata/exportToFile.ts';
import { availableEngines } from '../support/testDatabase.ts';
import { waitFor } from '../support/responses.ts';
import {
  startTestPlatform,
  testConfig,
  type GraphQLResponse,
  type TestPlatform,
} from '../support/testPlatform.ts';
import { freePort } from '../../scripts/platform/portsAhead.ts';

/**
 * Acceptance (issue 19): bulk exports in EXPORT mode, through the gateway, on
 * both engines. A full export of 100,000 people under a grant with a mask and
 * a row filter holds exactly what the same grant's queries give, and its
 * manifest verifies; a connection cut mid-way resumes without duplicates or
 * gaps; an incremental export after 10 changes holds those 10; a grant
 * without EXPORT, an expired grant, a used-up quota and items outside the
 * grant are refused before any row; and the tries to get around it.
 */

const ENGINES = await availableEngines();
const PEOPLE = 100_000;
const DATASET = 'PS-POP-001';
const PURPOSE = 'statistics';
const BURST_APP = 'burst-app';
/** Hangzhou: about a tenth of the people. */
const REGION = '3301';
/** Without birth date and sex the ID number is masked (it embeds them), and lists go in keyed-hash order. */
const ITEMS = ['idNumber', 'name', 'gender', 'regionCode'];
/** With them it is readable, and lists go in key order. */
const READABLE = ['idNumber', 'name', 'gender', 'birthDate', 'regionCode'];

describe.each(ENGINES)('on %s', (engine) => {
  let platform: TestPlatform;
  let gateway: string;
  let dir: string;

  beforeAll(async () => {
    platform = await startTestPlatform(engine, {}, (config) => ({
      ...config,
      maxPageSize: 1000,
      // A small share of requests a second, so the rate test needs few requests.
      limits: {
        ...config.limits,
        applications: {
          ...config.limits.applications,
          [`export_burst/${BURST_APP}`]: { requestsPerSecond: 3 },
        },
      },
    }));
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

  /** A consumer whose grant gives every readable item, birth date included, unmasked. */
  async function grantedReadable(department: string) {
    await grant({
      id: `exp-readable-${department}-${engine}`,
      consumerDepartment: department,
      items: READABLE,
    });
    return headersOf(department);
  }

  /** Every record the department's queries give, page by page (maximum page size). */
  async function queried(department: string, items = ITEMS): Promise<string[]> {
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
        `query ($after: String) { persons(first: 1000, after: $after) { nodes { ${items.join(' ')} } pageInfo { hasNextPage endCursor } } }`,
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
      items: READABLE,
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
      items: READABLE,
      masks: { name: { rule: 'SURNAME_ONLY' } },
      rowFilters: [{ regionCode: { startsWith: REGION } }],
      grants: [`exp-full-${engine}`],
    });
    expect(await manifestProblems(out, manifest)).toEqual([]);
    const exported = fileLines(out);
    // In the same order as the department's list pages, value for value.
    expect(exported).toEqual(await queried('export_full', READABLE));
    // Masked and filtered as the grant says: never a whole name or birth date, never another region.
    for (const line of exported.slice(0, 500)) {
      const record = JSON.parse(line) as Record<string, string>;
      expect(record.regionCode!.startsWith(REGION)).toBe(true);
      expect(record.idNumber).toMatch(/^\d{17}[\dX]$/);
      expect(record.name).toMatch(/^.\**$/u);
    }
    // A record for each page, committed before the page left, and one for the end with the
    // manifest; names, rules and counts, no value; visible to the provider.
    const records = await selectAuditRecords(platform.platformDb, {
      consumerDepartment: 'export_full',
      providerDepartment: 'public_security',
      limit: 1000,
    });
    const exports = records.filter((r) => r.operationName === 'EXPORT');
    expect(exports.length).toBeGreaterThan(1);
    for (const record of exports) {
      expect(record).toMatchObject({ kind: 'ACCESS', decision: 'MASKED', itemsMasked: ['name'] });
      expect(record.manifest).not.toContain(expected[0]!.name);
    }
    expect(exports.reduce((sum, r) => sum + r.recordCount, 0)).toBe(expected.length);
    const ends = exports.filter((r) => r.recordCount === 0);
    expect(ends).toHaveLength(1);
    expect(JSON.parse(ends[0]!.manifest!)).toEqual(manifest);
  }, 240_000);

  /** GETs a gateway export path as the department; the status, headers and body as text. */
  async function get(path: string, headers: Record<string, string>) {
    const response = await fetch(new URL(path, gateway), { headers });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  /** An export whose consumer reads nothing after the headers; `close` drops the connection. */
  function unreadExport(headers: Record<string, string>) {
    return new Promise<{ status: number; close: () => void }>((resolve, reject) => {
      const request = httpGet(
        new URL(`/export?dataset=${DATASET}`, gateway),
        { headers },
        (response) => {
          response.pause();
          resolve({ status: response.statusCode ?? 0, close: () => request.destroy() });
        },
      );
      request.on('error', reject);
    });
  }

  /** A refusal: a JSON error with the code (and reason), no export started, no record sent. */
  function expectRefused(
    answer: { status: number; headers: Headers; text: string },
    status: number,
    extensions: Record<string, unknown>,
  ) {
    expect(answer.status, answer.text).toBe(status);
    expect(answer.headers.get('x-export-id')).toBeNull();
    const body = JSON.parse(answer.text) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]!.extensions).toMatchObject(extensions);
    expect(body.errors[0]!.extensions.requestId).toEqual(expect.any(String));
  }

  /**
   * A TCP proxy in front of the gateway that cuts its first connection after
   * `bytes` bytes of the answer, as a broken network would; later ones pass.
   */
  async function cuttingProxy(bytes: number) {
    const target = new URL(gateway);
    let first = true;
    const sockets = new Set<Socket>();
    const server = createServer((client) => {
      const cut = first;
      first = false;
      const upstream = connect(Number(target.port), target.hostname);
      sockets.add(client).add(upstream);
      let seen = 0;
      client.on('data', (chunk) => upstream.write(chunk));
      upstream.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (cut && seen > bytes) {
          // What arrived up to the cut reaches the client, then the connection breaks.
          client.write(chunk.subarray(0, chunk.length - (seen - bytes)), () => client.destroy());
          upstream.destroy();
        } else client.write(chunk);
      });
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      // Kept-alive connections would hold `close` open: they end with the proxy.
      close: () =>
        new Promise((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(resolve);
        }),
    };
  }

  it('resumes a connection cut mid-way from the last whole record: no duplicate, no gap, counted once', async () => {
    await grant({
      id: `exp-cut-${engine}`,
      consumerDepartment: 'export_cut',
      rowFilter: { regionCode: { startsWith: REGION } },
      dailyQuota: 1_000_000,
    });
    const headers = await headersOf('export_cut');
    const whole = join(dir, 'whole.ndjson');
    const reference = await exportToFile({
      gateway,
      headers,
      dataset: DATASET,
      format: 'ndjson',
      out: whole,
    });
    const proxy = await cuttingProxy(200_000);
    try {
      const out = join(dir, 'cut.ndjson');
      const { manifest, deliveries } = await exportToFile({
        gateway: proxy.url,
        headers,
        dataset: DATASET,
        format: 'ndjson',
        out,
      });
      expect(deliveries).toBe(2);
      expect(await manifestProblems(out, manifest)).toEqual([]);
      expect(manifest.sha256).toBe(reference.manifest.sha256);
      expect(fileLines(out)).toEqual(fileLines(whole));
      // Records are counted once: the whole export, and the cut one with its resumption.
      const [usage]: { calls: number }[] = await platform
        .platformDb('grant_usage')
        .where({ grant_id: `exp-cut-${engine}` })
        .select('calls');
      expect(Number(usage!.calls)).toBe(2 * manifest.records);
      const records = await selectAuditRecords(platform.platformDb, {
        consumerDepartment: 'export_cut',
        limit: 1000,
      });
      const cut = records.filter((r) => r.manifest?.includes(manifest.exportId));
      // A record per page, before it left: what the broken delivery sent is what left the
      // subgraph, which may be more than reached the consumer (buffers on the way), and the
      // resumption sent the rest again. Each delivery's end has a record of its own.
      expect(cut.reduce((sum, r) => sum + r.recordCount, 0)).toBeGreaterThanOrEqual(
        manifest.records,
      );
      expect(cut.filter((r) => r.recordCount === 0)).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });

  it('sends only the records changed since the previous export in an incremental one', async () => {
    // Every item unmasked: an incremental export is open to no one else (below).
    const items = [...READABLE, 'ethnicity', 'address', 'phone'];
    await grant({
      id: `exp-incr-${engine}`,
      consumerDepartment: 'export_incr',
      items,
      rowFilter: { regionCode: { startsWith: REGION } },
    });
    const headers = await headersOf('export_incr');
    const first = await exportToFile({
      gateway,
      headers,
      dataset: DATASET,
      items,
      format: 'ndjson',
      out: join(dir, 'incr-0.ndjson'),
    });
    const people = platform.databases.get('public_security')!;
    const changed = [...personRows(PEOPLE)]
      .filter((p) => p.region_code.startsWith(REGION))
      .slice(100, 110)
      .map((p) => p.id_number);
    await people('persons')
      .whereIn('id_number', changed)
      .update({ name: '改名', changed_at: new Date().toISOString() });
    const out = join(dir, 'incr-1.ndjson');
    const { manifest } = await exportToFile({
      gateway,
      headers,
      dataset: DATASET,
      items,
      format: 'ndjson',
      since: first.manifest.exportId,
      out,
    });
    expect(manifest).toMatchObject({
      complete: true,
      records: 10,
      changedSince: first.manifest.startedAt,
    });
    const records = fileLines(out).map((l) => JSON.parse(l) as Record<string, string>);
    expect(records.map((r) => r.idNumber).sort()).toEqual([...changed].sort());
    expect(new Set(records.map((r) => r.name))).toEqual(new Set(['改名']));
  });

  it('refuses an incremental export to a consumer an item is masked from or not given to: a record sent again would say the hidden item changed', async () => {
    const all = [...READABLE, 'ethnicity', 'address', 'phone'];
    const cases = [
      {
        department: 'export_incr_masked',
        masks: { address: { rule: 'KEEP_ENDS', first: 6, last: 0 } },
        items: all,
        item: 'address',
        reason: 'MASKED',
        verb: 'mask',
      },
      {
        department: 'export_incr_part',
        masks: {},
        items: READABLE,
        item: 'ethnicity',
        reason: 'NO_GRANT',
        verb: 'do not give you',
      },
      // Every item in one district, and names everywhere: elsewhere, a record sent again
      // with its name alone would say its hidden items changed.
      {
        department: 'export_incr_two',
        masks: {},
        items: all,
        alsoEverywhere: ['name'],
        item: 'idNumber',
        reason: 'NO_GRANT',
        verb: 'do not give you',
      },
    ] as const;
    for (const c of cases) {
      await grant({
        id: `exp-incr-hidden-${c.department}-${engine}`,
        consumerDepartment: c.department,
        items: [...c.items],
        masks: c.masks,
        rowFilter: { regionCode: { eq: '330106' } },
      });
      if ('alsoEverywhere' in c) {
        await grant({
          id: `exp-incr-all-${engine}`,
          consumerDepartment: c.department,
          items: [...c.alsoEverywhere],
          masks: {},
          rowFilter: null,
        });
      }
      const headers = await headersOf(c.department);
      const first = await exportToFile({
        gateway,
        headers,
        dataset: DATASET,
        format: 'ndjson',
        out: join(dir, `${c.department}-0.ndjson`),
      });
      const people = platform.databases.get('public_security')!;
      const moved = [...personRows(PEOPLE)].find((p) => p.region_code === '330106')!.id_number;
      // The person moves house: only the hidden item changes.
      await people('persons')
        .where({ id_number: moved })
        .update({ address: '新地址', ethnicity: '01', changed_at: new Date().toISOString() });
      const before = await platform.platformDb('exports').count({ n: '*' });
      const refused = await get(
        `/export?since=${first.manifest.exportId}&dataset=${DATASET}`,
        headers,
      );
      expectRefused(refused, 403, { code: 'FORBIDDEN', reason: c.reason, item: c.item });
      expect(refused.text).toContain(`which your grants ${c.verb}, changed`);
      expect(refused.text).not.toContain(moved);
      expect(await platform.platformDb('exports').count({ n: '*' })).toEqual(before);
    }
  });

  it('refuses an incremental export while the table holds a column no item describes: a record sent again would say it changed', async () => {
    const items = [...READABLE, 'ethnicity', 'address', 'phone'];
    await grant({
      id: `exp-incr-undescribed-${engine}`,
      consumerDepartment: 'export_incr_undescribed',
      items,
      rowFilter: { regionCode: { eq: '330106' } },
    });
    const headers = await headersOf('export_incr_undescribed');
    const first = await exportToFile({
      gateway,
      headers,
      dataset: DATASET,
      format: 'ndjson',
      out: join(dir, 'undescribed-0.ndjson'),
    });
    const people = platform.databases.get('public_security')!;
    // The department adds a column of its own after the entry was published.
    await people.schema.alterTable('persons', (t) => t.string('case_flag', 8).nullable());
    try {
      const flagged = [...personRows(PEOPLE)].find((p) => p.region_code === '330106')!.id_number;
      await people('persons')
        .where({ id_number: flagged })
        .update({ case_flag: 'OPEN', changed_at: new Date().toISOString() });
      const since = `/export?since=${first.manifest.exportId}&dataset=${DATASET}`;
      const refused = await get(since, headers);
      expectRefused(refused, 403, { code: 'FORBIDDEN' });
      expect(refused.text).toContain('does not describe');
      // Neither the column nor the record is named to the consumer.
      expect(refused.text).not.toContain('case_flag');
      expect(refused.text).not.toContain(flagged);
      // A whole export still goes.
      expect((await get(`/export?dataset=${DATASET}`, headers)).status).toBe(200);
    } finally {
      await people.schema.alterTable('persons', (t) => t.dropColumn('case_flag'));
    }
    // The column gone, incremental exports open again.
    const again = await get(`/export?since=${first.manifest.exportId}&dataset=${DATASET}`, headers);
    expect(again.status, again.text).toBe(200);
  });

  it('writes CSV with a header, quoted as RFC 4180, checked by the same manifest', async () => {
    await grant({
      id: `exp-csv-${engine}`,
      consumerDepartment: 'export_csv',
      items: ['idNumber', 'address', 'regionCode'],
      rowFilter: { regionCode: { eq: '330106' } },
    });
    const out = join(dir, 'people.csv');
    const { manifest } = await exportToFile({
      gateway,
      headers: await headersOf('export_csv'),
      dataset: DATASET,
      format: 'csv',
      out,
    });
    const expected = [...personRows(PEOPLE)].filter((p) => p.region_code === '330106');
    expect(manifest.records).toBe(expected.length);
    expect(await manifestProblems(out, manifest)).toEqual([]);
    const lines = fileLines(out);
    expect(lines[0]).toBe('idNumber,regionCode,address');
    expect(lines).toHaveLength(expected.length + 1);
  });

  // One engine is enough for the command line: the platform underneath is tested on both.
  it.skipIf(engine !== 'sqlite')(
    'npx govdata export writes the file and its manifest, and says what to do when refused',
    async () => {
      await grant({
        id: `exp-cli-${engine}`,
        consumerDepartment: 'export_cli',
        items: ['regionCode', 'gender'],
        rowFilter: { regionCode: { eq: '330106' } },
      });
      const token = await platform.token({ department: 'export_cli', roles: ['APP_DEVELOPER'] });
      const out = join(dir, 'cli.ndjson');
      const govdata = (...args: string[]) =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
          execFile(
            process.execPath,
            [
              '--import',
              'tsx',
              join('scripts', 'govdata.ts'),
              'export',
              '--gateway',
              gateway,
              '--token',
              token,
              ...args,
            ],
            { timeout: 150_000 },
            (error, stdout, stderr) =>
              resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
          );
        });
      const done = await govdata('--dataset', DATASET, '--out', out, '--purpose', PURPOSE);
      expect(done.code, done.stderr).toBe(0);
      const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as ExportManifest;
      expect(done.stdout).toContain(`${manifest.records} records of ${DATASET}`);
      expect(done.stdout).toContain(`--since ${manifest.exportId}`);
      expect(await manifestProblems(out, manifest)).toEqual([]);
      expect(existsSync(`${out}.export.json`)).toBe(false);
      const refused = await govdata(
        '--dataset',
        DATASET,
        '--out',
        join(dir, 'no.ndjson'),
        '--items',
        'name',
        '--purpose',
        PURPOSE,
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/Item name is not among the items of grant .*request id/);
      expect(refused.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
      // Nothing listening: the export never began, so there is nothing to resume.
      const nobody = `http://127.0.0.1:${await freePort()}`;
      const unreachable = await govdata(
        ...['--gateway', nobody, '--dataset', DATASET, '--out', join(dir, 'none.ndjson')],
        ...['--purpose', PURPOSE],
      );
      expect(unreachable.code).toBe(1);
      expect(unreachable.stderr).toContain(`the gateway at ${nobody} did not answer`);
      expect(unreachable.stderr).toContain('--gateway <url>');
      expect(unreachable.stderr).not.toContain('--resume');
    },
    360_000,
  );

  it("shows the exports on the provider's scorecard", async () => {
    await grant({
      id: `exp-score-${engine}`,
      consumerDepartment: 'export_score',
      items: ['regionCode'],
      rowFilter: { regionCode: { eq: '330106' } },
    });
    const headers = await headersOf('export_score');
    await exportToFile({
      gateway,
      headers,
      dataset: DATASET,
      format: 'ndjson',
      out: join(dir, 's.ndjson'),
    });
    expect((await get(`/export?dataset=${DATASET}&items=name`, headers)).status).toBe(403);
    const day = new Date().toISOString().slice(0, 10);
    const next = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const reviewer = await platform.as('data_office', null, { roles: ['REVIEWER'] });
    const response = await platform.query<{
      departmentScorecard: {
        exports: Record<string, unknown> & { byDataset: Record<string, unknown>[] };
      };
    }>(
      `query ($d: String!, $from: String!, $to: String!) { departmentScorecard(department: $d, from: $from, to: $to) {
        exports { started completed records refused byDataset { dataset started completed records refused } } } }`,
      { d: 'public_security', from: day, to: next },
      reviewer,
    );
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const { exports } = response.data!.departmentScorecard;
    const [people] = exports.byDataset;
    expect(exports.byDataset).toHaveLength(1);
    expect(people).toMatchObject({ dataset: DATASET });
    expect(people!.started).toBeGreaterThanOrEqual(1);
    expect(people!.completed).toBeGreaterThanOrEqual(1);
    expect(people!.records).toBeGreaterThan(0);
    expect(people!.refused).toBeGreaterThanOrEqual(1);
    expect(exports.records).toBe(people!.records);
  });

  it('refuses a GraphQL operation named as exports are in the audit trail: its reads would count as exports', async () => {
    await grant({ id: `exp-label-${engine}`, consumerDepartment: 'export_label' });
    const labelled = await platform.query(
      `query EXPORT { persons(first: 2) { nodes { name } } }`,
      {},
      await headersOf('export_label'),
    );
    expect(labelled.status).toBe(400);
    expect(labelled.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(labelled.data ?? null).toBeNull();
    const records = await selectAuditRecords(platform.platformDb, {
      consumerDepartment: 'export_label',
      limit: 100,
    });
    expect(records.filter((r) => r.kind === 'ACCESS')).toEqual([]);
  });

  it("commits a page's ACCESS record before the page leaves: a stalled export has its records while it is still open", async () => {
    await grant({ id: `exp-ahead-${engine}`, consumerDepartment: 'export_ahead' });
    const stalled = await unreadExport(await headersOf('export_ahead'));
    try {
      expect(stalled.status).toBe(200);
      // The consumer has the headers and whatever the buffers took; the export has not ended.
      const recorded = await waitFor('the first pages recorded', async () => {
        const rows = await selectAuditRecords(platform.platformDb, {
          consumerDepartment: 'export_ahead',
          limit: 100,
        });
        const pages = rows.filter((r) => r.operationName === 'EXPORT' && r.recordCount > 0);
        return pages.length > 0 ? pages : undefined;
      });
      expect(recorded[0]!.recordCount).toBeGreaterThan(0);
      const [row] = await platform
        .platformDb('exports')
        .where({ consumer_department: 'export_ahead' })
        .select('completed_at');
      expect(row).toMatchObject({ completed_at: null });
    } finally {
      stalled.close();
    }
  });

  it('streams at most two exports per consumer from a gateway process at once, and counts each request against the per-second share', async () => {
    await grant({ id: `exp-slots-${engine}`, consumerDepartment: 'export_slots' });
    const headers = await headersOf('export_slots');
    // Two exports whose consumer reads nothing: they stall on backpressure, holding their slots.
    const held = await Promise.all([1, 2].map(() => unreadExport(headers)));
    try {
      expect(held.map((h) => h.status)).toEqual([200, 200]);
      const third = await fetch(new URL(`/export?dataset=${DATASET}`, gateway), { headers });
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
      const body = (await third.json()) as {
        errors: { message: string; extensions: Record<string, unknown> }[];
      };
      expect(body.errors[0]!.extensions).toMatchObject({
        code: 'RATE_LIMITED',
        limit: 'exportsInFlight',
        maximum: 2,
      });
      expect(body.errors[0]!.message).toMatch(/let one finish/);
      // Another consumer is not held back by this one's exports.
      await grant({
        id: `exp-slots-other-${engine}`,
        consumerDepartment: 'export_slots_other',
        rowFilter: { regionCode: { eq: '330106' } },
      });
      const other = await get(`/export?dataset=${DATASET}`, await headersOf('export_slots_other'));
      expect(other.status, other.text).toBe(200);
    } finally {
      for (const h of held) h.close();
    }
    // Once the consumer has gone, its slots are free again.
    await waitFor('a slot freed', async () => {
      const again = await fetch(
        new URL(
          `/export/manifest?id=exp_${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`,
          gateway,
        ),
        { headers },
      );
      await again.body?.cancel();
      const next = await fetch(
        new URL(
          `/export?dataset=${DATASET}&filter=${encodeURIComponent(JSON.stringify({ regionCode: { eq: '330106' } }))}`,
          gateway,
        ),
        { headers },
      );
      const text = await next.text();
      return next.status === 200 ? text : undefined;
    });

    // Requests per second: ten manifest reads at once from an application whose share is 3.
    const burst = await platform.as('export_burst', PURPOSE, { application: BURST_APP });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        get(`/export/manifest?id=exp_${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`, burst),
      ),
    );
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    for (const a of limited) {
      expect(a.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(JSON.parse(a.text).errors[0].extensions).toMatchObject({
        code: 'RATE_LIMITED',
        limit: 'requestsPerSecond',
      });
    }
    expect(answers.filter((a) => a.status === 404).length).toBeLessThanOrEqual(6);
  });

  describe('refuses before any row is sent', () => {
    it('a grant without EXPORT', async () => {
      await grant({
        id: `exp-query-${engine}`,
        consumerDepartment: 'export_query',
        modes: ['QUERY'],
      });
      expectRefused(await get(`/export?dataset=${DATASET}`, await headersOf('export_query')), 403, {
        code: 'FORBIDDEN',
        reason: 'MODE_NOT_ALLOWED',
        dataset: DATASET,
      });
    });

    it('an expired grant', async () => {
      await grant({
        id: `exp-expired-${engine}`,
        consumerDepartment: 'export_expired',
        validUntil: '2021-01-01T00:00:00.000Z',
      });
      expectRefused(
        await get(`/export?dataset=${DATASET}`, await headersOf('export_expired')),
        403,
        {
          reason: 'GRANT_EXPIRED',
        },
      );
    });

    it('a quota already used up', async () => {
      await grant({ id: `exp-quota-${engine}`, consumerDepartment: 'export_quota', dailyQuota: 3 });
      const headers = await headersOf('export_quota');
      const used = await platform.query(`{ persons(first: 3) { nodes { name } } }`, {}, headers);
      expect(used.errors).toBeUndefined();
      // Refused before any record, it says nothing of how many a filter would match.
      const region = encodeURIComponent(JSON.stringify({ regionCode: { eq: '330106' } }));
      for (const filter of ['', `&filter=${region}`]) {
        const refused = await get(`/export?dataset=${DATASET}${filter}`, headers);
        expectRefused(refused, 403, { reason: 'QUOTA_EXCEEDED' });
        expect(refused.headers.get('x-export-total')).toBeNull();
      }
    });

    it('a quota another replica used up refuses alike, matching or not; one with room announces no more than it covers', async () => {
      await grant({
        id: `exp-elsewhere-${engine}`,
        consumerDepartment: 'export_elsewhere',
        dailyQuota: 5,
      });
      const headers = await headersOf('export_elsewhere');
      const region = (code: string) =>
        encodeURIComponent(JSON.stringify({ regionCode: { eq: code } }));
      // Three of five used, here: an export of the whole district is announced as at most two.
      const used = await platform.query(`{ persons(first: 3) { nodes { name } } }`, {}, headers);
      expect(used.errors).toBeUndefined();
      const crossing = await get(`/export?dataset=${DATASET}&filter=${region('330106')}`, headers);
      expect(crossing.status, crossing.text).toBe(200);
      expect(Number(crossing.headers.get('x-export-total'))).toBeLessThanOrEqual(2);
      // Another grant, spent by another replica: this process never charged it.
      await grant({ id: `exp-spent-${engine}`, consumerDepartment: 'export_spent', dailyQuota: 5 });
      const day = (await import('../../schema/index.ts')).civilDateIn(new Date());
      await platform
        .platformDb('grant_usage')
        .insert({ grant_id: `exp-spent-${engine}`, day, calls: 5 });
      const spentHeaders = await headersOf('export_spent');
      for (const code of ['330106', '999999']) {
        const refused = await get(
          `/export?dataset=${DATASET}&filter=${region(code)}`,
          spentHeaders,
        );
        expectRefused(refused, 403, { reason: 'QUOTA_EXCEEDED' });
        expect(refused.headers.get('x-export-total')).toBeNull();
      }
    });

    it('a finished export resumed again and again from its start: sent again uncounted once, then counted, until the quota stops it', async () => {
      const rowFilter = { regionCode: { eq: '330106' } };
      await grant({ id: `exp-count-${engine}`, consumerDepartment: 'export_count', rowFilter });
      const records = (await queried('export_count')).length;
      expect(records).toBeGreaterThan(2);
      await grant({
        id: `exp-replay-${engine}`,
        consumerDepartment: 'export_replay',
        rowFilter,
        dailyQuota: 2 * records,
      });
      const headers = await headersOf('export_replay');
      const { manifest } = await exportToFile({
        gateway,
        headers,
        dataset: DATASET,
        format: 'ndjson',
        out: join(dir, 'replay.ndjson'),
      });
      expect(manifest.records).toBe(records);
      const usage = async () =>
        Number(
          (
            await platform
              .platformDb('grant_usage')
              .where({ grant_id: `exp-replay-${engine}` })
              .select('calls')
          )[0]!.calls,
        );
      // "I hold none of it": a true claim about the empty start of any file.
      const fromStart = `/export?resume=${manifest.exportId}&records=0&sha256=${createHash('sha256').update('').digest('hex')}`;
      for (const counted of [records, 2 * records]) {
        const again = await get(fromStart, headers);
        expect(again.status, again.text).toBe(200);
        expect(again.text.split('\n').filter((l) => l !== '')).toHaveLength(records);
        expect(await usage()).toBe(counted);
      }
      expectRefused(await get(fromStart, headers), 403, { reason: 'QUOTA_EXCEEDED' });
      expectRefused(await get(`/export?dataset=${DATASET}`, headers), 403, {
        reason: 'QUOTA_EXCEEDED',
      });
    });

    it('items outside the grant, and filters on items it masks or does not give', async () => {
      await grant({
        id: `exp-items-${engine}`,
        consumerDepartment: 'export_items',
        masks: { name: { rule: 'SURNAME_ONLY' } },
      });
      const headers = await headersOf('export_items');
      expectRefused(await get(`/export?dataset=${DATASET}&items=name,phone`, headers), 403, {
        reason: 'NO_GRANT',
        item: 'phone',
      });
      const filter = (f: unknown) => encodeURIComponent(JSON.stringify(f));
      expectRefused(
        await get(
          `/export?dataset=${DATASET}&filter=${filter({ name: { startsWith: '王' } })}`,
          headers,
        ),
        403,
        { reason: 'MASKED', item: 'name' },
      );
      expectRefused(
        await get(
          `/export?dataset=${DATASET}&filter=${filter({ phone: { eq: '13800000000' } })}`,
          headers,
        ),
        403,
        { reason: 'NO_GRANT', item: 'phone' },
      );
      const denied = async (kind: string) =>
        (
          await selectAuditRecords(platform.platformDb, {
            consumerDepartment: 'export_items',
            decision: 'DENIED',
            limit: 20,
          })
        ).filter((r) => r.operationName === 'EXPORT' && r.kind === kind);
      expect(await denied('ACCESS')).toHaveLength(3);
      // The gateway's own REQUEST record of each, as a GraphQL request has (written as it ends).
      await vi.waitFor(async () => expect(await denied('REQUEST')).toHaveLength(3));
      const answered = await get(`/export?dataset=${DATASET}&items=name`, headers);
      expect(answered.status).toBe(200);
      await vi.waitFor(async () => {
        const [record] = await selectAuditRecords(platform.platformDb, {
          requestId: answered.headers.get('x-request-id')!,
          kind: 'REQUEST',
          limit: 1,
        });
        expect(record).toMatchObject({ decision: 'ALLOWED', operationName: 'EXPORT' });
      });
    });
  });

  describe('tries to get around it', () => {
    it('SQL metacharacters in a filter are values, and a filter never widens the row filter', async () => {
      await grant({
        id: `exp-sql-${engine}`,
        consumerDepartment: 'export_sql',
        rowFilter: { regionCode: { startsWith: REGION } },
      });
      const headers = await headersOf('export_sql');
      for (const value of ["3301' OR '1'='1", '%', '_', "'; DROP TABLE persons; --"]) {
        const filter = encodeURIComponent(JSON.stringify({ regionCode: { startsWith: value } }));
        const answer = await get(`/export?dataset=${DATASET}&filter=${filter}`, headers);
        expect(answer.status, answer.text).toBe(200);
        expect(answer.text).toBe('');
      }
      // A date compared as text would answer for anything: it must be a date.
      const notADate = await get(
        `/export?dataset=${DATASET}&filter=${encodeURIComponent(JSON.stringify({ birthDate: { gt: "2019-13-45'--" } }))}`,
        await grantedReadable('export_sql_dates'),
      );
      expectRefused(notADate, 400, { code: 'BAD_USER_INPUT' });
      expect(notADate.text).toContain('filter.birthDate.gt');
      const wider = encodeURIComponent(JSON.stringify({ regionCode: { startsWith: '33' } }));
      const answer = await get(
        `/export?dataset=${DATASET}&items=regionCode&filter=${wider}`,
        headers,
      );
      const regions = answer.text
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { regionCode: string }).regionCode);
      expect(regions.length).toBeGreaterThan(0);
      expect(regions.every((r) => r.startsWith(REGION))).toBe(true);
      expectRefused(await get(`/export?dataset=${DATASET}&filter=%7Bnot%20json`, headers), 400, {
        code: 'BAD_USER_INPUT',
      });
      expect(await platform.databases.get('public_security')!('persons').count({ n: '*' })).toEqual(
        [{ n: PEOPLE }],
      );
    });

    it("another department's export id, a completed export replayed, a forged or altered resumption", async () => {
      await grant({
        id: `exp-own-${engine}`,
        consumerDepartment: 'export_own',
        rowFilter: { regionCode: { eq: '330106' } },
      });
      await grant({
        id: `exp-other-${engine}`,
        consumerDepartment: 'export_other',
        rowFilter: { regionCode: { eq: '330106' } },
      });
      const own = await headersOf('export_own');
      const other = await headersOf('export_other');
      const out = join(dir, 'own.ndjson');
      const { manifest } = await exportToFile({
        gateway,
        headers: own,
        dataset: DATASET,
        format: 'ndjson',
        out,
      });
      const id = manifest.exportId;
      // The ID number masked (it embeds birth dates): in the lists' keyed-hash order, value for value.
      expect(manifest.masks).toEqual({ idNumber: { rule: 'KEEP_ENDS', first: 6, last: 0 } });
      expect(fileLines(out)).toEqual(await queried('export_own'));
      const held = `records=0&sha256=${'0'.repeat(64)}`;
      expectRefused(await get(`/export?resume=${id}&${held}`, other), 404, { code: 'NOT_FOUND' });
      expectRefused(await get(`/export/manifest?id=${id}`, other), 404, { code: 'NOT_FOUND' });
      expectRefused(await get(`/export?since=${id}&dataset=${DATASET}`, other), 404, {
        code: 'NOT_FOUND',
      });
      // The provider reads the manifest of an export of its data.
      const provider = await platform.as('public_security', PURPOSE);
      expect(JSON.parse((await get(`/export/manifest?id=${id}`, provider)).text)).toEqual(manifest);
      // A finished export resumes only from records the consumer holds, and only for a day.
      expectRefused(await get(`/export?resume=${id}&${held}`, own), 409, { code: 'CONFLICT' });
      const whole = `records=${manifest.records}&sha256=${manifest.sha256}`;
      const nothingLeft = await get(`/export?resume=${id}&${whole}`, own);
      expect(nothingLeft.status, nothingLeft.text).toBe(200);
      expect(nothingLeft.text).toBe('');
      await platform
        .platformDb('exports')
        .where({ id })
        .update({ started_at: '2020-01-01T00:00:00.000Z' });
      expectRefused(await get(`/export?resume=${id}&${whole}`, own), 409, { code: 'CONFLICT' });
      expectRefused(
        await get(
          `/export?resume=exp_${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}&${held}`,
          own,
        ),
        404,
        {
          code: 'NOT_FOUND',
        },
      );
      expectRefused(await get(`/export?resume=../../etc&${held}`, own), 404, { code: 'NOT_FOUND' });
      // An unfinished one resumed with records the consumer does not hold: refused, nothing sent.
      const proxy = await cuttingProxy(50_000);
      try {
        await expect(
          exportToFile({
            gateway: proxy.url,
            headers: own,
            dataset: DATASET,
            format: 'ndjson',
            out,
            retries: 0,
          }),
        ).rejects.toThrow();
      } finally {
        await proxy.close();
      }
      const state = JSON.parse(readFileSync(`${out}.export.json`, 'utf8')) as { exportId: string };
      expectRefused(
        await get(`/export?resume=${state.exportId}&records=1&sha256=${'a'.repeat(64)}`, own),
        409,
        { code: 'CONFLICT' },
      );
      const resumed = await exportToFile({
        gateway,
        headers: own,
        dataset: DATASET,
        format: 'ndjson',
        out,
        resume: true,
      });
      expect(resumed.manifest.sha256).toBe(manifest.sha256);
      await expect(
        exportToFile({
          gateway,
          headers: own,
          dataset: DATASET,
          format: 'ndjson',
          out,
          resume: true,
        }),
      ).rejects.toBeInstanceOf(ExportRefused);
    });

    it('the subgraph answers exports only to the gateway: no token, a forged one, one for another request', async () => {
      const subgraph = platform.subgraphs.find((s) => s.name === 'public_security')!;
      const base = new URL(subgraph.url).origin;
      const path = `/export?dataset=${DATASET}`;
      expect((await fetch(new URL(path, base))).status).toBe(401);
      const forged = await fetch(new URL(path, base), {
        headers: { [INTERNAL_TOKEN_HEADER]: 'eyJhbGciOiJFZERTQSJ9.e30.c2lnbmF0dXJl' },
      });
      expect(forged.status).toBe(401);
      // A token the gateway signed for one request line opens no other (a captured one replayed).
      const identity = {
        caller: {
          department: 'public_security',
          application: null,
          user: null,
          roles: ['APP_DEVELOPER' as const],
        },
        purpose: PURPOSE,
        grantId: null,
        requestId: 'r1',
        correlationId: null,
        operationName: 'EXPORT',
      };
      const config = testConfig(platform.database);
      const { privateKey } = await loadOrCreateSigningKeys(
        config.auth.gatewayPrivateKeyFile,
        config.auth.gatewayPublicKeyFile,
      );
      const own = '/export/manifest?id=exp_x';
      const token = await signInternalToken(
        identity,
        'public_security',
        privateKey,
        getRequestBody(own),
      );
      // On its own request line the token is the gateway's: the subgraph answers (no such export).
      expect(
        (await fetch(new URL(own, base), { headers: { [INTERNAL_TOKEN_HEADER]: token } })).status,
      ).toBe(404);
      const replayed = await fetch(new URL(path, base), {
        headers: { [INTERNAL_TOKEN_HEADER]: token },
      });
      expect(replayed.status).toBe(401);
      expect(await replayed.text()).not.toContain('"idNumber"');
      // Anonymous callers at the gateway: refused.
      expectRefused(await get(path, {}), 401, { code: 'UNAUTHENTICATED' });
    });
  });
});
