import type { Knex } from 'knex';
import type { CalendarDay, CalendarDayKind } from './WorkingCalendar.ts';
import { WorkingCalendar } from './WorkingCalendar.ts';

interface HolidayRow {
  date: string;
  kind: string;
  name: string;
}

/** Width of the `holidays.name` column, in characters. */
/** The longest name of a calendar day, in characters. */
export const CALENDAR_NAME_LENGTH = 64;

/** Every listed date of the `holidays` table, oldest first. */
export async function selectCalendarDays(db: Knex): Promise<CalendarDay[]> {
  const rows = await db<HolidayRow>('holidays').select('date', 'kind', 'name').orderBy('date');
  return rows.map((r) => ({ date: r.date, kind: r.kind as CalendarDayKind, name: r.name }));
}

/**
 * Lists `day`, replacing whatever the table held for its date (so a holiday can be
 * turned into a make-up working day), and records who did it and when. The entry is
 * checked first, with the same `RangeError`s the calendar throws, so the table
 * never holds a row that would stop `loadWorkingCalendar`.
 */
export async function upsertCalendarDay(db: Knex, day: CalendarDay, by: string): Promise<void> {
  const checked = WorkingCalendar.checkDay(day);
  const nameLength = [...checked.name].length;
  if (nameLength < 1 || nameLength > CALENDAR_NAME_LENGTH) {
    throw new RangeError(
      `expected a name of 1 to ${CALENDAR_NAME_LENGTH} characters for ${checked.date}, but got: ${checked.name}`,
    );
  }
  await db('holidays')
    .insert({ ...checked, updated_at: new Date().toISOString(), updated_by: by })
    .onConflict('date')
    .merge();
}

/**
 * Removes the entry for `date`, which then follows the ordinary week again.
 * Returns whether a row was deleted. The date is not checked, so a row that was
 * written around `upsertCalendarDay` with a malformed date can still be removed.
 */
export async function deleteCalendarDay(db: Knex, date: string): Promise<boolean> {
  const deleted = await db('holidays').where({ date }).delete();
  return deleted > 0;
}

/**
 * The calendar the table describes now. Read it again after a change: a
 * `WorkingCalendar` is an immutable snapshot. Throws the calendar's `RangeError`
 * if a row breaks its contract (only possible for rows written outside this module).
 */
export async function loadWorkingCalendar(db: Knex): Promise<WorkingCalendar> {
  return new WorkingCalendar(await selectCalendarDays(db));
}
