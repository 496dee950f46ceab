export { civilFromDays, daysFromCivil, isCalendarDate } from './civilDays.ts';
export { civilDateIn, DEFAULT_TIME_ZONE, isTimeZone } from './zonedDate.ts';
