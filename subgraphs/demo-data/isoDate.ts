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

/** Days since 1970-01-01 of a civil date; a day past the month's end rolls into the next month. */
function daysFromCivil(year: number, month: number, dayOfMonth: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + dayOfMonth - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The civil date of a day number. */
function civilFromDays(day: number): { year: number; month: number; dayOfMonth: number } {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36524) -
      Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfMonth };
}
