import { describe, expect, it } from 'vitest';
import { dayStartsAt, daysBetween, periodOf, periodsBetween } from '../periods.ts';

describe('periods of the charts over time', () => {
  it('names a day by itself, a week by its Monday, a month by its first day', () => {
    // Thursday 1 January 1970, the day numbers' origin; Sunday 6 December 2026.
    expect(periodOf('1970-01-01', 'WEEK')).toBe('1969-12-29');
    expect(periodOf('2026-12-06', 'WEEK')).toBe('2026-11-30');
    expect(periodOf('2026-11-30', 'WEEK')).toBe('2026-11-30');
    expect(periodOf('2027-01-03', 'WEEK')).toBe('2026-12-28');
    expect(periodOf('2028-02-29', 'MONTH')).toBe('2028-02-01');
    expect(periodOf('2026-12-06', 'DAY')).toBe('2026-12-06');
  });

  it('lists every period of [from, to) once, in order, the first starting on or before from', () => {
    expect(periodsBetween('2026-11-28', '2026-12-02', 'DAY')).toEqual([
      '2026-11-28',
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
    ]);
    expect(periodsBetween('2026-11-28', '2026-12-08', 'WEEK')).toEqual([
      '2026-11-23',
      '2026-11-30',
      '2026-12-07',
    ]);
    expect(periodsBetween('2026-01-15', '2027-01-01', 'MONTH')).toHaveLength(12);
    expect(periodsBetween('2026-12-01', '2026-12-01', 'DAY')).toEqual([]);
    expect(daysBetween('2028-02-01', '2028-03-01')).toBe(29);
  });

  it('says when civil days begin in UTC, or null across a summer-time change', () => {
    expect(dayStartsAt('2026-01-01', '2027-01-01', 'Asia/Shanghai')).toBe('16:00');
    expect(dayStartsAt('2026-01-01', '2026-02-01', 'Asia/Kolkata')).toBe('18:30');
    expect(dayStartsAt('2026-01-01', '2026-02-01', 'UTC')).toBe('00:00');
    expect(dayStartsAt('2026-01-01', '2026-02-01', 'America/New_York')).toBe('05:00');
    expect(dayStartsAt('2026-03-01', '2026-04-01', 'Europe/Berlin')).toBeNull();
  });
});
