import { useState } from 'preact/hooks';
import { BarChart } from '../BarChart.tsx';
import { Field, Loading, Problems, Table } from '../components.tsx';
import { platformDateFromToday, periodLabel, periodsBetween, type Interval } from '../dates.ts';
import { useT } from '../i18n.ts';
import type { Session } from '../session.ts';
import { useQuery } from '../useApi.ts';

const COUNTS = /* GraphQL */ `
  query ConsoleWhoReadMyData(
    $department: String!
    $from: String!
    $to: String!
    $interval: Interval
  ) {
    datasetAccessCounts(department: $department, from: $from, to: $to, interval: $interval) {
      period
      consumerDepartment
      dataset
      served
      denied
      records
    }
  }
`;

interface AccessCount {
  period: string;
  consumerDepartment: string | null;
  dataset: string;
  served: number;
  denied: number;
  records: number;
}

/** Series beyond these are drawn together as "others", so the colours stay readable. */
const MAX_SERIES = 6;

/**
 * Who read my department's data: requests served per period, stacked by
 * consumer department or by dataset, counted on the server from the audit
 * trail; the totals per consumer and dataset in a table below.
 */
export function WhoReadMyDataPage({ session }: { session: Session }) {
  const t = useT();
  const [form, setForm] = useState({
    from: platformDateFromToday(-29),
    to: platformDateFromToday(1),
    interval: 'DAY' as Interval,
  });
  const [asked, setAsked] = useState(form);
  const [by, setBy] = useState<'consumer' | 'dataset'>('consumer');
  const counts = useQuery<{ datasetAccessCounts: AccessCount[] }>(COUNTS, {
    department: session.department ?? '',
    ...asked,
  });
  const rows = counts.data?.datasetAccessCounts ?? [];
  const periods = periodsBetween(asked.from, asked.to, asked.interval);
  const groupOf = (c: AccessCount) =>
    by === 'consumer' ? (c.consumerDepartment ?? t('anonymous')) : c.dataset;
  const served = new Map<string, number>();
  for (const c of rows) served.set(groupOf(c), (served.get(groupOf(c)) ?? 0) + c.served);
  const ranked = [...served].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const shown = ranked.slice(0, MAX_SERIES);
  const seriesOf = (name: string) => (shown.includes(name) ? name : t('others'));
  const names = ranked.length > MAX_SERIES ? [...shown, t('others')] : shown;
  const series = names.map((name) => ({
    name,
    values: periods.map((p) =>
      rows
        .filter((c) => c.period === p && seriesOf(groupOf(c)) === name)
        .reduce((sum, c) => sum + c.served, 0),
    ),
  }));
  const totals = new Map<string, AccessCount>();
  for (const c of rows) {
    const key = `${c.consumerDepartment ?? ''}\u0000${c.dataset}`;
    const total = totals.get(key) ?? { ...c, period: '', served: 0, denied: 0, records: 0 };
    total.served += c.served;
    total.denied += c.denied;
    total.records += c.records;
    totals.set(key, total);
  }
  return (
    <section>
      <h1>{t('whoReadMyData')}</h1>
      <p class="help">{t('whoReadMyDataHelp')}</p>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(form);
        }}
      >
        <Field id="reads-from" label={t('from')}>
          <input
            id="reads-from"
            type="date"
            value={form.from}
            onInput={(e) => setForm({ ...form, from: e.currentTarget.value })}
          />
        </Field>
        <Field id="reads-to" label={t('toExclusive')}>
          <input
            id="reads-to"
            type="date"
            value={form.to}
            onInput={(e) => setForm({ ...form, to: e.currentTarget.value })}
          />
        </Field>
        <Field id="reads-interval" label={t('interval')}>
          <select
            id="reads-interval"
            value={form.interval}
            onChange={(e) => setForm({ ...form, interval: e.currentTarget.value as Interval })}
          >
            <option value="DAY">{t('byDay')}</option>
            <option value="WEEK">{t('byWeek')}</option>
            <option value="MONTH">{t('byMonth')}</option>
          </select>
        </Field>
        <Field id="reads-by" label={t('groupBy')}>
          <select
            id="reads-by"
            value={by}
            onChange={(e) => setBy(e.currentTarget.value as 'consumer' | 'dataset')}
          >
            <option value="consumer">{t('consumer')}</option>
            <option value="dataset">{t('dataset')}</option>
          </select>
        </Field>
        <button type="submit" class="primary" id="reads-show">
          {t('search')}
        </button>
      </form>
      <Problems error={counts.error} />
      <Loading when={counts.loading} />
      {counts.data ? (
        <>
          <BarChart
            id="reads-chart"
            title={`${t('whoReadMyData')} · ${t('servedRequests')} · ${t(by === 'consumer' ? 'consumer' : 'dataset')}`}
            periods={periods}
            series={series}
            labelOf={periodLabel(asked.interval)}
          />
          <Table
            caption={t('readsByConsumer')}
            headers={[
              t('consumer'),
              t('dataset'),
              t('servedRequests'),
              t('deniedRequests'),
              t('records'),
            ]}
            rows={[...totals.values()]
              .sort((a, b) => b.served - a.served)
              .map((c) => [
                c.consumerDepartment ?? t('anonymous'),
                c.dataset,
                c.served,
                c.denied,
                c.records,
              ])}
          />
        </>
      ) : null}
    </section>
  );
}
