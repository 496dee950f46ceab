import { join } from 'node:path';
import type { Knex } from 'knex';
import knex from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../../../server/index.ts';
import { countAccessesInTime } from '../accessCountQueries.ts';

let db: Knex;
let seq = 0;

/** One ACCESS record of PS-POP-001 by `consumer`, as the audit writer stores it. */
function access(at: string, consumer: string, requestId: string, decision: string) {
  return {
    writer: 'test',
    seq: seq++,
    at,
    kind: 'ACCESS',
    request_id: requestId,
    consumer_department: consumer,
    dataset_code: 'PS-POP-001',
    provider_department: 'public_security',
    items_returned: '[]',
    items_masked: '[]',
    items_denied: '[]',
    record_count: decision === 'DENIED' ? 0 : 2,
    decision,
    latency_ms: 1,
    prev_hash: '0',
    hash: '0',
  };
}

beforeAll(async () => {
  db = knex({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  await migrateDatabase(db, join(import.meta.dirname, '..', '..', 'migrations'));
  await db('audit_records').insert([
    // 30 November in UTC: before 16:00 it is 30 November in Shanghai, from 16:00 1 December.
    access('2026-11-30T15:59:59.999Z', 'tax', 'r1', 'ALLOWED'),
    access('2026-11-30T15:59:59.999Z', 'tax', 'r1', 'ALLOWED'),
    access('2026-11-30T16:00:00.000Z', 'tax', 'r2', 'MASKED'),
    access('2026-11-30T23:00:00.000Z', 'tax', 'r3', 'DENIED'),
    access('2026-12-01T01:00:00.000Z', 'housing', 'r4', 'PARTIAL'),
    // Outside the period asked.
    access('2026-12-01T16:00:00.000Z', 'tax', 'r5', 'ALLOWED'),
  ]);
});
afterAll(() => db?.destroy());

describe('countAccessesInTime', () => {
  const period = {
    department: 'public_security',
    fromInstant: '2026-11-29T16:00:00.000Z',
    toInstant: '2026-12-01T16:00:00.000Z',
    byConsumer: true,
  };

  it('counts distinct requests in the two parts of each UTC day that lie on different civil days', async () => {
    const rows = await countAccessesInTime(db, { ...period, dayStartsAt: '16:00' });
    const sorted = rows.sort((a, b) =>
      (a.at + a.consumerDepartment).localeCompare(b.at + b.consumerDepartment),
    );
    expect(
      sorted.map(({ at, consumerDepartment, served, denied, records }) => [
        at,
        consumerDepartment,
        served,
        denied,
        records,
      ]),
    ).toEqual([
      ['2026-11-30T00:00:00.000Z', 'tax', 1, 0, 4],
      ['2026-11-30T16:00:00.000Z', 'tax', 1, 1, 2],
      ['2026-12-01T00:00:00.000Z', 'housing', 1, 0, 2],
    ]);
  });

  it('counts by UTC hour when the civil day does not begin at one time', async () => {
    const rows = await countAccessesInTime(db, { ...period, dayStartsAt: null });
    expect(rows.map((r) => r.at).sort()).toEqual([
      '2026-11-30T15:00:00.000Z',
      '2026-11-30T16:00:00.000Z',
      '2026-11-30T23:00:00.000Z',
      '2026-12-01T01:00:00.000Z',
    ]);
    expect(rows.reduce((n, r) => n + r.served, 0)).toBe(3);
  });

  it('keeps to the department asked, and binds what it is given', async () => {
    expect(
      await countAccessesInTime(db, { ...period, department: 'city_water', dayStartsAt: '16:00' }),
    ).toEqual([]);
    const injected = await countAccessesInTime(db, { ...period, dayStartsAt: "16:00' or 1=1 --" });
    expect(injected.reduce((n, r) => n + r.served, 0)).toBe(3);
  });
});
