import { describe, expect, it } from 'vitest';
import { addYears, dayNumber, isoDate } from '../index.ts';

describe('isoDate and dayNumber', () => {
  it('agree with the platform calendar over five centuries', () => {
    for (let day = -120_000; day < 80_000; day += 7) {
      const expected = new Date(day * 86_400_000).toISOString().slice(0, 10);
      expect(isoDate(day)).toBe(expected);
      expect(dayNumber(expected)).toBe(day);
    }
  });

  it('reject dates that do not exist', () => {
    expect(() => dayNumber('2023-02-29')).toThrow(RangeError);
    expect(() => dayNumber('2023-13-01')).toThrow(RangeError);
    expect(() => dayNumber('2023-1-01')).toThrow(RangeError);
  });
});

describe('addYears', () => {
  it('keeps the day of the year and moves 29 February to 1 March in common years', () => {
    expect(isoDate(addYears(dayNumber('1990-06-15'), 18))).toBe('2008-06-15');
    expect(isoDate(addYears(dayNumber('2024-02-29'), 1))).toBe('2025-03-01');
    expect(isoDate(addYears(dayNumber('2024-02-29'), 4))).toBe('2028-02-29');
  });
});
