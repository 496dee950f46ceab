import { civilFromDays, daysFromCivil } from '../../../schema/index.ts';

/** What an exception to the ordinary Monday–Friday week does to its date. */
export type CalendarDayKind = 'HOLIDAY' | 'MAKEUP_WORKDAY';

/**
 * One exception to the ordinary week: a public holiday (no work, even on a
 * weekday) or a make-up working day (调休上班日: work, even on a Saturday or
 * Sunday). `date` is a calendar date as 'YYYY-MM-DD'; `name` is for people
 * (e.g. '春节', '国庆节调休上班') and does not change any count.
 */
export interface CalendarDay {
  date: string;
  kind: CalendarDayKind;
  name: string;
}

/** Day number (since 1970-01-01) of 9999-12-31: the last date 'YYYY-MM-DD' can write. */
const LAST_DAY = 2_932_896;

/**
 * The working-day calendar every deadline on the platform counts with.
 *
 * Chinese government deadlines count working days: Saturdays and Sundays are not
 * working days, public holidays are not, and make-up working days are, whatever
 * weekday they fall on. A date that is not listed follows the ordinary week.
 *
 * Dates are plain calendar dates as 'YYYY-MM-DD' strings and are handled as whole
 * day numbers (proleptic Gregorian, exact integer arithmetic): no `Date` objects,
 * no time zones, so a deadline never shifts by a day with the server's zone or
 * daylight saving. Any real date with a four-digit year is accepted (the platform
 * uses 1900–2200).
 *
 * Counting is done with a prefix count ("working days up to and including day d")
 * that is O(1) arithmetic for the ordinary week plus a binary search over the
 * listed exceptions, so `workingDaysBetween` is O(log h) and `addWorkingDays` is
 * O(log n · log h) for h listed dates, whatever the distance.
 *
 * Contract errors (a malformed or non-existent date, a bad count, a date listed
 * with two kinds) are `RangeError`s saying what was expected and what was given,
 * so a bad deadline is refused where it is made rather than stored.
 */
export class WorkingCalendar {
  /** The kind of every listed date, by day number. */
  readonly #kinds = new Map<number, CalendarDayKind>();
  /** Sorted day numbers of listed dates that change the ordinary week's count. */
  readonly #shiftDays: number[] = [];
  /** `#shiftPrefix[i]`: the net change to the count from `#shiftDays[0..i]`. */
  readonly #shiftPrefix: number[] = [];

  /**
   * @param days the exceptions to the ordinary week, in any order. A date may be
   *   listed more than once with the same kind (the first name is kept); listing it
   *   with both kinds is a `RangeError`, since the calendar could not say which holds.
   */
  constructor(days: readonly CalendarDay[]) {
    const names = new Map<number, string>();
    for (const entry of days) {
      const day = WorkingCalendar.checkDay(entry);
      const dayNumber = parseDate(day.date);
      const known = this.#kinds.get(dayNumber);
      if (known !== undefined && known !== day.kind) {
        throw new RangeError(
          `expected one kind per date, but got: ${day.date} as both ${known} ` +
            `(${names.get(dayNumber)}) and ${day.kind} (${day.name})`,
        );
      }
      if (known === undefined) {
        this.#kinds.set(dayNumber, day.kind);
        names.set(dayNumber, day.name);
      }
    }
    const shifts: [number, number][] = [];
    for (const [dayNumber, kind] of this.#kinds) {
      const weekend = isWeekend(dayNumber);
      if (kind === 'HOLIDAY' && !weekend) shifts.push([dayNumber, -1]);
      if (kind === 'MAKEUP_WORKDAY' && weekend) shifts.push([dayNumber, 1]);
    }
    shifts.sort((a, b) => a[0] - b[0]);
    let total = 0;
    for (const [dayNumber, delta] of shifts) {
      total += delta;
      this.#shiftDays.push(dayNumber);
      this.#shiftPrefix.push(total);
    }
  }

  /**
   * `day` checked against the `CalendarDay` contract and copied without extra
   * properties; throws the same `RangeError` the constructor would. Used to refuse
   * a bad entry before it is stored, so a stored calendar always loads.
   */
  static checkDay(day: CalendarDay): CalendarDay {
    const { date, kind, name } = (day ?? {}) as Partial<Record<keyof CalendarDay, unknown>>;
    parseDate(date);
    if (kind !== 'HOLIDAY' && kind !== 'MAKEUP_WORKDAY') {
      throw new RangeError(
        `expected kind 'HOLIDAY' or 'MAKEUP_WORKDAY' for ${String(date)}, but got: ${String(kind)}`,
      );
    }
    if (typeof name !== 'string') {
      throw new RangeError(`expected a name string for ${String(date)}, but got: ${String(name)}`);
    }
    return { date: date as string, kind, name };
  }

  /** Whether `date` is a working day: a make-up working day, or a weekday that is no holiday. */
  isWorkingDay(date: string): boolean {
    const dayNumber = parseDate(date);
    const kind = this.#kinds.get(dayNumber);
    if (kind !== undefined) return kind === 'MAKEUP_WORKDAY';
    return !isWeekend(dayNumber);
  }

  /**
   * The n-th working day after `start`: the deadline of "within n working days
   * from start". `start` itself never counts, whatever it is (an act on a holiday
   * starts the clock the same as one on a working day), and n = 0 returns `start`.
   *
   * @param n a non-negative integer; a result past 9999-12-31 is a `RangeError`.
   */
  addWorkingDays(start: string, n: number): string {
    const from = parseDate(start);
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(
        `expected a non-negative integer number of working days, but got: ${String(n)}`,
      );
    }
    if (n === 0) return start;
    const target = this.#countUpTo(from) + n;
    // Bracket the answer: count(low) < target <= count(high). Seven days hold five
    // ordinary working days; holidays can push further, so widen by doubling.
    let low = from;
    let high = Math.min(from + Math.ceil(n / 5) * 7 + 7, LAST_DAY);
    while (this.#countUpTo(high) < target) {
      if (high === LAST_DAY) {
        throw new RangeError(
          `expected ${n} working days after ${start} to end by 9999-12-31, but they do not`,
        );
      }
      low = high;
      high = Math.min(from + (high - from) * 2, LAST_DAY);
    }
    // The count rises by exactly one on each working day, so the first day that
    // reaches the target is the n-th working day.
    while (high - low > 1) {
      const middle = low + Math.floor((high - low) / 2);
      if (this.#countUpTo(middle) < target) low = middle;
      else high = middle;
    }
    return formatDate(high);
  }

  /**
   * Working days in (from, to]: `from` excluded, `to` included, so that
   * `workingDaysBetween(d, addWorkingDays(d, n)) === n`. Negative (the mirror,
   * `-workingDaysBetween(to, from)`) when `to` is before `from`; 0 when equal.
   * This is the "answered in n working days" of reply-time statistics.
   */
  workingDaysBetween(from: string, to: string): number {
    const start = parseDate(from);
    const end = parseDate(to);
    return this.#countUpTo(end) - this.#countUpTo(start);
  }

  /** Working days from a fixed origin up to and including `dayNumber`; only differences mean anything. */
  #countUpTo(dayNumber: number): number {
    return weekdaysUpTo(dayNumber) + this.#shiftUpTo(dayNumber);
  }

  /** The net change from listed dates on or before `dayNumber`. */
  #shiftUpTo(dayNumber: number): number {
    let low = 0;
    let high = this.#shiftDays.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#shiftDays[middle] as number) <= dayNumber) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? 0 : (this.#shiftPrefix[low - 1] as number);
  }
}

/** Day of the week of a day number, 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
function weekday(dayNumber: number): number {
  return (((dayNumber + 3) % 7) + 7) % 7;
}

function isWeekend(dayNumber: number): boolean {
  return weekday(dayNumber) >= 5;
}

/**
 * Mondays to Fridays from a fixed origin up to and including `dayNumber`: five per
 * whole week, plus the weekdays of the partial week. Rises by one exactly on Monday
 * to Friday, for negative day numbers too.
 */
function weekdaysUpTo(dayNumber: number): number {
  const daysFromMonday = dayNumber + 4; // days in [the Monday before 1970-01-01, dayNumber]
  const weeks = Math.floor(daysFromMonday / 7);
  return weeks * 5 + Math.min(daysFromMonday - weeks * 7, 5);
}

/** The day number of a real 'YYYY-MM-DD' date; a `RangeError` for anything else. */
/** Whether `value` is a date of the calendar, as YYYY-MM-DD. */
export function isCalendarDate(value: unknown): value is string {
  try {
    parseDate(value);
    return true;
  } catch {
    return false;
  }
}

/** The most working days `addWorkingDays` is asked to count (about forty years). */
export const MAX_WORKING_DAYS = 10_000;

function parseDate(date: unknown): number {
  const match = typeof date === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date) : null;
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  const dayOfMonth = Number(match?.[3]);
  if (
    !match ||
    month < 1 ||
    month > 12 ||
    dayOfMonth < 1 ||
    dayOfMonth > daysInMonth(year, month)
  ) {
    throw new RangeError(`expected a date as YYYY-MM-DD, but got: ${String(date)}`);
  }
  return daysFromCivil(year, month, dayOfMonth);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function formatDate(dayNumber: number): string {
  const { year, month, dayOfMonth } = civilFromDays(dayNumber);
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(dayOfMonth, 2)}`;
}
