import { useState } from 'preact/hooks';
import { Enum, Field, Loading, Problems, Table } from '../components.tsx';
import { useT } from '../i18n.ts';
import { OffsetPager, useOffsetPage } from '../offsetPages.tsx';
import { useMutation, useQuery } from '../useApi.ts';

const REPORTS = /* GraphQL */ `
  query ConsoleErrorReports($offset: Int, $limit: Int) {
    dataErrorReports(status: OPEN, offset: $offset, limit: $limit) {
      id
      dataset
      reporter
      recordKey
      item
      description
      deadline
      overdue
    }
  }
`;

const ANSWER = /* GraphQL */ `
  mutation ConsoleAnswerError($id: ID!, $outcome: DataErrorOutcome!, $reason: String) {
    answerDataError(id: $id, outcome: $outcome, reason: $reason) {
      id
      status
    }
  }
`;

interface Report {
  id: string;
  dataset: string;
  reporter: string;
  recordKey: string;
  item: string;
  description: string;
  deadline: string;
  overdue: boolean;
}

/** Data error reports on my department's datasets still open, each answered once. */
export function ErrorReportsPage() {
  const t = useT();
  const page = useOffsetPage();
  const list = useQuery<{ dataErrorReports: Report[] }>(REPORTS, page.variables);
  const [open, setOpen] = useState<Report | null>(null);
  return (
    <section>
      <h1>{t('errorReports')}</h1>
      <Problems error={list.error} />
      <Loading when={list.loading} />
      {list.data ? (
        <>
          <Table
            caption={t('errorReports')}
            headers={[
              t('dataset'),
              t('consumer'),
              t('recordKey'),
              t('item'),
              t('description'),
              t('deadline'),
              '',
            ]}
            rows={page.rows(list.data.dataErrorReports).map((r) => [
              r.dataset,
              r.reporter,
              <code>{r.recordKey}</code>,
              r.item,
              r.description,
              <>
                {r.deadline} {r.overdue ? <strong>{t('overdue')}</strong> : null}
              </>,
              <button type="button" onClick={() => setOpen(r)}>
                {t('answer')}
              </button>,
            ])}
          />
          <OffsetPager page={page} answered={list.data.dataErrorReports.length} />
        </>
      ) : null}
      {open ? <Answer key={open.id} report={open} onDone={list.reload} /> : null}
    </section>
  );
}

function Answer({ report, onDone }: { report: Report; onDone: () => void }) {
  const t = useT();
  const [outcome, setOutcome] = useState('CORRECTED');
  const [reason, setReason] = useState('');
  const answer = useMutation<{ answerDataError: { status: string } }>(ANSWER);
  const send = async (event: Event) => {
    event.preventDefault();
    if (await answer.run({ id: report.id, outcome, reason: reason.trim() || null })) onDone();
  };
  return (
    <form class="card" onSubmit={(e) => void send(e)} aria-labelledby="answer-title">
      <h2 id="answer-title">
        {t('answer')} · {report.dataset} · {report.item}
      </h2>
      <div class="row">
        <Field id="answer-outcome" label={t('decision')}>
          <select
            id="answer-outcome"
            value={outcome}
            onChange={(e) => setOutcome(e.currentTarget.value)}
          >
            {['CORRECTED', 'REJECTED', 'NOT_AN_ERROR'].map((o) => (
              <option key={o} value={o}>
                {t(`outcome.${o}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="answer-reason" label={t('reason')}>
          <input
            id="answer-reason"
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
        </Field>
        <button type="submit" class="primary" disabled={answer.busy}>
          {t('submit')}
        </button>
      </div>
      <Problems error={answer.error} />
      {answer.result ? (
        <p class="success" role="status">
          <Enum value={answer.result.answerDataError.status} />
        </p>
      ) : null}
    </form>
  );
}
