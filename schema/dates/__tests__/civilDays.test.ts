import { describe, expect, it } from 'vitest';
import { civilFromDays, daysFromCivil, isCalendarDate } from '../index.ts';

describe('civil days', () => {
  it('counts from 1970-01-01 and back', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2026, 11, 21)).toBe(Date.UTC(2026, 10, 21) / 86_400_000);
    expect(civilFromDays(-1)).toEqual({ year: 1969, month: 12, dayOfMonth: 31 });
    for (let day = -800_000; day < 800_000; day += 997) {
      const { year, month, dayOfMonth } = civilFromDays(day);
      expect(daysFromCivil(year, month, dayOfMonth)).toBe(day);
    }
  });

  it('tells real dates from impossible or malformed ones, for any four-digit year', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('0042-03-01')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-02-30')).toBe(false);
    expect(isCalendarDate('1900-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-00-10')).toBe(false);
    expect(isCalendarDate('2026-2-3')).toBe(false);
    expect(isCalendarDate('2026-02-03T00:00')).toBe(false);
  });
});
