import { useState } from 'preact/hooks';
import { download, Field, inputType, Loading, Problems, Table } from '../components.tsx';
import { Pager, useFilteredPages, withoutBlanks } from '../filteredPages.tsx';
import { gql } from '../graphql.ts';
import { useT } from '../i18n.ts';
import { asApiError, useMutation, useQuery } from '../useApi.ts';
import type { ApiError } from '../graphql.ts';

const RECORDS = /* GraphQL */ `
  query ConsoleAudit($filter: AuditFilter, $after: String) {
    auditRecords(filter: $filter, first: 50, after: $after) {
      nodes {
        id
        at
        kind
        requestId
        consumerDepartment
        userId
        purpose
        dataset
        decision
        recordCount
        itemsMasked
        reason
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const VERIFY = /* GraphQL */ `
  query ConsoleVerifyChain {
    verifyAuditChain {
      ok
      chains
      records
      checkpoints
      unsignedRecords
      problems {
        writer
        seq
        problem
      }
    }
  }
`;

interface AuditRow {
  id: string;
  at: string;
  kind: string;
  requestId: string;
  consumerDepartment: string | null;
  userId: string | null;
  purpose: string | null;
  dataset: string | null;
  decision: string;
  recordCount: number;
  itemsMasked: string[];
  reason: string | null;
}

const DECISIONS = ['ALLOWED', 'MASKED', 'PARTIAL', 'DENIED', 'ERROR', 'REFUSED'];

/** The audit explorer: filters, pages from the server, CSV export of the filtered records, chain verification. */
export function AuditPage() {
  const t = useT();
  const pages = useFilteredPages(auditFilterOf);
  const { filter } = pages;
  const [csvError, setCsvError] = useState<ApiError | null>(null);
  const list = useQuery<{
    auditRecords: {
      nodes: AuditRow[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  }>(RECORDS, { filter, after: pages.after });
  const verify = useMutation<{
    verifyAuditChain: {
      ok: boolean;
      chains: number;
      records: number;
      checkpoints: number;
      unsignedRecords: number;
      problems: { writer: string; seq: number; problem: string }[];
    };
  }>(VERIFY);
  const downloadCsv = async () => {
    setCsvError(null);
    try {
      const { auditCsv } = await gql<{ auditCsv: string }>(
        'query ConsoleAuditCsv($filter: AuditFilter) { auditCsv(filter: $filter) }',
        { filter },
      );
      download('audit.csv', auditCsv, 'text/csv;charset=utf-8');
    } catch (error) {
      setCsvError(asApiError(error));
    }
  };
  const text = (name: string, type: 'text' | 'datetime-local' = 'text') => (
    <Field id={`audit-${name}`} label={t(name)}>
      <input
        id={`audit-${name}`}
        {...inputType(type)}
        value={pages.form[name] ?? ''}
        onInput={pages.field(name)}
      />
    </Field>
  );
  const page = list.data?.auditRecords;
  const chain = verify.result?.verifyAuditChain;
  return (
    <section>
      <h1>{t('audit')}</h1>
      <form class="filters" onSubmit={pages.apply}>
        {text('from', 'datetime-local')}
        {text('until', 'datetime-local')}
        {text('department')}
        {text('dataset')}
        <Field id="audit-decision" label={t('decision')}>
          <select
            id="audit-decision"
            value={pages.form.decision ?? ''}
            onChange={pages.field('decision')}
          >
            <option value="">{t('any')}</option>
            {DECISIONS.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </Field>
        <Field id="audit-kind" label={t('kind')}>
          <select id="audit-kind" value={pages.form.kind ?? ''} onChange={pages.field('kind')}>
            <option value="">{t('any')}</option>
            <option value="REQUEST">REQUEST</option>
            <option value="ACCESS">ACCESS</option>
          </select>
        </Field>
        <button type="submit" class="primary">
          {t('search')}
        </button>
      </form>
      <p class="row">
        <button type="button" id="audit-csv" onClick={() => void downloadCsv()}>
          {t('downloadCsv')}
        </button>
        <button
          type="button"
          id="audit-verify"
          disabled={verify.busy}
          onClick={() => void verify.run({})}
        >
          {t('verifyChain')}
        </button>
      </p>
      {chain ? (
        <p role="status" id="chain-result" class={chain.ok ? 'success' : 'problems'}>
          {t(chain.ok ? 'chainOk' : 'chainBroken')}: {chain.chains} / {chain.records} ·{' '}
          {chain.checkpoints} · {chain.unsignedRecords}{' '}
          {chain.problems.map((p) => `${p.writer}#${p.seq} ${p.problem}`).join('; ')}
        </p>
      ) : null}
      <Problems error={list.error ?? csvError ?? verify.error} />
      <Loading when={list.loading} />
      {page ? (
        <>
          <Table
            caption={t('audit')}
            headers={[
              t('at'),
              t('kind'),
              t('consumer'),
              t('userName'),
              t('purpose'),
              t('dataset'),
              t('decision'),
              t('records'),
              t('masks'),
              t('reason'),
            ]}
            rows={page.nodes.map((r) => [
              r.at,
              r.kind,
              r.consumerDepartment ?? '',
              r.userId ?? '',
              r.purpose ?? '',
              r.dataset ?? '',
              r.decision,
              r.recordCount,
              r.itemsMasked.join(', '),
              r.reason ?? '',
            ])}
          />
          <Pager pages={pages} pageInfo={page.pageInfo} />
        </>
      ) : null}
    </section>
  );
}

/** The API's filter from the form: local date-times as instants, "until" as `to`, blanks left out. */
function auditFilterOf(form: Record<string, string>): Record<string, string> {
  const filter: Record<string, string> = {};
  for (const [name, value] of Object.entries(withoutBlanks(form))) {
    if (name === 'from' || name === 'until') {
      filter[name === 'from' ? 'from' : 'to'] = new Date(value).toISOString();
    } else filter[name] = value;
  }
  return filter;
}
