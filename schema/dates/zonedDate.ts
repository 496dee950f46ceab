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
