import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { databaseName } from '../../server/index.ts';
import { DatasetTable, selectByKeys } from '../../subgraphs/kit/sql/index.ts';
import { insertEntryVersion } from '../../subgraphs/platform/catalogue/index.ts';
import { findDepartmentDirs, type CatalogueEntry } from '../../schema/index.ts';
import { DEPARTMENTS_ROOT } from '../../scripts/platform/index.ts';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.ts';
import { availableEngines } from '../support/testDatabase.ts';
import { ok, waitFor } from '../support/responses.ts';

/**
 * Acceptance for issue 11, findings 9–11, tried as an attacker would against
 * the platform's own workflows: an approval that widens the application, a
 * catalogue binding that reaches tables that are not the department's, and an
 * audit trail rewritten by someone with write access to the database. Each
 * test is the attack and fails if the attack succeeds.
 */

const ENGINES = await availableEngines();

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
  let as: Record<
    'taxDeveloper' | 'waterIt' | 'admin' | 'securityIt' | 'reviewer',
    Record<string, string>
  >;

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
      securityIt: await bearer(platform, 'public_security', 'DEPT_IT', 'li.it'),
      reviewer: await bearer(platform, 'data_office', 'REVIEWER', 'zhao.reviewer'),
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

  describe("finding 10: a binding reaches only its own department's tables", () => {
    let serial = 0;

    /** An entry of Public Security's over `table`, with `items` as [name, column, type]. */
    function entry(
      table: string,
      items: [string, string, string][],
      key: string[],
      extra: Record<string, unknown> = {},
    ) {
      serial += 1;
      return {
        code: `PS-ATK-${String(serial).padStart(3, '0')}`,
        name: 'Binding attempt',
        summary: 'A dataset bound to a table of the database.',
        classification: 'DEPARTMENT',
        theme: 'population',
        department: 'public_security',
        format: 'DATABASE',
        updateCycle: 'DAILY',
        publishedOn: '2026-11-21',
        sharing: { type: 'UNCONDITIONAL', modes: ['QUERY'] },
        binding: { table, type: `BindingAttempt${serial}`, key },
        items: items.map(([name, column, type]) => ({
          name,
          title: `item ${name}`,
          description: `The ${name}.`,
          type,
          column,
          sensitivity: 'INTERNAL',
        })),
        ...extra,
      };
    }

    async function saveDraft(document: object) {
      return platform.query<{ saveCatalogueDraft: { code: string; version: number } }>(
        `mutation($d: String!) { saveCatalogueDraft(document: $d, changeReason: "New dataset", triggerDate: "2026-11-20") { code version } }`,
        { d: JSON.stringify(document) },
        as.securityIt,
      );
    }

    async function submit(code: string, version: number) {
      return platform.query<{ submitCatalogueEntry: { status: string } }>(
        `mutation($c: String!, $v: Int!) { submitCatalogueEntry(code: $c, version: $v) { status } }`,
        { c: code, v: version },
        as.securityIt,
      );
    }

    /** The draft saves, and its submission is refused naming `field` with `why`. */
    async function refusedAtSubmission(document: object, field: string, why: RegExp) {
      const draft = ok(await saveDraft(document)).saveCatalogueDraft;
      const response = await submit(draft.code, draft.version);
      expect(response.data?.submitCatalogueEntry ?? null).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const message = response.errors![0]!.message;
      expect(message).toMatch(new RegExp(`${field.replace(/[[\].]/g, '\\$&')}: `));
      expect(message).toMatch(why);
      expect(message, 'no SQL text in a client error').not.toMatch(/\bselect\b[\s\S]*\bfrom\b/i);
      return message;
    }

    beforeAll(async () => {
      const db = platform.databases.get('public_security')!;
      await db.schema.createTable('ps_permits', (t) => {
        t.string('permit_no', 20).primary();
        t.string('holder', 18).notNullable();
        t.string('region', 6).notNullable();
        t.date('issued_on').notNullable();
        t.integer('fee').notNullable();
      });
      await db.raw('create view ps_permits_view as select * from ps_permits');
      await db.schema.createTable('ps_notes', (t) => {
        t.string('note_no', 20).primary();
        t.string('text', 200).notNullable();
      });
    });

    const PERMIT_ITEMS: [string, string, string][] = [
      ['permitNo', 'permit_no', 'STRING'],
      ['region', 'region', 'STRING'],
      ['issuedOn', 'issued_on', 'DATE'],
    ];

    it('the attack as found: bindings to api_keys, grants and audit_records are refused', async () => {
      for (const table of ['api_keys', 'grants', 'audit_records', 'API_KEYS']) {
        await refusedAtSubmission(
          entry(table, [['id', 'id', 'STRING']], ['id']),
          'binding.table',
          /is a platform table/,
        );
      }
    });

    it("another department's table is refused: it is not in the department's database", async () => {
      await refusedAtSubmission(
        entry(
          'utility_accounts',
          [['accountNumber', 'account_number', 'STRING']],
          ['accountNumber'],
        ),
        'binding.table',
        /has no table utility_accounts/,
      );
    });

    it("the engine's own catalogue (sqlite_master) is refused", async () => {
      await refusedAtSubmission(
        entry('sqlite_master', [['name', 'name', 'STRING']], ['name']),
        'binding.table',
        /database engine/,
      );
    });

    it('a table name with another database as prefix is refused by the file schema', async () => {
      const response = await saveDraft(entry('govdata.grants', [['id', 'id', 'STRING']], ['id']));
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(response.errors![0]!.message).toMatch(/binding\.table: expected a SQL table name/);
    });

    it('a view is refused: a binding names a plain table', async () => {
      await refusedAtSubmission(
        entry('ps_permits_view', PERMIT_ITEMS, ['permitNo']),
        'binding.table',
        /is a view/,
      );
    });

    it('a missing column, a wrong type and a key that is not unique are each named', async () => {
      const message = await refusedAtSubmission(
        entry(
          'ps_permits',
          [
            ['permitNo', 'permit_no', 'STRING'],
            ['region', 'region', 'INT'],
            ['issuedOn', 'issued_on', 'DATE'],
            ['secret', 'password_hash', 'STRING'],
          ],
          ['permitNo'],
        ),
        'items[1].type',
        /INT does not fit column region, declared varchar\(6\)/,
      );
      expect(message).toMatch(/items\[3\]\.column: table ps_permits has no column password_hash/);
      await refusedAtSubmission(
        entry('ps_permits', PERMIT_ITEMS, ['region']),
        'binding.key',
        /not unique in table ps_permits/,
      );
    });

    it('a reference with a reverse field over a column no index begins with is refused', async () => {
      const document = entry('ps_permits', PERMIT_ITEMS, ['permitNo']);
      // Each enterprise's psPermits would be looked up by holder: a whole-table read each time.
      const holder = {
        name: 'holderCreditCode',
        title: 'item holderCreditCode',
        description: 'The holder.',
        type: 'STRING',
        column: 'holder',
        sensitivity: 'INTERNAL',
        references: { type: 'Enterprise', field: 'holderEnterprise', reverse: 'psPermits' },
      };
      await refusedAtSubmission(
        { ...document, items: [...document.items, holder] },
        'items[3].references.reverse',
        /looked up by column holder, which no index of table ps_permits begins with[\s\S]*add an index on holder/,
      );
    });

    it('a TODO placeholder left by dataset init is refused naming the field', async () => {
      await refusedAtSubmission(
        entry('ps_permits', PERMIT_ITEMS, ['permitNo'], {
          summary: 'TODO: summarise what the dataset holds',
        }),
        'summary',
        /TODO placeholder/,
      );
    });

    it('a correct binding passes, and is checked again at publication', async () => {
      const document = entry(
        'ps_notes',
        [
          ['noteNo', 'note_no', 'STRING'],
          ['text', 'text', 'STRING'],
        ],
        ['noteNo'],
      );
      const draft = ok(await saveDraft(document)).saveCatalogueDraft;
      expect(ok(await submit(draft.code, draft.version)).submitCatalogueEntry.status).toBe(
        'SUBMITTED',
      );
      await platform.databases.get('public_security')!.schema.alterTable('ps_notes', (t) => {
        t.renameColumn('text', 'body');
      });
      const published = await platform.query(
        `mutation($c: String!, $v: Int!) { publishCatalogueEntry(code: $c, version: $v) { status } }`,
        { c: draft.code, v: draft.version },
        as.reviewer,
      );
      expect(published.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(published.errors![0]!.message).toMatch(
        /items\[1\]\.column: table ps_notes has no column text/,
      );
      expect(platform.catalogue.entry(draft.code)).toBeUndefined();
    });

    it('an entry inserted straight into the platform database, bound to grants, is not served', async () => {
      const document = entry('grants', [['id', 'id', 'STRING']], ['id']);
      const now = new Date().toISOString();
      await insertEntryVersion(platform.platformDb, {
        code: document.code,
        version: 1,
        department: 'public_security',
        status: 'PUBLISHED',
        document,
        warnings: [],
        changeReason: 'hand-edited',
        triggerDate: '2026-11-20',
        deadline: '2026-12-04',
        createdBy: 'attacker',
        createdAt: now,
        submittedBy: null,
        submittedAt: null,
        reviewedBy: null,
        reviewedAt: null,
        reviewReason: null,
        updatedAt: now,
      });
      try {
        await platform.catalogueStore.reload();
        expect(platform.catalogue.entry(document.code)).toBeUndefined();
        const response = await platform.query(
          `{ bindingAttempt${serial}s(first: 10) { nodes { id } } }`,
          {},
          await platform.as('civil_affairs'),
        );
        expect(response.data ?? null).toBeNull();
      } finally {
        await platform.platformDb('catalogue_entries').where({ code: document.code }).delete();
        await platform.catalogueStore.reload();
      }
    });

    it("past validation, a department's own connection still reads no platform or other department's table", async () => {
      const db = platform.databases.get('public_security')!;
      const others =
        engine === 'mysql'
          ? [
              `${databaseName(config.database, 'platform')}.grants`,
              `${databaseName(config.database, 'platform')}.api_keys`,
              `${databaseName(config.database, 'city_water')}.utility_accounts`,
            ]
          : ['main.grants', 'city_water.utility_accounts'];
      const population = platform.catalogue.entry('PS-POP-001')!;
      for (const table of others) {
        // What the subgraph would run for an entry bound to `table` whatever the validation said.
        const forged: CatalogueEntry = {
          ...population,
          binding: { ...population.binding, table, key: ['id'] },
          items: [{ ...population.items[0]!, name: 'id', column: 'id', isKey: true }],
        };
        await expect(
          selectByKeys(db, new DatasetTable(forged), ['1', 'G-DEMO-CA-POP'], null),
          table,
        ).rejects.toThrow(engine === 'mysql' ? /denied/ : /no such table/);
      }
      if (engine === 'mysql') {
        const [schemas] = (await db.raw(
          'select distinct TABLE_SCHEMA as name from information_schema.TABLES where TABLE_SCHEMA like ?',
          ['govdata%'],
        )) as [{ name: string }[]];
        expect(schemas.map((s) => s.name)).toEqual([
          databaseName(config.database, 'public_security'),
        ]);
      }
    });

    it('a broken file entry stops start-up, naming file and field', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'govdata-hr-'));
      try {
        cpSync(join(import.meta.dirname, '..', 'fixtures', 'departments', 'human-resources'), dir, {
          recursive: true,
        });
        const file = join(dir, 'catalogue', 'pension-accounts.yaml');
        writeFileSync(
          file,
          readFileSync(file, 'utf8')
            .replace('column: monthly_base', 'column: monthly_basis')
            .replace('type: BOOLEAN', 'type: DATE'),
        );
        await expect(
          startTestPlatform(engine, {
            departmentDirs: [...findDepartmentDirs(DEPARTMENTS_ROOT), dir],
            seed: 'never',
          }),
        ).rejects.toThrow(
          /pension-accounts\.yaml: items\[2\]\.column: table pension_accounts has no column monthly_basis[\s\S]*pension-accounts\.yaml: items\[3\]\.type: DATE does not fit column contributing/,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
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

    /** Runs `tamper` on the platform database, then puts every record, the head and the checkpoint file back (keeping what other chains signed meanwhile). */
    async function thenRestore(writer: string, tamper: (db: Knex) => Promise<void>) {
      const db = platform.platformDb;
      const saved = (await db('audit_records').where({ writer })) as AuditRow[];
      const file = readFileSync(config.auditCheckpoints.file, 'utf8');
      try {
        await tamper(db);
      } finally {
        // Lines other chains signed meanwhile stay: a writer that found its chain changed
        // under it goes on in a new chain, whose checkpoints are as real as any.
        const now = readFileSync(config.auditCheckpoints.file, 'utf8');
        const others = (now.startsWith(file) ? now.slice(file.length) : '')
          .split('\n')
          .filter((line) => line && (JSON.parse(line) as { writer: string }).writer !== writer);
        writeFileSync(config.auditCheckpoints.file, file + others.map((l) => `${l}\n`).join(''));
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
