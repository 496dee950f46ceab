import { dayNumber } from './isoDate.ts';

/**
 * The fixed "today" of the demo data. Statuses such as EXPIRED are decided
 * against it rather than the wall clock, so the same scale seeds the same rows
 * next year too; every generated date lies before it.
 */
export const DEMO_REFERENCE_DATE = '2026-11-21';

/** {@link DEMO_REFERENCE_DATE} as a day number. */
export const DEMO_REFERENCE_DAY = dayNumber(DEMO_REFERENCE_DATE);
