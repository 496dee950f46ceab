import type { Knex } from 'knex';
import knex from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { down, up } from '../../migrations/20261121100005_create_holidays.ts';
import {
  CHINA_HOLIDAYS_2026,
  deleteCalendarDay,
  loadWorkingCalendar,
  selectCalendarDays,
  upsertCalendarDay,
  WorkingCalendar,
} from '../index.ts';

let db: Knex;

beforeEach(async () => {
  db = knex({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  await up(db);
});

afterEach(async () => {
  await db.destroy();
});

describe('calendar queries', () => {
  it('start with an empty table and an ordinary week', async () => {
    expect(await selectCalendarDays(db)).toEqual([]);
    const calendar = await loadWorkingCalendar(db);
    expect(calendar.isWorkingDay('2026-10-01')).toBe(true);
    expect(calendar.isWorkingDay('2026-10-10')).toBe(false);
  });

  it('upsert rows, list them by date and record who changed them', async () => {
    await upsertCalendarDay(
      db,
      { date: '2026-10-10', kind: 'MAKEUP_WORKDAY', name: '国庆节调休上班' },
      'admin-a',
    );
    await upsertCalendarDay(db, { date: '2026-10-01', kind: 'HOLIDAY', name: '国庆节' }, 'admin-a');
    expect(await selectCalendarDays(db)).toEqual([
      { date: '2026-10-01', kind: 'HOLIDAY', name: '国庆节' },
      { date: '2026-10-10', kind: 'MAKEUP_WORKDAY', name: '国庆节调休上班' },
    ]);
    const row = await db('holidays').where({ date: '2026-10-01' }).first();
    expect(row.updated_by).toBe('admin-a');
    expect(row.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('upsert replaces the entry of a date already listed', async () => {
    await upsertCalendarDay(db, { date: '2026-10-10', kind: 'HOLIDAY', name: 'typo' }, 'admin-a');
    await upsertCalendarDay(
      db,
      { date: '2026-10-10', kind: 'MAKEUP_WORKDAY', name: '国庆节调休上班' },
      'admin-b',
    );
    const rows = await db('holidays').select('*');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'MAKEUP_WORKDAY',
      name: '国庆节调休上班',
      updated_by: 'admin-b',
    });
  });

  it('delete says whether a row was deleted', async () => {
    await upsertCalendarDay(db, { date: '2026-10-01', kind: 'HOLIDAY', name: '国庆节' }, 'admin-a');
    expect(await deleteCalendarDay(db, '2026-10-01')).toBe(true);
    expect(await deleteCalendarDay(db, '2026-10-01')).toBe(false);
    expect(await deleteCalendarDay(db, 'not a date')).toBe(false);
    expect(await selectCalendarDays(db)).toEqual([]);
  });

  it('load a calendar that reflects the rows', async () => {
    await upsertCalendarDay(db, { date: '2026-10-01', kind: 'HOLIDAY', name: '国庆节' }, 'admin-a');
    await upsertCalendarDay(
      db,
      { date: '2026-10-10', kind: 'MAKEUP_WORKDAY', name: '国庆节调休上班' },
      'admin-a',
    );
    let calendar = await loadWorkingCalendar(db);
    expect(calendar.isWorkingDay('2026-10-01')).toBe(false);
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true);
    expect(calendar.addWorkingDays('2026-09-30', 1)).toBe('2026-10-02');

    await deleteCalendarDay(db, '2026-10-01');
    calendar = await loadWorkingCalendar(db);
    expect(calendar.isWorkingDay('2026-10-01')).toBe(true);
    expect(calendar.addWorkingDays('2026-09-30', 1)).toBe('2026-10-01');
  });

  it('load the whole 2026 seed with the same answers as the seed itself', async () => {
    for (const day of CHINA_HOLIDAYS_2026) await upsertCalendarDay(db, day, 'seed');
    const loaded = await loadWorkingCalendar(db);
    const direct = new WorkingCalendar(CHINA_HOLIDAYS_2026);
    expect(await selectCalendarDays(db)).toHaveLength(CHINA_HOLIDAYS_2026.length);
    for (const start of ['2025-12-31', '2026-02-13', '2026-04-30', '2026-09-18', '2026-09-30']) {
      for (const n of [1, 5, 10, 20]) {
        expect(loaded.addWorkingDays(start, n)).toBe(direct.addWorkingDays(start, n));
      }
    }
    expect(loaded.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(
      direct.workingDaysBetween('2025-12-31', '2026-12-31'),
    );
  });

  it('refuse a bad entry before writing it', async () => {
    await expect(
      upsertCalendarDay(db, { date: '2026-02-30', kind: 'HOLIDAY', name: 'x' }, 'admin-a'),
    ).rejects.toThrow('expected a date as YYYY-MM-DD, but got: 2026-02-30');
    await expect(
      upsertCalendarDay(db, { date: '2026-02-02', kind: 'OFF' as never, name: 'x' }, 'admin-a'),
    ).rejects.toThrow(RangeError);
    await expect(
      upsertCalendarDay(
        db,
        { date: '2026-02-02', kind: 'HOLIDAY', name: 'x'.repeat(65) },
        'admin-a',
      ),
    ).rejects.toThrow(RangeError);
    await expect(
      upsertCalendarDay(db, { date: '2026-02-02', kind: 'HOLIDAY', name: '' }, 'admin-a'),
    ).rejects.toThrow(RangeError);
    expect(await selectCalendarDays(db)).toEqual([]);
  });

  it('treat a value as data, never as SQL', async () => {
    const name = "x'); drop table holidays; --";
    await upsertCalendarDay(db, { date: '2026-02-02', kind: 'HOLIDAY', name }, "admin'--");
    expect(await selectCalendarDays(db)).toEqual([{ date: '2026-02-02', kind: 'HOLIDAY', name }]);
    expect(await deleteCalendarDay(db, "2026-02-02' or '1'='1")).toBe(false);
  });

  it('migration down drops the table', async () => {
    await down(db);
    expect(await db.schema.hasTable('holidays')).toBe(false);
  });
});
