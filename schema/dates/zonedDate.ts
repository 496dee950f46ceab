/** The platform's time zone unless configured otherwise (TIME_ZONE). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The civil date (YYYY-MM-DD) that `instant` falls on in `timeZone`. Quota days,
 * grant validity dates and deadlines are civil days of the platform's zone, not
 * UTC: 00:30 in Shanghai is still the previous day in UTC.
 */
export function civilDateIn(instant: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format.format(instant);
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant a civil date begins in `timeZone`, as ISO 8601 UTC:
 * 2026-12-01 in Asia/Shanghai begins at 2026-11-30T16:00:00.000Z.
 */
export function startOfCivilDate(date: string, timeZone: string = DEFAULT_TIME_ZONE): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const midnightUtc = Date.UTC(year, month - 1, day);
  // The zone's offset at that moment, applied twice to settle across a DST change.
  let instant = midnightUtc;
  for (let i = 0; i < 2; i++) instant = midnightUtc - offsetMs(new Date(instant), timeZone);
  return new Date(instant).toISOString();
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in ms. */
function offsetMs(instant: Date, timeZone: string): number {
  let format = offsetFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(
    format.formatToParts(instant).map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const wall = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}
