export { civilFromDays, daysFromCivil, isCalendarDate } from './civilDays.ts';
