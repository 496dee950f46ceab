import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
 * A dataset's data must bear out its declarations: an item whose values are
 * another of the department's datasets' keys, or carry one inside them, and
 * that declares no source, would publish that key under its own entry's
 * sharing (the README walkthrough's water meters served every department the
 * account numbers CW-ACC-001 shares only under a grant). Submission and
 * publication compare the values; nothing of them is sent back.
 */

const ENGINES = await availableEngines();

/** A catalogue entry of city_water over `table`, its items all text, the first the key. */
function entryOver(code: string, table: string, columns: string[]) {
  const itemName = (column: string) => column.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
  return {
    code,
    name: `Test ${code}`,
    summary: 'A table made by the test.',
    classification: 'DEPARTMENT',
    theme: 'public utilities',
    department: 'city_water',
    format: 'DATABASE',
    updateCycle: 'MONTHLY',
    publishedOn: '2026-11-30',
    sharing: { type: 'UNCONDITIONAL', modes: ['QUERY'] },
    binding: { table, type: `T${code.replace(/\W/g, '')}`, key: [itemName(columns[0]!)] },
    items: columns.map((column) => ({
      name: itemName(column),
      title: column,
      description: `The ${column}.`,
      type: 'STRING',
      column,
      nullable: false,
      sensitivity: 'INTERNAL',
    })),
  };
}

describe.each(ENGINES)('on %s', (engine) => {
  let platform: TestPlatform;
  let deptIt: Record<string, string>;
  let reviewer: Record<string, string>;
  let accounts: string[];

  beforeAll(async () => {
    platform = await startTestPlatform(engine, {}, patientWithRegistration);
    deptIt = await platform.as('city_water', null, { roles: ['DEPT_IT'], user: 'wang' });
    reviewer = await platform.as('data_office', null, { roles: ['REVIEWER'], user: 'zhao' });
    const db = platform.databases.get('city_water')!;
    accounts = (
      await db('utility_accounts').select('account_number').orderBy('account_number').limit(30)
    ).map((r: { account_number: string }) => r.account_number);
    expect(accounts).toHaveLength(30);
    await db.schema.createTable('meter_tags', (t) => {
      t.string('tag', 24).primary();
      t.string('note', 40).notNullable();
    });
  });
  afterAll(() => platform?.close());

  /** Fills meter_tags with one row per demo account, its tag and note made by `row`. */
  async function tags(row: (account: string, i: number) => { tag: string; note: string }) {
    const db = platform.databases.get('city_water')!;
    await db('meter_tags').del();
    await db('meter_tags').insert(accounts.map(row));
  }

  /** Saves `code` over meter_tags and submits it; the submission's answer. */
  async function submitTags(code: string) {
    await saveEntryDraft(platform, deptIt, entryOver(code, 'meter_tags', ['tag', 'note']));
    return submitEntry(platform, deptIt, code);
  }

  it("refuses an item whose values carry another dataset's key inside them, and sends no value back", async () => {
    // Tags of a prefix, the account number and a suffix: no tag equals an account number.
    await tags((account, i) => ({ tag: `WM-${account}-${i}`, note: `meter ${i}` }));
    const message = refused(await submitTags('CW-TAG-001'), 'BAD_USER_INPUT');
    expect(message).toMatch(
      /items\[0\]\.column: 30 of 30 sampled values of tag contain a value of CW-ACC-001\.accountNumber, the key of another of city_water's datasets/,
    );
    // Counts, never values.
    for (const account of accounts) expect(message).not.toContain(account.slice(0, 10));
  });

  it('refuses a copy written with separators, naming what to declare', async () => {
    await tags((account, i) => ({
      tag: `WM-${i}`,
      note: account.replace(/(\d{4})(?=\d)/g, '$1-'),
    }));
    expect(refused(await submitTags('CW-TAG-002'), 'BAD_USER_INPUT')).toMatch(
      /items\[1\]\.source: 30 of 30 sampled values of note are values of CW-ACC-001\.accountNumber.*declare it a copy \(authoritative: false, source: CW-ACC-001\.accountNumber\)/,
    );
  });

  it('lets values of the same shape through that carry no key, and looks again at publication', async () => {
    await tags((account, i) => ({ tag: `WM-${[...account].reverse().join('')}-${i}`, note: 'x' }));
    expect(ok(await submitTags('CW-TAG-003')).submitCatalogueEntry.status).toBe('SUBMITTED');
    // The table changes after the submission: publication looks again.
    await tags((account, i) => ({ tag: `WM-${account}-${i}`, note: 'x' }));
    const publication = await platform.query(
      `mutation { publishCatalogueEntry(code: "CW-TAG-003", version: 1) { status } }`,
      {},
      reviewer,
    );
    expect(refused(publication, 'BAD_USER_INPUT')).toMatch(
      /items\[0\]\.column: 30 of 30 sampled values/,
    );
  });

  it('samples at random: rows that sort first and match nothing do not hide the copies behind them', async () => {
    const db = platform.databases.get('city_water')!;
    const many = (
      await db('utility_accounts').select('account_number').orderBy('account_number')
    ).map((r: { account_number: string }) => r.account_number);
    expect(many.length).toBeGreaterThan(200);
    await db('meter_tags').del();
    // 300 made-up tags that sort before every real one, then one that carries each account number.
    await db.batchInsert(
      'meter_tags',
      [
        ...Array.from({ length: 300 }, (_, i) => ({ tag: `AAA-${i}`, note: 'x' })),
        ...many.map((account, i) => ({ tag: `WM-${account}-${i}`, note: 'x' })),
      ],
      200,
    );
    expect(refused(await submitTags('CW-TAG-004'), 'BAD_USER_INPUT')).toMatch(
      /items\[0\]\.column: \d+ of 200 sampled values of tag contain a value of CW-ACC-001\.accountNumber/,
    );
  });

  it('warns the reviewer when a published dataset already holds the identifiers of one being submitted', async () => {
    const db = platform.databases.get('city_water')!;
    const serials = Array.from({ length: 12 }, (_, i) => `SER${String(i * 7919).padStart(9, '0')}`);
    await db.schema.createTable('meter_seals', (t) => {
      t.string('seal_no', 12).primary();
      t.string('meter_serial', 12).notNullable();
    });
    await db.schema.createTable('meter_serials', (t) => {
      t.string('serial', 12).primary();
      t.string('model', 20).notNullable();
    });
    await db('meter_seals').insert(serials.map((s, i) => ({ seal_no: `S${i}`, meter_serial: s })));
    await db('meter_serials').insert(serials.map((s) => ({ serial: s, model: 'DN20' })));
    // The seals are published first, while no dataset has the serials as its key.
    await registerEntry(
      platform,
      deptIt,
      reviewer,
      entryOver('CW-SEAL-001', 'meter_seals', ['seal_no', 'meter_serial']),
    );
    await saveEntryDraft(
      platform,
      deptIt,
      entryOver('CW-SER-001', 'meter_serials', ['serial', 'model']),
    );
    const submitted = ok(await submitEntry(platform, deptIt, 'CW-SER-001')).submitCatalogueEntry;
    expect(submitted.status).toBe('SUBMITTED');
    expect(submitted.warnings).toEqual([
      expect.stringMatching(
        /^CW-SEAL-001\.meterSerial \(published\) holds values of this entry's key serial \(12 of 12 sampled\).*declare source: CW-SER-001\.serial in CW-SEAL-001/,
      ),
    ]);

    // Once published, a new version with the same key is not held up by the others
    // again: they were warned of (or checked against it at their own submission).
    ok(
      await platform.query(
        `mutation { publishCatalogueEntry(code: "CW-SER-001", version: 1) { status } }`,
        {},
        reviewer,
      ),
    );
    const next = { ...entryOver('CW-SER-001', 'meter_serials', ['serial', 'model']), name: 'v2' };
    const draft = ok(
      await platform.query<{ saveCatalogueDraft: { version: number } }>(
        `mutation($d: String!) { saveCatalogueDraft(document: $d, changeReason: "renamed", triggerDate: "2026-11-20") { version } }`,
        { d: JSON.stringify(next) },
        deptIt,
      ),
    ).saveCatalogueDraft;
    const again = ok(
      await platform.query<{ submitCatalogueEntry: { warnings: string[] } }>(
        `mutation($v: Int!) { submitCatalogueEntry(code: "CW-SER-001", version: $v) { warnings } }`,
        { v: draft.version },
        deptIt,
      ),
    ).submitCatalogueEntry;
    expect(again.warnings).toEqual([]);
  });
});
