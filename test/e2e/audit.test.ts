import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChains } from '../../server/index.ts';
import { DEMO_PERSON_INDEX, personIdNumberAt } from '../../subgraphs/demo-data/index.ts';
import {
  startTestPlatform,
  type GraphQLResponse,
  type TestPlatform,
} from '../support/testPlatform.ts';
import { availableEngines } from '../support/testDatabase.ts';
import { waitFor } from '../support/responses.ts';

const PERSON = personIdNumberAt(DEMO_PERSON_INDEX);

const ENGINES = await availableEngines();

describe.each(ENGINES)('on %s', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform(engine);
  });
  afterAll(() => platform?.close());

  async function bearer(
    department: string,
    role: 'APP_DEVELOPER' | 'DEPT_IT' | 'REVIEWER' | 'ADMIN',
  ) {
    return {
      authorization: `Bearer ${await platform.token({ department, roles: [role], user: `${department}.${role}` })}`,
    };
  }

  interface AuditNode {
    id: string;
    kind: string;
    requestId: string;
    correlationId: string | null;
    dataset: string | null;
    consumerDepartment: string | null;
    providerDepartment: string | null;
    decision: string;
    reason: string | null;
    itemsReturned: string[];
    itemsMasked: string[];
    itemsDenied: string[];
    recordCount: number;
    purpose: string | null;
  }

  const RECORDS = `query($f: AuditFilter, $first: Int, $after: String) {
    auditRecords(filter: $f, first: $first, after: $after) {
      nodes { id kind requestId correlationId dataset consumerDepartment providerDepartment decision reason itemsReturned itemsMasked itemsDenied recordCount purpose }
      pageInfo { hasNextPage endCursor }
    }
  }`;

  async function records(
    headers: Record<string, string>,
    filter: Record<string, unknown> = {},
  ): Promise<AuditNode[]> {
    const all: AuditNode[] = [];
    let after: string | null = null;
    for (;;) {
      const response: GraphQLResponse<{
        auditRecords: {
          nodes: AuditNode[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      }> = await platform.query(RECORDS, { f: filter, first: 200, after }, headers);
      expect(response.errors).toBeUndefined();
      all.push(...response.data!.auditRecords.nodes);
      if (!response.data!.auditRecords.pageInfo.hasNextPage) return all;
      after = response.data!.auditRecords.pageInfo.endCursor;
    }
  }

  describe('what is recorded', () => {
    it('records allowed, masked, partial and denied accesses with items and counts, and no row values', async () => {
      const headers = {
        ...(await bearer('civil_affairs', 'APP_DEVELOPER')),
        'x-purpose': 'social-assistance',
        'x-request-id': 'audit-test-1',
      };
      const response = await platform.query(
        `query Check($id: String!) { person(idNumber: $id) { name birthDate phone utilityAccounts { accountNumber address } } }`,
        { id: PERSON },
        headers,
      );
      expect(response.data).toBeTruthy();
      const mine = await records(await bearer('data_office', 'ADMIN'), {
        correlationId: 'audit-test-1',
      });
      const request = mine.find((r) => r.kind === 'REQUEST')!;
      // Data came back beside the refused phone: PARTIAL, not ERROR.
      expect(request).toMatchObject({
        consumerDepartment: 'civil_affairs',
        purpose: 'social-assistance',
        decision: 'PARTIAL',
        reason: 'FORBIDDEN',
        correlationId: 'audit-test-1',
      });
      // The platform's own id, the same on every record of the request.
      expect(request.requestId).toMatch(/^[0-9a-f-]{36}$/);
      // One commit for the request: the subgraphs handed their ACCESS records back
      // and the gateway wrote them right after its REQUEST record, in one batch.
      const chained: { kind: string; writer: string; seq: number }[] = await platform
        .platformDb('audit_records')
        .where({ request_id: request.requestId })
        .orderBy('seq')
        .select('kind', 'writer', 'seq');
      expect(chained.map((r) => r.kind)).toEqual(['REQUEST', 'ACCESS', 'ACCESS']);
      expect(new Set(chained.map((r) => r.writer)).size).toBe(1);
      expect(chained.map((r) => r.seq - chained[0]!.seq)).toEqual([0, 1, 2]);
      expect(new Set(mine.map((r) => r.requestId))).toEqual(new Set([request.requestId]));
      const person = mine.find((r) => r.dataset === 'PS-POP-001')!;
      expect(person).toMatchObject({
        kind: 'ACCESS',
        decision: 'PARTIAL',
        reason: 'NO_GRANT',
        recordCount: 1,
        providerDepartment: 'public_security',
      });
      expect(person.itemsReturned).toEqual(expect.arrayContaining(['name', 'birthDate']));
      expect(person.itemsReturned).not.toContain('phone');
      expect(person.itemsMasked).toEqual(['birthDate']);
      expect(person.itemsDenied).toEqual(['phone']);
      const water = mine.find((r) => r.dataset === 'CW-ACC-001')!;
      // The account number embeds the address's region, so it is masked with the address.
      expect(water).toMatchObject({
        decision: 'MASKED',
        itemsMasked: ['accountNumber', 'address'],
      });
      expect(water.recordCount).toBeGreaterThan(0);
      // No row value anywhere in the trail.
      const raw = JSON.stringify(await platform.platformDb('audit_records').select('*'));
      expect(raw).not.toContain(PERSON);
    });

    it('records a denied request with its reason', async () => {
      const headers = {
        ...(await bearer('transport', 'APP_DEVELOPER')),
        'x-request-id': 'audit-test-2',
      };
      await platform.query(
        `query($id: String!) { person(idNumber: $id) { name } }`,
        { id: PERSON },
        headers,
      );
      const reviewer = await bearer('data_office', 'REVIEWER');
      const [access] = await records(reviewer, { correlationId: 'audit-test-2', kind: 'ACCESS' });
      expect(access).toMatchObject({
        dataset: 'PS-POP-001',
        decision: 'DENIED',
        reason: 'NO_GRANT',
        recordCount: 0,
      });
      const [request] = await records(reviewer, { correlationId: 'audit-test-2', kind: 'REQUEST' });
      expect(request).toMatchObject({ decision: 'DENIED', reason: 'FORBIDDEN' });
      // The platform's id finds the same records.
      expect(
        (await records(reviewer, { requestId: request!.requestId })).map((r) => r.id).sort(),
      ).toEqual([access!.id, request!.id].sort());
    });
  });

  describe('who sees what', () => {
    beforeAll(async () => {
      const tax = { ...(await bearer('tax', 'APP_DEVELOPER')), 'x-request-id': 'audit-vis-tax' };
      await platform.query(
        `{ enterprises(first: 3) { nodes { name } } licenses(first: 2) { nodes { kind } } }`,
        {},
        tax,
      );
    });

    it('shows a provider every access to its datasets, and nothing else', async () => {
      const seen = await records(await bearer('market_supervision', 'DEPT_IT'));
      expect(seen.length).toBeGreaterThan(0);
      expect(
        seen.every(
          (r) =>
            r.providerDepartment === 'market_supervision' ||
            r.consumerDepartment === 'market_supervision',
        ),
      ).toBe(true);
      expect(
        seen.some((r) => r.correlationId === 'audit-vis-tax' && r.dataset === 'MS-ENT-001'),
      ).toBe(true);
      expect(seen.some((r) => r.dataset === 'BE-LIC-001')).toBe(false);
    });

    it('shows a consumer its own requests and accesses only', async () => {
      const seen = await records(await bearer('tax', 'APP_DEVELOPER'));
      expect(
        seen
          .filter((r) => r.correlationId === 'audit-vis-tax')
          .map((r) => r.dataset)
          .sort(),
      ).toEqual(['BE-LIC-001', 'MS-ENT-001', null]);
      expect(
        seen.every((r) => r.consumerDepartment === 'tax' || r.providerDepartment === 'tax'),
      ).toBe(true);
      const refused = await platform.query(
        RECORDS,
        { f: { department: 'civil_affairs' } },
        await bearer('tax', 'APP_DEVELOPER'),
      );
      expect(refused.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    });

    it('shows reviewers and admins everything, anonymous callers nothing', async () => {
      const all = await records(await bearer('data_office', 'REVIEWER'));
      // Everyone's, including the platform API requests of the other tests.
      expect([...new Set(all.map((r) => r.consumerDepartment))]).toEqual(
        expect.arrayContaining([
          'civil_affairs',
          'transport',
          'tax',
          'market_supervision',
          'data_office',
        ]),
      );
      const anonymous = await platform.query(RECORDS, {});
      expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    });

    it('exports the same records as CSV', async () => {
      const headers = await bearer('market_supervision', 'DEPT_IT');
      const listed = await records(headers, { dataset: 'MS-ENT-001' });
      const csv = (
        await platform.query<{ auditCsv: string }>(
          `query($f: AuditFilter) { auditCsv(filter: $f) }`,
          { f: { dataset: 'MS-ENT-001' } },
          headers,
        )
      ).data!.auditCsv;
      const lines = csv.trimEnd().split('\r\n');
      const header = lines[0]!.split(',');
      expect(header.slice(0, 4)).toEqual(['id', 'at', 'kind', 'requestId']);
      expect(lines).toHaveLength(listed.length + 1);
      const ids = lines.slice(1).map((l) => l.split(',')[0]);
      expect(ids).toEqual(listed.map((r) => r.id));
      const decisionColumn = header.indexOf('decision');
      expect(lines.slice(1).map((l) => l.split(',')[decisionColumn])).toEqual(
        listed.map((r) => r.decision),
      );
    });
  });

  describe('tamper evidence', () => {
    it('names an edited record and a deleted one', async () => {
      for (let i = 0; i < 5; i++) {
        await platform.query(
          `{ enterprises(first: 1) { nodes { name } } }`,
          {},
          { ...(await bearer('tax', 'APP_DEVELOPER')), 'x-request-id': `tamper-${i}` },
        );
      }
      const before = await verifyAuditChains(platform.platformDb);
      expect(before).toMatchObject({ ok: true, problems: [] });
      const rows = (await platform
        .platformDb('audit_records')
        .where('correlation_id', 'like', 'tamper-%')
        .orderBy('id')) as { id: number; writer: string; seq: number }[];
      const edited = rows[1]!;
      const deleted = rows[3]!;
      await platform
        .platformDb('audit_records')
        .where({ id: edited.id })
        .update({ record_count: 999 });
      await platform.platformDb('audit_records').where({ id: deleted.id }).delete();

      const after = await verifyAuditChains(platform.platformDb);
      expect(after.ok).toBe(false);
      expect(after.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            writer: edited.writer,
            recordId: edited.id,
            seq: edited.seq,
            problem: expect.stringContaining('edited'),
          }),
          expect.objectContaining({
            writer: deleted.writer,
            seq: deleted.seq,
            problem: expect.stringContaining('missing'),
          }),
        ]),
      );
      const viaApi = await platform.query<{
        verifyAuditChain: { ok: boolean; problems: { recordId: string | null; seq: number }[] };
      }>(
        `{ verifyAuditChain { ok problems { recordId seq problem } } }`,
        {},
        await bearer('data_office', 'ADMIN'),
      );
      expect(viaApi.data!.verifyAuditChain.ok).toBe(false);
      expect(viaApi.data!.verifyAuditChain.problems.map((p) => p.seq)).toEqual(
        expect.arrayContaining([edited.seq, deleted.seq]),
      );
    });
  });

  describe('fail closed', () => {
    it('answers no data, with UNAVAILABLE and 503, while the audit store cannot record, and recovers after', async () => {
      const headers = await bearer('tax', 'APP_DEVELOPER');
      const query = `{ enterprises(first: 2) { nodes { name } } }`;
      await platform.platformDb.schema.renameTable('audit_records', 'audit_records_away');
      try {
        const refused = await platform.query(query, {}, headers);
        expect(refused.status).toBe(503);
        expect(refused.data ?? null).toBeNull();
        expect(refused.errors![0]!.extensions!.code).toBe('UNAVAILABLE');
        expect(JSON.stringify(refused)).not.toMatch(/有限公司|商行/);
      } finally {
        await platform.platformDb.schema.renameTable('audit_records_away', 'audit_records');
      }
      // The writer refuses at once for a moment after a failed write, then tries again.
      const answered = await waitFor('the audit store to take records again', async () => {
        const response = await platform.query(query, {}, headers);
        return response.status === 503 ? undefined : response;
      });
      expect(answered.status).toBe(200);
      expect(answered.errors).toBeUndefined();
      expect(
        (await verifyAuditChains(platform.platformDb)).problems.filter(
          (p) => !p.problem.includes('edited') && !p.problem.includes('missing'),
        ),
      ).toEqual([]);
    });
  });
});
