import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromAuditRow, type AuditRow } from '../../server/audit/auditQueries.ts';
import {
  chainHash,
  DepartmentVerifyKeys,
  GENESIS_HASH,
  verifyAuditChains,
  type AttestationVerification,
} from '../../server/index.ts';
import { DEMO_PERSON_INDEX, personAt } from '../../subgraphs/demo-data/index.ts';
import { startCommand } from '../support/commandProcess.ts';
import { startTestPlatform, testConfig, type TestPlatform } from '../support/testPlatform.ts';
import { availableEngines } from '../support/testDatabase.ts';

/**
 * Issue 20 as attacks: the gateway commits the ACCESS records department
 * subgraphs hand back, and anyone with write access to the platform database
 * can rewrite a record and recompute every hash. Each ACCESS record carries
 * its department's signature, which neither holds; `audit:verify` checks it.
 * Each test fails if the attack works. (The gateway refusing a handed-back
 * record that was altered, signed with another department's key, replayed or
 * unsigned is tested on its data source in test/unit/handedBackAccess.test.ts.)
 */

const PERSON = personAt(DEMO_PERSON_INDEX);
const ROOT = join(import.meta.dirname, '..', '..');
const ENGINES = await availableEngines();

describe.each(ENGINES)('on %s', (engine) => {
  let platform: TestPlatform;
  let attestations: AttestationVerification;

  beforeAll(async () => {
    platform = await startTestPlatform(engine);
    attestations = new DepartmentVerifyKeys(
      testConfig(platform.database).auth.departmentKeys.verifyDir,
    );
  });
  afterAll(() => platform?.close());

  /** `npm run audit:verify` on the test platform's database and keys: its exit code and output. */
  async function auditVerifyCommand(): Promise<{ code: number | null; output: string }> {
    const database = platform.database.config;
    const command = startCommand(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts', 'auditVerify.ts')],
      {
        cwd: ROOT,
        env: {
          DATA_DIR: platform.database.dir,
          DATABASE_URL: database.kind === 'mysql' ? String(database.url) : '',
          LOG_LEVEL: 'silent',
        },
      },
    );
    const { code } = await command.exited;
    return { code, output: command.output() };
  }

  /** A person with their licences, read by civil affairs: ACCESS records of two departments. */
  async function read(correlationId: string): Promise<AuditRow[]> {
    const response = await platform.query(
      `query($id: String!) { person(idNumber: $id) { name licenses { kind } } }`,
      { id: PERSON.id_number },
      {
        ...(await platform.as('civil_affairs', 'social-assistance')),
        'x-request-id': correlationId,
      },
    );
    expect(response.status).toBe(200);
    return (await platform
      .platformDb('audit_records')
      .where({ correlation_id: correlationId, kind: 'ACCESS' })
      .orderBy('id')) as AuditRow[];
  }

  /**
   * Runs `tamper` on the platform database, then puts the writer's records and
   * its head back as they were, and checks the trail verifies again.
   */
  async function thenRestore(writer: string, tamper: (db: Knex) => Promise<void>) {
    const db = platform.platformDb;
    const saved = (await db('audit_records').where({ writer })) as AuditRow[];
    const head = (await db('audit_chains').where({ writer }).first()) as object;
    try {
      await tamper(db);
    } finally {
      for (const row of saved) {
        await db('audit_records').where({ id: row.id }).delete();
        await db('audit_records').insert(row);
      }
      await db('audit_chains').where({ writer }).update(head);
    }
    expect((await verifyAuditChains(db, undefined, attestations)).problems).toEqual([]);
  }

  /** What an attacker with write access does: change a record, recompute every later hash and the head. */
  async function rewrite(db: Knex, row: AuditRow, change: Partial<AuditRow>) {
    const rows = (await db('audit_records')
      .where({ writer: row.writer })
      .where('seq', '>=', row.seq)
      .orderBy('seq')) as AuditRow[];
    let prev = rows[0]!.prev_hash;
    for (const each of rows) {
      const own = Number(each.seq) === Number(row.seq) ? change : {};
      const hash = chainHash(
        each.writer,
        Number(each.seq),
        prev,
        fromAuditRow({ ...each, ...own, prev_hash: prev }),
      );
      await db('audit_records')
        .where({ id: each.id })
        .update({ ...own, prev_hash: prev, hash });
      prev = hash;
    }
    await db('audit_chains').where({ writer: row.writer }).update({ last_hash: prev });
  }

  it('control: every ACCESS record a request produced is signed by its department for its fetch, and the trail verifies', async () => {
    const records = await read('attest-control');
    expect(records.map((r) => r.provider_department).sort()).toEqual([
      'business_environment',
      'public_security',
    ]);
    for (const record of records) {
      // Handed back: bound to the fetch's nonce (16 characters).
      expect(record.attestation).toMatch(/^v1\.[\w-]{16}\.[\w-]{86}$/);
    }
    const result = await verifyAuditChains(platform.platformDb, undefined, attestations);
    expect(result.problems).toEqual([]);
    expect(result.attestations).toMatchObject({ afterRecordId: 0, before: 0 });
    expect(result.attestations!.attested).toBeGreaterThanOrEqual(2);
    const verified = await auditVerifyCommand();
    expect(verified.code, verified.output).toBe(0);
    expect(verified.output).toMatch(/\d+ ACCESS record\(s\) attested by their department/);
  });

  it('the attack: an ACCESS record altered in the database, every hash and the head recomputed, is named', async () => {
    const [record] = await read('attest-altered');
    await thenRestore(record!.writer, async (db) => {
      await rewrite(db, record!, { record_count: 0, items_returned: '[]' });
      // The hash chain alone is fooled: that is the attack.
      expect((await verifyAuditChains(db)).ok).toBe(true);
      const result = await verifyAuditChains(db, undefined, attestations);
      // The command names it too, and fails.
      const verified = await auditVerifyCommand();
      expect(verified.code, verified.output).toBe(1);
      expect(verified.output).toContain(
        `seq ${record!.seq} record ${record!.id}: ACCESS record of ${record!.provider_department}:`,
      );
      expect(result.problems).toEqual([
        {
          writer: record!.writer,
          recordId: Number(record!.id),
          seq: Number(record!.seq),
          problem: expect.stringMatching(
            new RegExp(
              `^ACCESS record of ${record!.provider_department}: .*not the department's signature`,
            ),
          ) as string,
        },
      ]);
    });
  });

  it('the attack: a record attributed to another department, its attestation kept, is named', async () => {
    const [record] = await read('attest-moved');
    await thenRestore(record!.writer, async (db) => {
      await rewrite(db, record!, { provider_department: 'city_water', subgraph: 'city_water' });
      const result = await verifyAuditChains(db, undefined, attestations);
      expect(result.problems).toEqual([
        expect.objectContaining({
          recordId: Number(record!.id),
          problem: expect.stringContaining('ACCESS record of city_water') as string,
        }),
      ]);
    });
  });

  it('the attack: an ACCESS record forged into a chain of its own, hashes consistent, is named as unattested', async () => {
    const [real] = await read('attest-forged');
    const forger = 'forged writer';
    const { id: _id, ...copy } = real!;
    void _id;
    const forged = { ...copy, writer: forger, seq: 1, prev_hash: GENESIS_HASH, attestation: null };
    const hash = chainHash(forger, 1, GENESIS_HASH, fromAuditRow({ ...forged, id: 0, hash: '' }));
    const db = platform.platformDb;
    try {
      await db('audit_records').insert({ ...forged, hash });
      await db('audit_chains').insert({
        writer: forger,
        role: 'gateway',
        last_seq: 1,
        last_hash: hash,
        started_at: real!.at,
        updated_at: real!.at,
      });
      expect((await verifyAuditChains(db)).ok).toBe(true);
      expect((await verifyAuditChains(db, undefined, attestations)).problems).toEqual([
        expect.objectContaining({
          writer: forger,
          seq: 1,
          problem: `ACCESS record of ${real!.provider_department}: it has no attestation`,
        }),
      ]);
    } finally {
      await db('audit_records').where({ writer: forger }).delete();
      await db('audit_chains').where({ writer: forger }).delete();
    }
    expect((await verifyAuditChains(db, undefined, attestations)).problems).toEqual([]);
  });

  it('the attack: moving where attestations begin, to pass unattested records, is named', async () => {
    const [record] = await read('attest-start');
    const db = platform.platformDb;
    await db('audit_attestation_start').update({ after_record_id: Number(record!.id) });
    try {
      const result = await verifyAuditChains(db, undefined, attestations);
      expect(result.problems).toContainEqual(
        expect.objectContaining({
          recordId: Number(record!.id),
          problem: expect.stringContaining('that row was moved') as string,
        }),
      );
      await db('audit_attestation_start').delete();
      expect((await verifyAuditChains(db, undefined, attestations)).problems).toContainEqual(
        expect.objectContaining({
          problem: expect.stringContaining('audit_attestation_start row is missing') as string,
        }),
      );
    } finally {
      await db('audit_attestation_start').delete();
      await db('audit_attestation_start').insert({ after_record_id: 0 });
    }
  });

  it('a department whose public key is not provisioned is named, not passed', async () => {
    await read('attest-no-key');
    const result = await verifyAuditChains(platform.platformDb, undefined, {
      departmentKey: (department) => {
        if (department === 'business_environment')
          throw new Error(`No audit verify key for ${department}`);
        return attestations.departmentKey(department);
      },
    });
    expect(result.problems).toEqual([
      expect.objectContaining({
        problem: 'its records cannot be checked: No audit verify key for business_environment',
      }),
    ]);
  });
});
