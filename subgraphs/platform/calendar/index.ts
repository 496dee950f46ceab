export {
  deleteCalendarDay,
  loadWorkingCalendar,
  selectCalendarDays,
  upsertCalendarDay,
} from './calendarQueries.ts';
export { CHINA_HOLIDAYS_2026 } from './chinaHolidays2026.ts';
export { WorkingCalendar } from './WorkingCalendar.ts';
export type { CalendarDay, CalendarDayKind } from './WorkingCalendar.ts';
