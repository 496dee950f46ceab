import { config } from './config.ts';

/**
 * A calendar date `days` from today in the platform's time zone (deadlines
 * and the audit's days are civil days there), as YYYY-MM-DD.
 */
export function platformDateFromToday(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', {
    timeZone: config.timeZone ?? 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A calendar date `days` from today, as YYYY-MM-DD in the browser's time zone. */
export function dateFromToday(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** How the charts group days: civil days, ISO weeks (from Monday), months. */
export type Interval = 'DAY' | 'WEEK' | 'MONTH';

/** The periods of [from, to), each named by its first day, as the API names them. */
export function periodsBetween(from: string, to: string, interval: Interval): string[] {
  const periods: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let day = Date.parse(`${from}T00:00:00Z`); day < end; day += 86_400_000) {
    const date = new Date(day);
    let first = date;
    if (interval === 'WEEK') first = new Date(day - ((date.getUTCDay() + 6) % 7) * 86_400_000);
    if (interval === 'MONTH')
      first = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
    const name = first.toISOString().slice(0, 10);
    if (periods.at(-1) !== name) periods.push(name);
    if (periods.length > 800) break;
  }
  return periods;
}

/** A period's label on a chart's axis: MM-DD, or YY-MM for months. */
export const periodLabel = (interval: Interval) => (period: string) =>
  interval === 'MONTH' ? period.slice(2, 7) : period.slice(5);
