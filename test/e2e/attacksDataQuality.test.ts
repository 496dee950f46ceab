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
 * Quality rules come from catalogue entries that department IT writes, so they
 * are attacker input: a pattern must not stall the platform (catastrophic
 * backtracking), be too large, or reach SQL; enumerations with SQL
 * metacharacters are values, compared in memory, never SQL.
 */

const TABLE = 'qa_attack_records';
const SQL_VALUES = ["x'; DROP TABLE grants; --", '" OR "1"="1', 'a\\\\b%_'];

function entry(code: string, quality: Record<string, unknown>) {
  return {
    code,
    name: `Attack records ${code}`,
    summary: 'Records with hostile quality rules.',
    classification: 'DEPARTMENT',
    theme: 'testing',
    department: 'city_water',
    format: 'DATABASE',
    updateCycle: 'IRREGULAR',
    publishedOn: '2026-11-21',
    sharing: {
      type: 'CONDITIONAL',
      conditions: 'Tests only.',
      legalBasis: 'Test regulation, art. 1.',
      modes: ['QUERY'],
    },
    binding: { table: TABLE, type: `Qa${code.replaceAll('-', '')}`, key: ['recordId'] },
    items: [
      {
        name: 'recordId',
        title: '记录编号',
        description: 'Key.',
        type: 'STRING',
        column: 'record_id',
        sensitivity: 'INTERNAL',
      },
      {
        name: 'text',
        title: '文本',
        description: 'Hostile text.',
        type: 'STRING',
        column: 'text',
        sensitivity: 'INTERNAL',
        quality,
      },
      {
        name: 'label',
        title: '标签',
        description: 'One of the listed values.',
        type: 'STRING',
        column: 'label',
        sensitivity: 'INTERNAL',
        quality: { enumeration: SQL_VALUES },
      },
    ],
  };
}

const ENGINES = await availableEngines();

describe.each(ENGINES)('on %s', (engine) => {
  let platform: TestPlatform;
  let cwIt: Record<string, string>;
  let reviewer: Record<string, string>;

  beforeAll(async () => {
    platform = await startTestPlatform(engine, {}, patientWithRegistration);
    cwIt = await platform.as('city_water', null, { roles: ['DEPT_IT'], user: 'wang.it' });
    reviewer = await platform.as('data_office', null, {
      roles: ['REVIEWER'],
      user: 'zhao.reviewer',
    });
    const db = platform.databases.get('city_water')!;
    await db.schema.createTable(TABLE, (t) => {
      t.string('record_id', 40).primary();
      t.string('text', 6000).nullable();
      t.string('label', 64).nullable();
    });
    await db(TABLE).insert([
      // The classic input that makes a backtracking engine run (a+)+$ for ages.
      { record_id: 'r1', text: 'a'.repeat(5000) + '!', label: SQL_VALUES[0] },
      { record_id: "r2'; --", text: 'aaaa', label: SQL_VALUES[1] },
      { record_id: 'r3', text: 'a', label: "x' OR '1'='1" },
    ]);
  });
  afterAll(() => platform?.close());

  it('refuses a pattern longer than 256 characters when the draft is saved', async () => {
    const response = await platform.query(
      `mutation($doc: String!) { saveCatalogueDraft(document: $doc, changeReason: "x", triggerDate: "2026-11-20") { code } }`,
      { doc: JSON.stringify(entry('CW-QA-001', { pattern: 'a'.repeat(257) })) },
      cwIt,
    );
    expect(refused(response, 'BAD_USER_INPUT')).toMatch(
      /quality\.pattern: a pattern has at most 256/,
    );
  });

  it('refuses back-references and look-around, which need backtracking, at submission', async () => {
    for (const [code, pattern] of [
      ['CW-QA-002', '(a+)\\1'],
      ['CW-QA-003', '(?=a)a'],
    ] as const) {
      await saveEntryDraft(platform, cwIt, entry(code, { pattern }));
      const message = refused(await submitEntry(platform, cwIt, code), 'BAD_USER_INPUT');
      expect(message).toMatch(/quality\.pattern: not a valid RE2 pattern/);
    }
  });

  it('inspects with a catastrophic pattern in linear time, and SQL metacharacters stay values', async () => {
    expect(
      await registerEntry(platform, cwIt, reviewer, entry('CW-QA-004', { pattern: '(a+)+$' })),
    ).toEqual([]);
    const run = ok(
      await platform.query<{
        runQualityInspection: {
          records: number;
          validity: { passed: number; checked: number };
          failures: { item: string; rule: string; sampleKeys: string[] }[];
        };
      }>(
        `mutation { runQualityInspection(dataset: "CW-QA-004") { records validity { passed checked } failures { item rule sampleKeys } } }`,
        {},
        cwIt,
      ),
    ).runQualityInspection;
    // Keys (unique), texts and labels: r1's text fails the pattern (it ends in !),
    // r3's label is not a listed value.
    expect(run.records).toBe(3);
    expect(run.validity).toEqual({ passed: 7, checked: 9 });
    expect(run.failures).toEqual(
      expect.arrayContaining([
        { item: 'text', rule: 'PATTERN', sampleKeys: ['r1'] },
        { item: 'label', rule: 'ENUMERATION', sampleKeys: ['r3'] },
      ]),
    );
    expect(run.failures).toHaveLength(2);
    // Nothing the values spelled ran as SQL.
    expect(await platform.platformDb.schema.hasTable('grants')).toBe(true);
    expect(await platform.databases.get('city_water')!(TABLE).count({ n: '*' })).toEqual([
      { n: 3 },
    ]);
  });
});
