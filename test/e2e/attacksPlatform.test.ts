import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chainHash,
  loadVerifyKey,
  signCheckpoint,
  verifyAuditChains,
  type CheckpointVerification,
  type PlatformConfig,
} from '../../server/index.ts';
import { fromAuditRow, type AuditRow } from '../../server/audit/auditQueries.ts';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.ts';
import { mysqlAvailable, type Engine } from '../support/testDatabase.ts';
import { ok, waitFor } from '../support/responses.ts';

/**
 * Acceptance for issue 11, findings 9–11, tried as an attacker would against
 * the platform's own workflows: an approval that widens the application, a
 * catalogue binding that reaches tables that are not the department's, and an
 * audit trail rewritten by someone with write access to the database. Each
 * test is the attack and fails if the attack succeeds.
 */

const ENGINES: Engine[] = (await mysqlAvailable()) ? ['sqlite', 'mysql'] : ['sqlite'];

type Role = 'DEPT_IT' | 'REVIEWER' | 'APP_DEVELOPER' | 'ADMIN';

async function bearer(platform: TestPlatform, department: string, role: Role, user: string) {
  return {
    authorization: `Bearer ${await platform.token({ department, roles: [role], user })}`,
  };
}

const APPLY = `mutation($input: ApplicationInput!) { applyForAccess(input: $input) { id } }`;
const APPROVE = `mutation($id: ID!, $c: GrantConditionsInput!) {
  approveSharingApplication(id: $id, conditions: $c) { status grant { id } }
}`;
const GRANTS_OF_TAX = `{ grants(consumerDepartment: "tax") { id } }`;

describe.each(ENGINES)('on %s', (engine) => {
  let platform: TestPlatform;
  let as: Record<'taxDeveloper' | 'waterIt' | 'admin', Record<string, string>>;

  let config: PlatformConfig;
  let checkpoints: CheckpointVerification;

  beforeAll(async () => {
    // Checkpoints every 200 ms, so the tests need not wait the default 10 s.
    platform = await startTestPlatform(engine, {}, (c) => {
      config = { ...c, auditCheckpoints: { ...c.auditCheckpoints, intervalMs: 200 } };
      return config;
    });
    checkpoints = {
      files: [config.auditCheckpoints.file],
      publicKey: await loadVerifyKey(config.auth.gatewayPublicKeyFile),
    };
    as = {
      taxDeveloper: await bearer(platform, 'tax', 'APP_DEVELOPER', 'qian.dev'),
      waterIt: await bearer(platform, 'city_water', 'DEPT_IT', 'sun.it'),
      admin: await bearer(platform, 'data_office', 'ADMIN', 'zhou.admin'),
    };
  });

  afterAll(async () => {
    await platform?.close();
  });

  describe('finding 9: an approval never widens the application', () => {
    /** Tax applies for two items of the water accounts, for one purpose, QUERY only, until 2027-06-01. */
    async function apply(): Promise<string> {
      return ok(
        await platform.query<{ applyForAccess: { id: string } }>(
          APPLY,
          {
            input: {
              dataset: 'CW-ACC-001',
              items: ['accountNumber', 'address'],
              purpose: 'tax-assessment',
              scenario: 'Checking declared residence of taxpayers.',
              legalBasis: 'Tax Collection Administration Law, art. 6.',
              requestedFrom: '2026-12-01',
              requestedUntil: '2027-06-01',
              modes: ['QUERY'],
            },
          },
          as.taxDeveloper,
        ),
      ).applyForAccess.id;
    }

    const asApplied = {
      items: ['accountNumber', 'address'],
      purposes: ['tax-assessment'],
      modes: ['QUERY'],
      validFrom: '2026-12-01',
      validUntil: '2027-06-01',
    };

    async function grantIds(): Promise<string[]> {
      const response = await platform.query<{ grants: { id: string }[] }>(
        GRANTS_OF_TAX,
        {},
        as.admin,
      );
      return ok(response).grants.map((g) => g.id);
    }

    /** The approval is refused naming `field`, the application is still open, and no grant was made. */
    async function refusedNaming(
      conditions: Record<string, unknown>,
      field: string,
      asked: RegExp,
    ) {
      const id = await apply();
      const before = await grantIds();
      const response = await platform.query(APPROVE, { id, c: conditions }, as.waterIt);
      expect(response.data?.approveSharingApplication ?? null).toBeNull();
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: `conditions.${field}`,
      });
      expect(response.errors![0]!.message).toMatch(asked);
      expect(await grantIds()).toEqual(before);
      const status = await platform.query<{ sharingApplication: { status: string } }>(
        `query($id: ID!) { sharingApplication(id: $id) { status } }`,
        { id },
        as.waterIt,
      );
      expect(ok(status).sharingApplication.status).toBe('SUBMITTED');
    }

    it('the attack as found: other purposes and a period to 2099 are refused', async () => {
      await refusedNaming(
        { ...asApplied, purposes: ['anything-at-all', 'marketing'], validUntil: '2099-12-31' },
        'purposes',
        /anything-at-all, marketing not applied for \(applied for: tax-assessment\)[\s\S]*2099-12-31 is after the requested end 2027-06-01/,
      );
    });

    it('an extra mode is refused', async () => {
      await refusedNaming(
        { ...asApplied, modes: ['QUERY', 'VERIFY'] },
        'modes',
        /VERIFY not applied for/,
      );
    });

    it('an extra item is refused', async () => {
      await refusedNaming(
        { ...asApplied, items: ['accountNumber', 'address', 'arrears'] },
        'items',
        /arrears not applied for \(applied for: accountNumber, address\)/,
      );
    });

    it('a validity starting before the requested start is refused', async () => {
      await refusedNaming(
        { ...asApplied, validFrom: '2026-11-30' },
        'validFrom',
        /before the requested start 2026-12-01/,
      );
    });

    it('a date-time one second past the requested end is refused', async () => {
      await refusedNaming(
        { ...asApplied, validUntil: '2027-06-01T00:00:01Z' },
        'validUntil',
        /after the requested end 2027-06-01/,
      );
    });

    it('a narrower approval (fewer items, a mask, a row filter, a quota, a shorter period) is granted', async () => {
      const id = await apply();
      const approved = ok(
        await platform.query<{
          approveSharingApplication: { status: string; grant: { id: string } };
        }>(
          APPROVE,
          {
            id,
            c: {
              items: ['address'],
              masks: [{ item: 'address', rule: 'KEEP_ENDS', first: 6, last: 0 }],
              rowFilter: [{ item: 'status', eq: 'ACTIVE' }],
              purposes: ['tax-assessment'],
              modes: ['QUERY'],
              validFrom: '2027-01-01',
              validUntil: '2027-03-01',
              dailyQuota: 100,
            },
          },
          as.waterIt,
        ),
      ).approveSharingApplication;
      expect(approved.status).toBe('APPROVED');
      expect(await grantIds()).toContain(approved.grant.id);
    });
  });

  describe('finding 11: a rewritten audit chain does not verify', () => {
    /** Some audited reads, then wait until a signed checkpoint covers every record. */
    async function auditedReadsThenCheckpoint(
      count: number,
    ): Promise<{ writer: string; seq: number }> {
      const headers = await platform.as('tax');
      for (let i = 0; i < count; i++) {
        await platform.query(`{ enterprises(first: 1) { nodes { name } } }`, {}, headers);
      }
      await waitFor('a signed checkpoint covering every record', async () => {
        const result = await verifyAuditChains(platform.platformDb, checkpoints);
        return result.ok && result.unsignedRecords === 0 ? result : undefined;
      });
      const [head] = await platform
        .platformDb<{ writer: string; last_seq: number }>('audit_chains')
        .select('writer', 'last_seq');
      return { writer: head!.writer, seq: Number(head!.last_seq) };
    }

    /** Runs `tamper` on the platform database, then puts every record, the head and the checkpoint file back. */
    async function thenRestore(writer: string, tamper: (db: Knex) => Promise<void>) {
      const db = platform.platformDb;
      const saved = (await db('audit_records').where({ writer })) as AuditRow[];
      const file = readFileSync(config.auditCheckpoints.file, 'utf8');
      try {
        await tamper(db);
      } finally {
        writeFileSync(config.auditCheckpoints.file, file);
        for (const row of saved) {
          await db('audit_records').where({ id: row.id }).delete();
          await db('audit_records').insert(row);
        }
        const last = (await db('audit_records')
          .where({ writer })
          .orderBy('seq', 'desc')
          .first()) as AuditRow;
        await db('audit_chains')
          .where({ writer })
          .update({ last_seq: last.seq, last_hash: last.hash });
      }
      expect((await verifyAuditChains(db, checkpoints)).problems).toEqual([]);
    }

    /** What an attacker with write access does: change a record, recompute every later hash and the head. */
    async function rewrite(db: Knex, writer: string, seq: number, change: Partial<AuditRow>) {
      const rows = (await db('audit_records')
        .where({ writer })
        .where('seq', '>=', seq)
        .orderBy('seq')) as AuditRow[];
      let prev = rows[0]!.prev_hash;
      for (const row of rows) {
        const changed = { ...row, ...(Number(row.seq) === seq ? change : {}), prev_hash: prev };
        const hash = chainHash(writer, Number(row.seq), prev, fromAuditRow(changed));
        await db('audit_records')
          .where({ id: row.id })
          .update({ ...(Number(row.seq) === seq ? change : {}), prev_hash: prev, hash });
        prev = hash;
      }
      await db('audit_chains').where({ writer }).update({ last_hash: prev });
    }

    it('the attack as found: a record rewritten with the whole chain and head recomputed is named', async () => {
      const { seq: signedThrough } = await auditedReadsThenCheckpoint(3);
      const { writer } = await auditedReadsThenCheckpoint(3);
      const target = (await platform
        .platformDb('audit_records')
        .where({ writer, seq: signedThrough + 1 })
        .first()) as AuditRow;
      await thenRestore(writer, async (db) => {
        await rewrite(db, writer, signedThrough + 1, { consumer_department: 'civil_affairs' });
        // The hash chain alone is fooled: that is the attack.
        expect((await verifyAuditChains(db)).ok).toBe(true);
        const result = await verifyAuditChains(db, checkpoints);
        expect(result.ok).toBe(false);
        expect(result.problems[0]).toMatchObject({
          writer,
          recordId: Number(target.id),
          seq: signedThrough + 1,
          problem: expect.stringMatching(/no longer fit the checkpoint signed at .* rewritten/),
        });
        const viaApi = await platform.query<{
          verifyAuditChain: { ok: boolean; problems: { recordId: string | null; seq: number }[] };
        }>(
          `{ verifyAuditChain { ok problems { recordId seq problem } } }`,
          {},
          await bearer(platform, 'data_office', 'REVIEWER', 'zhao.reviewer'),
        );
        expect(viaApi.data!.verifyAuditChain.ok).toBe(false);
        expect(viaApi.data!.verifyAuditChain.problems[0]).toMatchObject({
          recordId: String(target.id),
          seq: signedThrough + 1,
        });
      });
    });

    it('the newest records deleted with the head moved back are reported', async () => {
      const { writer, seq } = await auditedReadsThenCheckpoint(4);
      await thenRestore(writer, async (db) => {
        await db('audit_records')
          .where({ writer })
          .where('seq', '>', seq - 3)
          .delete();
        const last = (await db('audit_records')
          .where({ writer, seq: seq - 3 })
          .first()) as AuditRow;
        await db('audit_chains')
          .where({ writer })
          .update({ last_seq: seq - 3, last_hash: last.hash });
        expect((await verifyAuditChains(db)).ok).toBe(true);
        const result = await verifyAuditChains(db, checkpoints);
        expect(result.problems).toEqual([
          expect.objectContaining({
            writer,
            seq: seq - 2,
            problem: expect.stringContaining(`records ${seq - 2}..${seq} were deleted`),
          }),
        ]);
      });
    });

    it('a whole chain deleted, records and head, is reported', async () => {
      const { writer } = await auditedReadsThenCheckpoint(1);
      const head = (await platform.platformDb('audit_chains').where({ writer }).first()) as object;
      try {
        await thenRestore(writer, async (db) => {
          await db('audit_records').where({ writer }).delete();
          await db('audit_chains').where({ writer }).delete();
          const result = await verifyAuditChains(db, checkpoints);
          expect(result.problems).toEqual([
            expect.objectContaining({
              writer,
              problem: expect.stringContaining('not in the database'),
            }),
          ]);
          await db('audit_chains').insert(head);
        });
      } finally {
        if (!(await platform.platformDb('audit_chains').where({ writer }).first()))
          await platform.platformDb('audit_chains').insert(head);
      }
    });

    it('a chain forged from scratch, with consistent hashes, has no signed checkpoint', async () => {
      const { writer } = await auditedReadsThenCheckpoint(1);
      const real = (await platform
        .platformDb('audit_records')
        .where({ writer, seq: 1 })
        .first()) as AuditRow;
      const forger = '00000000-0000-4000-8000-000000000000';
      const forged = { ...fromAuditRow(real), consumerDepartment: 'civil_affairs' };
      const hash = chainHash(forger, 1, '0'.repeat(64), forged);
      const { id: _id, ...row } = real;
      void _id;
      await thenRestore(writer, async (db) => {
        await db('audit_records').insert({
          ...row,
          writer: forger,
          consumer_department: 'civil_affairs',
          hash,
        });
        await db('audit_chains').insert({
          writer: forger,
          role: 'gateway',
          last_seq: 1,
          last_hash: hash,
          started_at: real.at,
          updated_at: real.at,
        });
        try {
          expect((await verifyAuditChains(db)).ok).toBe(true);
          expect((await verifyAuditChains(db, checkpoints)).problems).toEqual([
            expect.objectContaining({
              writer: forger,
              problem: expect.stringContaining('no signed checkpoint'),
            }),
          ]);
        } finally {
          await db('audit_records').where({ writer: forger }).delete();
          await db('audit_chains').where({ writer: forger }).delete();
        }
      });
    });

    it('a forged checkpoint line, signed with another key, is reported', async () => {
      const { writer, seq } = await auditedReadsThenCheckpoint(1);
      await thenRestore(writer, async (db) => {
        const other = generateKeyPairSync('ed25519').privateKey;
        const line = signCheckpoint(
          { writer, seq: seq + 5, hash: 'f'.repeat(64), at: new Date().toISOString() },
          other,
        );
        appendFileSync(config.auditCheckpoints.file, `${JSON.stringify(line)}\n`);
        const result = await verifyAuditChains(db, checkpoints);
        expect(result.problems).toEqual([
          expect.objectContaining({
            writer,
            seq: seq + 5,
            problem: expect.stringContaining('forged'),
          }),
        ]);
      });
    });

    it('an edited checkpoint line is reported, and cannot vouch for a rewrite', async () => {
      const { writer, seq } = await auditedReadsThenCheckpoint(2);
      await thenRestore(writer, async (db) => {
        await rewrite(db, writer, seq, { record_count: 999 });
        const forgedHead = (await db('audit_records').where({ writer, seq }).first()) as AuditRow;
        // The attacker also edits the last checkpoint to name the rewritten hash.
        const lines = readFileSync(config.auditCheckpoints.file, 'utf8').trimEnd().split('\n');
        const index = lines.findLastIndex((l) => (JSON.parse(l) as { seq: number }).seq === seq);
        lines[index] = JSON.stringify({
          ...(JSON.parse(lines[index]!) as object),
          hash: forgedHead.hash,
        });
        writeFileSync(config.auditCheckpoints.file, `${lines.join('\n')}\n`);
        const result = await verifyAuditChains(db, checkpoints);
        expect(result.ok).toBe(false);
        expect(result.problems).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ writer, seq, problem: expect.stringContaining('edited') }),
          ]),
        );
      });
    });
  });
});
