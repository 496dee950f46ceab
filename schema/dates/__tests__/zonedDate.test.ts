import { describe, expect, it } from 'vitest';
import { civilDateIn, isTimeZone, startOfCivilDate } from '../index.ts';

describe('civil dates in the platform time zone', () => {
  it('puts 00:30 in Shanghai on the new day, though UTC is still on the old one', () => {
    expect(civilDateIn(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12-01');
    expect(civilDateIn(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11-30');
    expect(civilDateIn(new Date('2026-11-30T16:30:00Z'), 'UTC')).toBe('2026-11-30');
  });
  it('starts a civil day at local midnight', () => {
    expect(startOfCivilDate('2026-12-01')).toBe('2026-11-30T16:00:00.000Z');
    expect(startOfCivilDate('2026-12-01', 'UTC')).toBe('2026-12-01T00:00:00.000Z');
  });
  it('follows daylight saving time where a zone has it', () => {
    expect(startOfCivilDate('2026-03-29', 'Europe/Berlin')).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfCivilDate('2026-03-30', 'Europe/Berlin')).toBe('2026-03-29T22:00:00.000Z');
  });
  it('knows which zones exist', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
