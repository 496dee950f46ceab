import type { CalendarDay } from './WorkingCalendar.ts';

/**
 * The PRC public holiday arrangement for 2026, as published in the State Council
 * General Office notice on the 2026 holiday arrangement (国务院办公厅关于2026年部分节假日安排的通知,
 * dated 2025-11-04 and released by Xinhua); check against the notice. Transcribed
 * from the notice's text as reprinted by the press, not from the gov.cn original.
 *
 * - 元旦: Thu 1 Jan – Sat 3 Jan; work on Sun 4 Jan.
 * - 春节: Sun 15 Feb – Mon 23 Feb; work on Sat 14 Feb and Sat 28 Feb.
 * - 清明节: Sat 4 Apr – Mon 6 Apr.
 * - 劳动节: Fri 1 May – Tue 5 May; work on Sat 9 May.
 * - 端午节: Fri 19 Jun – Sun 21 Jun.
 * - 中秋节: Fri 25 Sep – Sun 27 Sep.
 * - 国庆节: Thu 1 Oct – Wed 7 Oct; work on Sun 20 Sep and Sat 10 Oct.
 *
 * Every day of each holiday period is listed, weekend days included, so the
 * calendar can name them; only holidays on weekdays and make-up days on weekends
 * change a count. This is seed data, not a rule: the calendar in force is whatever
 * the `holidays` table holds, and ADMIN can correct it at any time.
 */
export const CHINA_HOLIDAYS_2026: readonly CalendarDay[] = Object.freeze([
  { date: '2026-01-01', kind: 'HOLIDAY', name: '元旦' }, // Thu
  { date: '2026-01-02', kind: 'HOLIDAY', name: '元旦' }, // Fri
  { date: '2026-01-03', kind: 'HOLIDAY', name: '元旦' }, // Sat
  { date: '2026-01-04', kind: 'MAKEUP_WORKDAY', name: '元旦调休上班' }, // Sun
  { date: '2026-02-14', kind: 'MAKEUP_WORKDAY', name: '春节调休上班' }, // Sat
  { date: '2026-02-15', kind: 'HOLIDAY', name: '春节' }, // Sun
  { date: '2026-02-16', kind: 'HOLIDAY', name: '春节' }, // Mon
  { date: '2026-02-17', kind: 'HOLIDAY', name: '春节' }, // Tue
  { date: '2026-02-18', kind: 'HOLIDAY', name: '春节' }, // Wed
  { date: '2026-02-19', kind: 'HOLIDAY', name: '春节' }, // Thu
  { date: '2026-02-20', kind: 'HOLIDAY', name: '春节' }, // Fri
  { date: '2026-02-21', kind: 'HOLIDAY', name: '春节' }, // Sat
  { date: '2026-02-22', kind: 'HOLIDAY', name: '春节' }, // Sun
  { date: '2026-02-23', kind: 'HOLIDAY', name: '春节' }, // Mon
  { date: '2026-02-28', kind: 'MAKEUP_WORKDAY', name: '春节调休上班' }, // Sat
  { date: '2026-04-04', kind: 'HOLIDAY', name: '清明节' }, // Sat
  { date: '2026-04-05', kind: 'HOLIDAY', name: '清明节' }, // Sun
  { date: '2026-04-06', kind: 'HOLIDAY', name: '清明节' }, // Mon
  { date: '2026-05-01', kind: 'HOLIDAY', name: '劳动节' }, // Fri
  { date: '2026-05-02', kind: 'HOLIDAY', name: '劳动节' }, // Sat
  { date: '2026-05-03', kind: 'HOLIDAY', name: '劳动节' }, // Sun
  { date: '2026-05-04', kind: 'HOLIDAY', name: '劳动节' }, // Mon
  { date: '2026-05-05', kind: 'HOLIDAY', name: '劳动节' }, // Tue
  { date: '2026-05-09', kind: 'MAKEUP_WORKDAY', name: '劳动节调休上班' }, // Sat
  { date: '2026-06-19', kind: 'HOLIDAY', name: '端午节' }, // Fri
  { date: '2026-06-20', kind: 'HOLIDAY', name: '端午节' }, // Sat
  { date: '2026-06-21', kind: 'HOLIDAY', name: '端午节' }, // Sun
  { date: '2026-09-20', kind: 'MAKEUP_WORKDAY', name: '国庆节调休上班' }, // Sun
  { date: '2026-09-25', kind: 'HOLIDAY', name: '中秋节' }, // Fri
  { date: '2026-09-26', kind: 'HOLIDAY', name: '中秋节' }, // Sat
  { date: '2026-09-27', kind: 'HOLIDAY', name: '中秋节' }, // Sun
  { date: '2026-10-01', kind: 'HOLIDAY', name: '国庆节' }, // Thu
  { date: '2026-10-02', kind: 'HOLIDAY', name: '国庆节' }, // Fri
  { date: '2026-10-03', kind: 'HOLIDAY', name: '国庆节' }, // Sat
  { date: '2026-10-04', kind: 'HOLIDAY', name: '国庆节' }, // Sun
  { date: '2026-10-05', kind: 'HOLIDAY', name: '国庆节' }, // Mon
  { date: '2026-10-06', kind: 'HOLIDAY', name: '国庆节' }, // Tue
  { date: '2026-10-07', kind: 'HOLIDAY', name: '国庆节' }, // Wed
  { date: '2026-10-10', kind: 'MAKEUP_WORKDAY', name: '国庆节调休上班' }, // Sat
]);
