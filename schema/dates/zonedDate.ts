/** The platform's time zone unless configured otherwise (TIME_ZONE). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone and use, made once: making one costs far more than using it. */
function formatterFor(
  use: string,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const id = `${use}\u0000${timeZone}`;
  let format = formatters.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(use === 'date' ? 'en-CA' : 'en-US', { ...options, timeZone });
    formatters.set(id, format);
  }
  return format;
}

/**
 * The civil date (YYYY-MM-DD) that `instant` falls on in `timeZone`. Quota days,
 * grant validity dates and deadlines are civil days of the platform's zone, not
 * UTC: 00:30 in Shanghai is still the previous day in UTC.
 */
export function civilDateIn(instant: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  return formatterFor('date', timeZone, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
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

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in ms. */
function offsetMs(instant: Date, timeZone: string): number {
  const format = formatterFor('wall clock', timeZone, {
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
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
