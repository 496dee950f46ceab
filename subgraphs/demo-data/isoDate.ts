import { civilFromDays, daysFromCivil } from '../../schema/index.ts';

/**
 * Dates of the demo data are whole days counted from 1970-01-01 (negative
 * before it) while generating, and 'YYYY-MM-DD' strings in rows: the form both
 * SQLite and MySQL (with dateStrings) store and return unchanged. Conversions
 * are exact integer arithmetic on the proleptic Gregorian calendar (Howard
 * Hinnant's civil-day algorithms): no Date objects, no time zones, and fast
 * enough for millions of rows.
 */
export function isoDate(day: number): string {
  const { year, month, dayOfMonth } = civilFromDays(day);
  return `${year}-${month < 10 ? '0' : ''}${month}-${dayOfMonth < 10 ? '0' : ''}${dayOfMonth}`;
}

/** The day number of a 'YYYY-MM-DD' string; throws on anything else, such as 2023-02-29. */
export function dayNumber(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const day = daysFromCivil(Number(match[1]), Number(match[2]), Number(match[3]));
  if (isoDate(day) !== date) throw new RangeError(`no such date: ${date}`);
  return day;
}

/** `day` moved by whole calendar years; 29 February becomes 1 March in common years. */
export function addYears(day: number, years: number): number {
  const { year, month, dayOfMonth } = civilFromDays(day);
  return daysFromCivil(year + years, month, dayOfMonth);
}
