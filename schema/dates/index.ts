export { civilFromDays, daysFromCivil, isCalendarDate } from './civilDays.ts';
export { civilDateIn, DEFAULT_TIME_ZONE, isTimeZone, startOfCivilDate } from './zonedDate.ts';
