import { useState } from 'preact/hooks';
import { describedBy, Enum, Field, Loading, Problems, Table } from '../components.tsx';
import { platformDateFromToday } from '../dates.ts';
import type { ApiError } from '../graphql.ts';
import { useT } from '../i18n.ts';
import { useMutation, useQuery } from '../useApi.ts';

const DAYS = /* GraphQL */ `
  query ConsoleCalendar($year: Int) {
    calendarDays(year: $year) {
      date
      kind
      name
    }
  }
`;

const SET = /* GraphQL */ `
  mutation ConsoleSetCalendarDay($date: String!, $kind: CalendarDayKind!, $name: String!) {
    setCalendarDay(date: $date, kind: $kind, name: $name) {
      date
    }
  }
`;

const REMOVE = /* GraphQL */ `
  mutation ConsoleRemoveCalendarDay($date: String!) {
    removeCalendarDay(date: $date)
  }
`;

interface CalendarDay {
  date: string;
  kind: 'HOLIDAY' | 'MAKEUP_WORKDAY';
  name: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Monday first: 0 for Monday … 6 for Sunday. */
const weekdayOf = (year: number, month: number, day: number) =>
  (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;

/**
 * The working-day calendar (admins): the year month by month — working days,
 * weekends, holidays and make-up working days — and adding or removing a day,
 * with the API's refusals shown beside the field they concern.
 */
export function CalendarPage() {
  const t = useT();
  const [year, setYear] = useState(Number(platformDateFromToday(0).slice(0, 4)));
  const list = useQuery<{ calendarDays: CalendarDay[] }>(DAYS, { year });
  const [form, setForm] = useState<CalendarDay>({ date: '', kind: 'HOLIDAY', name: '' });
  const set = useMutation<{ setCalendarDay: { date: string } }>(SET);
  const remove = useMutation<{ removeCalendarDay: boolean }>(REMOVE);
  const [done, setDone] = useState<string | null>(null);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const byDate = new Map((list.data?.calendarDays ?? []).map((d) => [d.date, d]));
  const { byField, rest } = calendarProblems(set.error);
  const problem = (name: 'date' | 'kind' | 'name') => missing[name] ?? byField[name] ?? null;

  const submit = async (event: Event) => {
    event.preventDefault();
    setDone(null);
    const blanks: Record<string, string> = {};
    if (!form.date) blanks.date = t('required');
    if (!form.name.trim()) blanks.name = t('required');
    setMissing(blanks);
    if (Object.keys(blanks).length > 0) return;
    if (await set.run({ ...form, name: form.name.trim() })) {
      setDone(`${t('calendarSaved')} ${form.date}`);
      if (form.date.startsWith(`${year}-`)) list.reload();
      else setYear(Number(form.date.slice(0, 4)));
    }
  };
  const removeDay = async (date: string) => {
    setDone(null);
    const answer = await remove.run({ date });
    if (answer) {
      setDone(`${t(answer.removeCalendarDay ? 'calendarRemoved' : 'calendarNoSuchDay')} ${date}`);
      list.reload();
    }
  };

  return (
    <section>
      <h1>{t('calendar')}</h1>
      <p class="help">{t('calendarHelp')}</p>
      <div class="row">
        <button type="button" id="calendar-previous-year" onClick={() => setYear(year - 1)}>
          {t('previousYear')}
        </button>
        <h2 id="calendar-year">{year}</h2>
        <button type="button" id="calendar-next-year" onClick={() => setYear(year + 1)}>
          {t('nextYear')}
        </button>
      </div>
      <ul class="legend">
        <li>
          <span class="day-swatch workday" aria-hidden="true" /> {t('workday')}
        </li>
        <li>
          <span class="day-swatch weekend" aria-hidden="true" /> {t('weekend')}
        </li>
        <li>
          <span class="day-swatch holiday" aria-hidden="true" /> {t('HOLIDAY')}
        </li>
        <li>
          <span class="day-swatch makeup" aria-hidden="true" /> {t('MAKEUP_WORKDAY')}
        </li>
      </ul>
      <Problems error={list.error} />
      <Loading when={list.loading} />
      <form class="card" id="calendar-form" onSubmit={(e) => void submit(e)} noValidate>
        <h2>{t('calendarAdd')}</h2>
        <div class="row">
          <Field id="calendar-date" label={t('date')} problem={problem('date')}>
            <input
              id="calendar-date"
              type="date"
              value={form.date}
              aria-invalid={problem('date') ? true : undefined}
              aria-describedby={describedBy('calendar-date', false, problem('date'))}
              onInput={(e) => setForm({ ...form, date: e.currentTarget.value })}
            />
          </Field>
          <Field id="calendar-kind" label={t('kind')} problem={problem('kind')}>
            <select
              id="calendar-kind"
              value={form.kind}
              onChange={(e) =>
                setForm({ ...form, kind: e.currentTarget.value as CalendarDay['kind'] })
              }
            >
              <option value="HOLIDAY">{t('HOLIDAY')}</option>
              <option value="MAKEUP_WORKDAY">{t('MAKEUP_WORKDAY')}</option>
            </select>
          </Field>
          <Field id="calendar-name" label={t('name')} problem={problem('name')}>
            <input
              id="calendar-name"
              value={form.name}
              aria-invalid={problem('name') ? true : undefined}
              aria-describedby={describedBy('calendar-name', false, problem('name'))}
              onInput={(e) => setForm({ ...form, name: e.currentTarget.value })}
            />
          </Field>
          <button type="submit" class="primary" id="calendar-save" disabled={set.busy}>
            {t('calendarSave')}
          </button>
        </div>
        <Problems error={rest ?? remove.error} />
        {done ? (
          <p class="success" role="status" id="calendar-done">
            {done}
          </p>
        ) : null}
      </form>
      <div class="months">
        {Array.from({ length: 12 }, (_, i) => (
          <Month
            key={i}
            year={year}
            month={i + 1}
            days={byDate}
            onPick={(date) => setForm({ ...form, date, name: byDate.get(date)?.name ?? form.name })}
          />
        ))}
      </div>
      {list.data ? (
        <Table
          caption={`${t('calendarDays')} ${year}`}
          headers={[t('date'), t('kind'), t('name'), '']}
          rows={list.data.calendarDays.map((d) => [
            d.date,
            <Enum value={d.kind} />,
            d.name,
            <button
              type="button"
              data-remove-day={d.date}
              disabled={remove.busy}
              onClick={() => void removeDay(d.date)}
            >
              {t('remove')}
            </button>,
          ])}
        />
      ) : null}
    </section>
  );
}

/** One month as a table, Monday first; a day's button puts its date in the form. */
function Month({
  year,
  month,
  days,
  onPick,
}: {
  year: number;
  month: number;
  days: ReadonlyMap<string, CalendarDay>;
  onPick: (date: string) => void;
}) {
  const t = useT();
  const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const cells: (number | null)[] = [
    ...Array.from({ length: weekdayOf(year, month, 1) }, () => null),
    ...Array.from({ length }, (_, i) => i + 1),
  ];
  while (cells.length % 7) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  return (
    <table class="month">
      <caption>
        {year}-{pad(month)}
      </caption>
      <thead>
        <tr>
          {['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => (
            <th scope="col" key={d}>
              {t(d)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week, w) => (
          <tr key={w}>
            {week.map((day, i) => {
              if (day === null) return <td key={i} />;
              const date = `${year}-${pad(month)}-${pad(day)}`;
              const special = days.get(date);
              const kind = special
                ? special.kind === 'HOLIDAY'
                  ? 'holiday'
                  : 'makeup'
                : i >= 5
                  ? 'weekend'
                  : 'workday';
              const what = special
                ? `${t(special.kind)} ${special.name}`
                : t(kind === 'weekend' ? 'weekend' : 'workday');
              return (
                <td key={i}>
                  <button
                    type="button"
                    class={`day ${kind}`}
                    data-date={date}
                    title={what}
                    onClick={() => onPick(date)}
                  >
                    {day}
                    <span class="visually-hidden">
                      {' '}
                      {date} {what}
                    </span>
                  </button>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The API's refusals of a calendar day beside the field they name: its
 * messages say "date", "kind" or "name"; any other stays with the form.
 */
function calendarProblems(error: ApiError | null): {
  byField: Record<string, string>;
  rest: ApiError | null;
} {
  if (!error) return { byField: {}, rest: null };
  const byField: Record<string, string> = {};
  const rest = error.problems.filter((p) => {
    if (p.code !== 'BAD_USER_INPUT') return true;
    const field = ['date', 'kind', 'name'].find((f) => new RegExp(`\\b${f}\\b`).test(p.message));
    if (!field) return true;
    byField[field] = p.message;
    return false;
  });
  return {
    byField,
    rest: rest.length
      ? (Object.assign(Object.create(Object.getPrototypeOf(error) as object), error, {
          problems: rest,
        }) as ApiError)
      : null,
  };
}
