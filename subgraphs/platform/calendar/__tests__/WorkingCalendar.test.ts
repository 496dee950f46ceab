import { describe, expect, it } from 'vitest';
import type { CalendarDay } from '../index.ts';
import { CHINA_HOLIDAYS_2026, WorkingCalendar } from '../index.ts';

const plain = new WorkingCalendar([]);
const china = new WorkingCalendar(CHINA_HOLIDAYS_2026);

/** `date` moved by `days` calendar days (test-only oracle; Date in UTC). */
function shift(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The n-th working day after `start`, by walking one day at a time. */
function walk(calendar: WorkingCalendar, start: string, n: number): string {
  let date = start;
  for (let left = n; left > 0;) {
    date = shift(date, 1);
    if (calendar.isWorkingDay(date)) left -= 1;
  }
  return date;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('WorkingCalendar.isWorkingDay', () => {
  it('follows the ordinary week when nothing is listed', () => {
    expect(plain.isWorkingDay('2026-11-20')).toBe(true); // Friday
    expect(plain.isWorkingDay('2026-11-21')).toBe(false); // Saturday
    expect(plain.isWorkingDay('2026-11-22')).toBe(false); // Sunday
    expect(plain.isWorkingDay('2026-11-23')).toBe(true); // Monday
  });

  it('makes weekday holidays days off and weekend make-up days working days', () => {
    expect(china.isWorkingDay('2026-02-16')).toBe(false); // Monday, 春节
    expect(china.isWorkingDay('2026-02-21')).toBe(false); // Saturday, 春节
    expect(china.isWorkingDay('2026-02-14')).toBe(true); // Saturday, make-up
    expect(china.isWorkingDay('2026-02-28')).toBe(true); // Saturday, make-up
    expect(china.isWorkingDay('2026-09-20')).toBe(true); // Sunday, make-up
    expect(china.isWorkingDay('2026-10-07')).toBe(false); // Wednesday, 国庆节
    expect(china.isWorkingDay('2026-10-08')).toBe(true); // Thursday
  });
});

describe('WorkingCalendar.addWorkingDays', () => {
  it('skips weekends', () => {
    expect(plain.addWorkingDays('2026-11-20', 10)).toBe('2026-12-04');
    expect(plain.addWorkingDays('2026-11-20', 1)).toBe('2026-11-23');
    expect(plain.addWorkingDays('2026-11-16', 4)).toBe('2026-11-20');
    expect(plain.addWorkingDays('2026-11-16', 5)).toBe('2026-11-23');
  });

  it('skips a holiday week and counts its make-up days', () => {
    expect(china.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(china.addWorkingDays('2026-09-30', 3)).toBe('2026-10-10'); // make-up Saturday
    expect(china.addWorkingDays('2026-09-30', 4)).toBe('2026-10-12');
    expect(china.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14'); // make-up Saturday
    expect(china.addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
    expect(china.addWorkingDays('2026-02-13', 6)).toBe('2026-02-28'); // make-up Saturday
    expect(china.addWorkingDays('2026-02-13', 7)).toBe('2026-03-02');
    expect(china.addWorkingDays('2026-09-18', 1)).toBe('2026-09-20'); // make-up Sunday
  });

  it('returns the start itself for n = 0, whatever the start is', () => {
    expect(china.addWorkingDays('2026-10-01', 0)).toBe('2026-10-01');
    expect(china.addWorkingDays('2026-11-21', 0)).toBe('2026-11-21');
    expect(china.addWorkingDays('2026-11-23', 0)).toBe('2026-11-23');
  });

  it('does not count the start when it is a holiday, a weekend or a make-up day', () => {
    expect(china.addWorkingDays('2026-10-03', 1)).toBe('2026-10-08'); // holiday
    expect(china.addWorkingDays('2026-11-21', 1)).toBe('2026-11-23'); // Saturday
    expect(china.addWorkingDays('2026-11-22', 1)).toBe('2026-11-23'); // Sunday
    expect(china.addWorkingDays('2026-10-10', 1)).toBe('2026-10-12'); // make-up Saturday
  });

  it('crosses month and year boundaries', () => {
    expect(plain.addWorkingDays('2026-01-30', 1)).toBe('2026-02-02');
    expect(plain.addWorkingDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(plain.addWorkingDays('2026-12-31', 2)).toBe('2027-01-04');
    expect(china.addWorkingDays('2025-12-31', 1)).toBe('2026-01-04'); // make-up Sunday
    expect(china.addWorkingDays('2025-12-31', 2)).toBe('2026-01-05');
    expect(china.addWorkingDays('2026-04-30', 1)).toBe('2026-05-06');
  });

  it('knows leap days, including 2028-02-29 and the missing 1900-02-29', () => {
    expect(plain.isWorkingDay('2028-02-29')).toBe(true); // Tuesday
    expect(plain.addWorkingDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(plain.addWorkingDays('2028-02-25', 2)).toBe('2028-02-29');
    expect(plain.addWorkingDays('2028-02-29', 3)).toBe('2028-03-03');
    expect(plain.addWorkingDays('1900-02-28', 1)).toBe('1900-03-01');
    expect(plain.addWorkingDays('2200-02-28', 1)).toBe('2200-03-03'); // Fri → Mon, no 29th
  });

  it('skips a run of holidays longer than its first guess', () => {
    const closed: CalendarDay[] = [];
    for (let day = 1; day <= 400; day += 1) {
      closed.push({ date: shift('2026-11-20', day), kind: 'HOLIDAY', name: 'closed' });
    }
    const calendar = new WorkingCalendar(closed);
    expect(calendar.addWorkingDays('2026-11-20', 1)).toBe(walk(calendar, '2026-11-20', 1));
    expect(calendar.addWorkingDays('2026-11-20', 1)).toBe('2027-12-27');
  });

  it('takes 10,000 working days in one call', () => {
    expect(plain.addWorkingDays('2026-01-01', 10_000)).toBe(shift('2026-01-01', 14_000));
    const far = china.addWorkingDays('2026-01-01', 10_000);
    expect(china.workingDaysBetween('2026-01-01', far)).toBe(10_000);
    expect(china.isWorkingDay(far)).toBe(true);
    expect(plain.workingDaysBetween('2200-12-31', plain.addWorkingDays('2200-12-31', 10_000))).toBe(
      10_000,
    );
  });

  it('refuses a result past 9999-12-31', () => {
    expect(plain.addWorkingDays('9999-12-30', 1)).toBe('9999-12-31');
    expect(() => plain.addWorkingDays('9999-12-30', 2)).toThrow(RangeError);
  });
});

describe('WorkingCalendar.workingDaysBetween', () => {
  it('counts (from, to]: from excluded, to included', () => {
    expect(plain.workingDaysBetween('2026-11-20', '2026-12-04')).toBe(10);
    expect(plain.workingDaysBetween('2026-11-20', '2026-11-20')).toBe(0);
    expect(plain.workingDaysBetween('2026-11-20', '2026-11-22')).toBe(0);
    expect(plain.workingDaysBetween('2026-11-21', '2026-11-23')).toBe(1);
    expect(china.workingDaysBetween('2026-09-30', '2026-10-09')).toBe(2);
    expect(china.workingDaysBetween('2026-09-30', '2026-10-10')).toBe(3);
    expect(plain.workingDaysBetween('2028-02-28', '2028-03-01')).toBe(2);
  });

  it('is negative, the mirror, when to is before from', () => {
    expect(plain.workingDaysBetween('2026-12-04', '2026-11-20')).toBe(-10);
    expect(china.workingDaysBetween('2026-10-10', '2026-09-30')).toBe(-3);
  });

  it('is antisymmetric and agrees with addWorkingDays and a day-by-day walk', () => {
    const random = seeded(20261121);
    const randomDate = (fromYear: number, years: number) =>
      shift(`${fromYear}-01-01`, Math.floor(random() * years * 365.25));
    const listed = new Map<string, CalendarDay>();
    for (let i = 0; i < 400; i += 1) {
      const date = randomDate(2025, 4);
      const kind = random() < 0.7 ? 'HOLIDAY' : 'MAKEUP_WORKDAY';
      listed.set(date, { date, kind, name: `random ${i}` });
    }
    const calendars = [plain, china, new WorkingCalendar([...listed.values()])];
    for (let i = 0; i < 300; i += 1) {
      const calendar = calendars[i % calendars.length]!;
      const start = i % 5 === 0 ? randomDate(1900, 300) : randomDate(2024, 6);
      const n = Math.floor(random() * 60);
      const end = calendar.addWorkingDays(start, n);
      expect(end, `${start} + ${n}`).toBe(walk(calendar, start, n));
      expect(calendar.workingDaysBetween(start, end)).toBe(n);
      const other = shift(start, Math.floor(random() * 200) - 100);
      const between = calendar.workingDaysBetween(start, other);
      expect(calendar.workingDaysBetween(other, start) + between).toBe(0);
      if (between > 0 && calendar.isWorkingDay(other)) {
        expect(calendar.addWorkingDays(start, between)).toBe(other);
      }
    }
  });
});

describe('WorkingCalendar contract errors', () => {
  it('refuses malformed and non-existent dates, saying what was expected', () => {
    for (const bad of ['2026-02-30', '2026-1-5', '2026-13-01', '2026-00-10', '2027-02-29', '']) {
      expect(() => plain.isWorkingDay(bad)).toThrow(RangeError);
      expect(() => plain.addWorkingDays(bad, 1)).toThrow(RangeError);
      expect(() => plain.workingDaysBetween('2026-01-05', bad)).toThrow(RangeError);
    }
    expect(() => plain.addWorkingDays('2026-02-30', 1)).toThrow(
      'expected a date as YYYY-MM-DD, but got: 2026-02-30',
    );
    expect(() => plain.isWorkingDay('2026-1-5')).toThrow(
      'expected a date as YYYY-MM-DD, but got: 2026-1-5',
    );
    expect(() => plain.isWorkingDay('2026-01-05T00:00:00Z')).toThrow(RangeError);
  });

  it('refuses negative, fractional and non-finite counts', () => {
    expect(() => plain.addWorkingDays('2026-01-05', -1)).toThrow(
      'expected a non-negative integer number of working days, but got: -1',
    );
    expect(() => plain.addWorkingDays('2026-01-05', 1.5)).toThrow(
      'expected a non-negative integer number of working days, but got: 1.5',
    );
    expect(() => plain.addWorkingDays('2026-01-05', Number.NaN)).toThrow(RangeError);
    expect(() => plain.addWorkingDays('2026-01-05', Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('refuses a date listed with both kinds, and bad entries, at construction', () => {
    expect(
      () =>
        new WorkingCalendar([
          { date: '2026-10-10', kind: 'MAKEUP_WORKDAY', name: '国庆节调休上班' },
          { date: '2026-10-10', kind: 'HOLIDAY', name: 'typo' },
        ]),
    ).toThrow(/expected one kind per date, but got: 2026-10-10/);
    expect(() => new WorkingCalendar([{ date: '2026-2-1', kind: 'HOLIDAY', name: 'x' }])).toThrow(
      'expected a date as YYYY-MM-DD, but got: 2026-2-1',
    );
    expect(
      () => new WorkingCalendar([{ date: '2026-02-02', kind: 'WEEKEND' as never, name: 'x' }]),
    ).toThrow(/expected kind 'HOLIDAY' or 'MAKEUP_WORKDAY' for 2026-02-02, but got: WEEKEND/);
  });

  it('accepts a date listed twice with the same kind', () => {
    const calendar = new WorkingCalendar([
      { date: '2026-11-23', kind: 'HOLIDAY', name: 'a' },
      { date: '2026-11-23', kind: 'HOLIDAY', name: 'b' },
    ]);
    expect(calendar.isWorkingDay('2026-11-23')).toBe(false);
    expect(calendar.workingDaysBetween('2026-11-20', '2026-11-24')).toBe(1);
  });
});
