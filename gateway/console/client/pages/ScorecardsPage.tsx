import { useState } from 'preact/hooks';
import { BarChart } from '../BarChart.tsx';
import { Field, Loading, Problems, Table } from '../components.tsx';
import { platformDateFromToday, periodLabel, periodsBetween, type Interval } from '../dates.ts';
import { useT } from '../i18n.ts';
import { useQuery } from '../useApi.ts';

const TREND = /* GraphQL */ `
  query ConsoleScorecardTrend($from: String!, $to: String!, $interval: Interval) {
    scorecardTrend(from: $from, to: $to, interval: $interval) {
      department
      period
      served
      denied
      records
      applicationsReceived
      applicationsAnswered
      applicationsAnsweredLate
      errorReportsReceived
      errorReportsAnswered
    }
  }
`;

interface Point {
  department: string;
  period: string;
  served: number;
  denied: number;
  records: number;
  applicationsReceived: number;
  applicationsAnswered: number;
  applicationsAnsweredLate: number;
  errorReportsReceived: number;
  errorReportsAnswered: number;
}

type Figure = Exclude<keyof Point, 'department' | 'period'>;
const FIGURES: Figure[] = [
  'served',
  'denied',
  'records',
  'applicationsReceived',
  'applicationsAnswered',
  'applicationsAnsweredLate',
  'errorReportsReceived',
  'errorReportsAnswered',
];

/** The first day of the month `months` from this one. */
function monthStart(months: number): string {
  const today = platformDateFromToday(0);
  const d = new Date(
    Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1 + months, 1),
  );
  return d.toISOString().slice(0, 10);
}

/**
 * Every providing department's scorecard over time (reviewers): per month
 * or week, requests served and denied, and applications answered in time or
 * late, aggregated on the server; each department's totals in a table.
 */
export function ScorecardsPage() {
  const t = useT();
  const [form, setForm] = useState({
    from: monthStart(-11),
    to: monthStart(1),
    interval: 'MONTH' as Interval,
  });
  const [asked, setAsked] = useState(form);
  const trend = useQuery<{ scorecardTrend: Point[] }>(TREND, asked);
  const points = trend.data?.scorecardTrend ?? [];
  const periods = periodsBetween(asked.from, asked.to, asked.interval);
  const departments = [...new Set(points.map((p) => p.department))];
  const valuesOf = (department: string, figure: Figure) =>
    periods.map(
      (period) =>
        points.find((p) => p.department === department && p.period === period)?.[figure] ?? 0,
    );
  const total = (department: string, figure: Figure) =>
    valuesOf(department, figure).reduce((a, b) => a + b, 0);
  return (
    <section>
      <h1>{t('scorecards')}</h1>
      <p class="help">{t('scorecardsHelp')}</p>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(form);
        }}
      >
        <Field id="trend-from" label={t('from')}>
          <input
            id="trend-from"
            type="date"
            value={form.from}
            onInput={(e) => setForm({ ...form, from: e.currentTarget.value })}
          />
        </Field>
        <Field id="trend-to" label={t('toExclusive')}>
          <input
            id="trend-to"
            type="date"
            value={form.to}
            onInput={(e) => setForm({ ...form, to: e.currentTarget.value })}
          />
        </Field>
        <Field id="trend-interval" label={t('interval')}>
          <select
            id="trend-interval"
            value={form.interval}
            onChange={(e) => setForm({ ...form, interval: e.currentTarget.value as Interval })}
          >
            <option value="MONTH">{t('byMonth')}</option>
            <option value="WEEK">{t('byWeek')}</option>
          </select>
        </Field>
        <button type="submit" class="primary" id="trend-show">
          {t('search')}
        </button>
      </form>
      <Problems error={trend.error} />
      <Loading when={trend.loading} />
      {trend.data ? (
        <>
          <Table
            caption={`${t('scorecards')} ${asked.from} – ${asked.to}`}
            headers={[t('department'), ...FIGURES.map((f) => t(`figure.${f}`))]}
            rows={departments.map((d) => [d, ...FIGURES.map((f) => total(d, f))])}
          />
          <div class="charts">
            {departments.map((d) => (
              <div key={d} class="card" data-scorecard={d}>
                <h2>{d}</h2>
                <BarChart
                  id={`trend-${d}-accesses`}
                  title={`${d} · ${t('figure.served')} / ${t('figure.denied')}`}
                  periods={periods}
                  series={[
                    { name: t('figure.served'), values: valuesOf(d, 'served') },
                    { name: t('figure.denied'), values: valuesOf(d, 'denied') },
                  ]}
                  labelOf={periodLabel(asked.interval)}
                  width={400}
                />
                <BarChart
                  id={`trend-${d}-applications`}
                  title={`${d} · ${t('figure.applicationsReceived')}`}
                  periods={periods}
                  series={[
                    {
                      name: t('answeredInTime'),
                      values: valuesOf(d, 'applicationsAnswered').map(
                        (n, i) => n - (valuesOf(d, 'applicationsAnsweredLate')[i] ?? 0),
                      ),
                    },
                    {
                      name: t('figure.applicationsAnsweredLate'),
                      values: valuesOf(d, 'applicationsAnsweredLate'),
                    },
                    {
                      name: t('unanswered'),
                      values: valuesOf(d, 'applicationsReceived').map(
                        (n, i) => n - (valuesOf(d, 'applicationsAnswered')[i] ?? 0),
                      ),
                    },
                  ]}
                  labelOf={periodLabel(asked.interval)}
                  width={400}
                />
              </div>
            ))}
          </div>
        </>
      ) : null}
    </section>
  );
}
