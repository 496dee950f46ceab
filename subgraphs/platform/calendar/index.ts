export {
  CALENDAR_NAME_LENGTH,
  deleteCalendarDay,
  loadWorkingCalendar,
  selectCalendarDays,
  upsertCalendarDay,
} from './calendarQueries.ts';
export { CHINA_HOLIDAYS_2026 } from './chinaHolidays2026.ts';
export { isCalendarDate, MAX_WORKING_DAYS, WorkingCalendar } from './WorkingCalendar.ts';
export type { CalendarDay, CalendarDayKind } from './WorkingCalendar.ts';
