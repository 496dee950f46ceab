import { civilFromDays, daysFromCivil, startOfCivilDate } from '../../../schema/index.ts';

/** How a chart over time groups civil days. */
export type Interval = 'DAY' | 'WEEK' | 'MONTH';

const dayNumber = (date: string) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return daysFromCivil(y, m, d);
};

const dateOf = (day: number) => {
  const { year, month, dayOfMonth } = civilFromDays(day);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;
};

/**
 * The period a civil date (YYYY-MM-DD) falls in, named by its first day: the
 * date itself, the Monday of its week (ISO weeks), or the first of its month.
 */
export function periodOf(date: string, interval: Interval): string {
  switch (interval) {
    case 'DAY':
      return date;
    case 'WEEK': {
      const day = dayNumber(date);
      // 1970-01-01 was a Thursday: three days after a Monday.
      return dateOf(day - ((((day + 3) % 7) + 7) % 7));
    }
    case 'MONTH':
      return `${date.slice(0, 7)}-01`;
  }
}

/** Every period of [from, to) in order, each named by its first day (the first may start before `from`). */
export function periodsBetween(from: string, to: string, interval: Interval): string[] {
  const periods: string[] = [];
  for (let day = dayNumber(from); day < dayNumber(to); day++) {
    const period = periodOf(dateOf(day), interval);
    if (periods.at(-1) !== period) periods.push(period);
  }
  return periods;
}

/** Whole days in [from, to). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/**
 * The UTC time (HH:MM) at which every civil day of [from, to) begins in
 * `timeZone` — 16:00 for Asia/Shanghai — or null when it differs from day to
 * day in the period (a summer-time change).
 */
export function dayStartsAt(from: string, to: string, timeZone: string): string | null {
  const starts = new Set<string>();
  for (let day = dayNumber(from); day < dayNumber(to); day++) {
    starts.add(startOfCivilDate(dateOf(day), timeZone).slice(11, 16));
    if (starts.size > 1) return null;
  }
  return starts.size === 1 ? [...starts][0]! : null;
}
