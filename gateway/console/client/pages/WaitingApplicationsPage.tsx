import { useEffect, useState } from 'preact/hooks';
import { applyMask, type MaskRule } from '../../../../subgraphs/kit/access/masking.ts';
import { Field, Loading, Problems, Table } from '../components.tsx';
import { gql } from '../graphql.ts';
import { useT } from '../i18n.ts';
import { OffsetPager, useOffsetPage } from '../offsetPages.tsx';
import { useMutation, useQuery } from '../useApi.ts';

const WAITING = /* GraphQL */ `
  query ConsoleWaiting($offset: Int, $limit: Int) {
    sharingApplications(status: SUBMITTED, offset: $offset, limit: $limit) {
      id
      dataset
      consumerDepartment
      applicant
      items
      purpose
      scenario
      legalBasis
      requestedFrom
      requestedUntil
      modes
      deadline
      overdue
    }
  }
`;

const APPROVE = /* GraphQL */ `
  mutation ConsoleApprove($id: ID!, $conditions: GrantConditionsInput!) {
    approveSharingApplication(id: $id, conditions: $conditions) {
      id
      status
      grant {
        id
      }
    }
  }
`;

const REJECT = /* GraphQL */ `
  mutation ConsoleReject($id: ID!, $reason: String!) {
    rejectSharingApplication(id: $id, reason: $reason) {
      id
      status
    }
  }
`;

interface Application {
  id: string;
  dataset: string;
  consumerDepartment: string;
  applicant: string;
  items: string[];
  purpose: string;
  scenario: string;
  legalBasis: string;
  requestedFrom: string;
  requestedUntil: string;
  modes: string[];
  deadline: string;
  overdue: boolean;
}

/** Applications for my department's datasets waiting for an answer, and the form answering one. */
export function WaitingApplicationsPage() {
  const t = useT();
  const page = useOffsetPage();
  const list = useQuery<{ sharingApplications: Application[] }>(WAITING, page.variables);
  const [open, setOpen] = useState<Application | null>(null);
  return (
    <section>
      <h1>{t('waitingApplications')}</h1>
      <Problems error={list.error} />
      <Loading when={list.loading} />
      {list.data ? (
        <>
          <Table
            caption={t('waitingApplications')}
            headers={[
              'ID',
              t('dataset'),
              t('consumer'),
              t('applicant'),
              t('items'),
              t('purpose'),
              t('deadline'),
              '',
            ]}
            rows={page.rows(list.data.sharingApplications).map((a) => [
              a.id,
              a.dataset,
              a.consumerDepartment,
              a.applicant,
              a.items.join(', '),
              a.purpose,
              <>
                {a.deadline} {a.overdue ? <strong>{t('overdue')}</strong> : null}
              </>,
              <button type="button" data-answer={a.id} onClick={() => setOpen(a)}>
                {t('approvalForm')}
              </button>,
            ])}
          />
          <OffsetPager page={page} answered={list.data.sharingApplications.length} />
        </>
      ) : null}
      {open ? (
        <ApprovalForm
          key={open.id}
          application={open}
          onDone={() => {
            list.reload();
          }}
        />
      ) : null}
    </section>
  );
}

interface MaskChoice {
  rule: MaskRule['rule'] | '';
  first: number;
  last: number;
}

/**
 * Conditions of an approval: items (at most those applied for), a mask per
 * item with a preview of a real value of the dataset masked (read by the
 * provider through the API), a row filter, purposes, modes, period, quota;
 * or a rejection with its reason.
 */
function ApprovalForm({
  application: a,
  onDone,
}: {
  application: Application;
  onDone: () => void;
}) {
  const t = useT();
  const [items, setItems] = useState(a.items);
  const [masks, setMasks] = useState<Record<string, MaskChoice>>({});
  const [rowItem, setRowItem] = useState('');
  const [rowPrefix, setRowPrefix] = useState('');
  const [purposes, setPurposes] = useState(a.purpose);
  const [modes, setModes] = useState(a.modes);
  const [validFrom, setValidFrom] = useState(a.requestedFrom);
  const [validUntil, setValidUntil] = useState(a.requestedUntil);
  const [quota, setQuota] = useState('');
  const [reason, setReason] = useState('');
  const samples = useSamples(a.dataset, a.items);
  const approve = useMutation<{
    approveSharingApplication: { status: string; grant: { id: string } | null };
  }>(APPROVE);
  const reject = useMutation<{ rejectSharingApplication: { status: string } }>(REJECT);

  const maskOf = (item: string): MaskChoice => masks[item] ?? { rule: '', first: 3, last: 4 };
  const setMask = (item: string, change: Partial<MaskChoice>) =>
    setMasks({ ...masks, [item]: { ...maskOf(item), ...change } });
  const preview = (item: string) => {
    const choice = maskOf(item);
    const sample = samples[item] ?? '';
    if (!choice.rule) return sample;
    const rule = (
      choice.rule === 'KEEP_ENDS'
        ? { rule: 'KEEP_ENDS', first: choice.first, last: choice.last }
        : { rule: choice.rule }
    ) as MaskRule;
    return applyMask(rule, sample) ?? '';
  };
  const onApprove = async (event: Event) => {
    event.preventDefault();
    const done = await approve.run({
      id: a.id,
      conditions: {
        items,
        masks: items
          .filter((i) => maskOf(i).rule)
          .map((i) => {
            const m = maskOf(i);
            return m.rule === 'KEEP_ENDS'
              ? { item: i, rule: m.rule, first: m.first, last: m.last }
              : { item: i, rule: m.rule };
          }),
        rowFilter: rowItem && rowPrefix ? [{ item: rowItem, startsWith: rowPrefix }] : [],
        purposes: purposes.split(/[,，\s]+/).filter(Boolean),
        modes,
        validFrom,
        validUntil,
        dailyQuota: quota === '' ? null : Number(quota),
      },
    });
    if (done) onDone();
  };
  const onReject = async () => {
    if (await reject.run({ id: a.id, reason })) onDone();
  };
  const approved = approve.result?.approveSharingApplication;
  return (
    <form
      class="card"
      id="approval-form"
      onSubmit={(e) => void onApprove(e)}
      aria-labelledby="approval-title"
    >
      <h2 id="approval-title">
        {t('approvalForm')} · {a.id} · {a.dataset} → {a.consumerDepartment}
      </h2>
      <p>
        {t('scenario')}: {a.scenario}
        <br />
        {t('legalBasis')}: {a.legalBasis}
      </p>
      <table>
        <caption>{t('items')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('item')}</th>
            <th scope="col">{t('maskRule')}</th>
            <th scope="col">{t('keepFirst')}</th>
            <th scope="col">{t('keepLast')}</th>
            <th scope="col">{t('preview')}</th>
          </tr>
        </thead>
        <tbody>
          {a.items.map((item) => (
            <tr key={item}>
              <td>
                <label class="check">
                  <input
                    type="checkbox"
                    checked={items.includes(item)}
                    onChange={() =>
                      setItems(
                        items.includes(item) ? items.filter((i) => i !== item) : [...items, item],
                      )
                    }
                  />{' '}
                  <code>{item}</code>
                </label>
              </td>
              <td>
                <select
                  id={`mask-${item}`}
                  aria-label={`${t('maskRule')} ${item}`}
                  value={maskOf(item).rule}
                  onChange={(e) =>
                    setMask(item, { rule: e.currentTarget.value as MaskChoice['rule'] })
                  }
                >
                  <option value="">{t('noMask')}</option>
                  {(['KEEP_ENDS', 'SURNAME_ONLY', 'YEAR_ONLY', 'REDACT'] as const).map((r) => (
                    <option key={r} value={r}>
                      {t(r)}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <KeptCharacters
                  label={`${t('keepFirst')} ${item}`}
                  choice={maskOf(item)}
                  end="first"
                  onChange={(change) => setMask(item, change)}
                />
              </td>
              <td>
                <KeptCharacters
                  label={`${t('keepLast')} ${item}`}
                  choice={maskOf(item)}
                  end="last"
                  onChange={(change) => setMask(item, change)}
                />
              </td>
              <td>
                <output id={`preview-${item}`} aria-label={`${t('previewOf')} ${item}`}>
                  {preview(item)}
                </output>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="row">
        <Field id="row-item" label={t('rowFilterItem')}>
          <input id="row-item" value={rowItem} onInput={(e) => setRowItem(e.currentTarget.value)} />
        </Field>
        <Field id="row-prefix" label={t('startsWith')}>
          <input
            id="row-prefix"
            value={rowPrefix}
            onInput={(e) => setRowPrefix(e.currentTarget.value)}
          />
        </Field>
      </div>
      <Field id="approve-purposes" label={t('purposes')}>
        <input
          id="approve-purposes"
          value={purposes}
          onInput={(e) => setPurposes(e.currentTarget.value)}
        />
      </Field>
      <fieldset>
        <legend>{t('modes')}</legend>
        {a.modes.map((m) => (
          <label key={m} class="check">
            <input
              type="checkbox"
              checked={modes.includes(m)}
              onChange={() =>
                setModes(modes.includes(m) ? modes.filter((x) => x !== m) : [...modes, m])
              }
            />{' '}
            {t(m)}
          </label>
        ))}
      </fieldset>
      <div class="row">
        <Field id="approve-from" label={t('validFrom')}>
          <input
            id="approve-from"
            type="date"
            value={validFrom}
            onInput={(e) => setValidFrom(e.currentTarget.value)}
          />
        </Field>
        <Field id="approve-until" label={t('validUntil')}>
          <input
            id="approve-until"
            type="date"
            value={validUntil}
            onInput={(e) => setValidUntil(e.currentTarget.value)}
          />
        </Field>
        <Field id="approve-quota" label={t('dailyQuota')}>
          <input
            id="approve-quota"
            type="number"
            min={1}
            value={quota}
            onInput={(e) => setQuota(e.currentTarget.value)}
          />
        </Field>
      </div>
      <Problems error={approve.error ?? reject.error} />
      {approved ? (
        <p class="success" role="status" id="approved">
          {t('approved')} {approved.grant?.id}
        </p>
      ) : null}
      {reject.result ? (
        <p class="success" role="status">
          {t('REJECTED')}
        </p>
      ) : null}
      <button type="submit" class="primary" id="approve" disabled={approve.busy || !!approved}>
        {t('approve')}
      </button>
      <div class="row">
        <Field id="reject-reason" label={t('reason')}>
          <input
            id="reject-reason"
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
        </Field>
        <button type="button" id="reject" disabled={reject.busy} onClick={() => void onReject()}>
          {t('reject')}
        </button>
      </div>
    </form>
  );
}

/** How many characters KEEP_ENDS keeps at one end of a value (disabled for the other rules). */
function KeptCharacters({
  label,
  choice,
  end,
  onChange,
}: {
  label: string;
  choice: MaskChoice;
  end: 'first' | 'last';
  onChange: (change: Partial<MaskChoice>) => void;
}) {
  return (
    <input
      type="number"
      min={0}
      class="narrow"
      aria-label={label}
      disabled={choice.rule !== 'KEEP_ENDS'}
      value={choice[end]}
      onInput={(e) => onChange({ [end]: Number(e.currentTarget.value) })}
    />
  );
}

const SERVED_BY = /* GraphQL */ `
  query ConsoleSampleSource($code: String!) {
    catalogueEntry(code: $code) {
      servedBy {
        listField
      }
    }
  }
`;

/**
 * One real value per item to preview masks on: the first record of the
 * dataset, read by the provider through the public API like any read
 * (audited). Items the read cannot give preview on a placeholder.
 */
function useSamples(dataset: string, items: string[]): Record<string, string> {
  const [samples, setSamples] = useState<Record<string, string>>({});
  useEffect(() => {
    const fallback = Object.fromEntries(items.map((i) => [i, 'ABCDEFGHIJKL']));
    setSamples(fallback);
    void (async () => {
      try {
        const entry = await gql<{
          catalogueEntry: { servedBy: { listField: string } | null } | null;
        }>(SERVED_BY, { code: dataset });
        const listField = entry.catalogueEntry?.servedBy?.listField;
        if (!listField || !/^[_A-Za-z][_0-9A-Za-z]*$/.test(listField)) return;
        const safe = items.filter((i) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(i));
        const data = await gql<Record<string, { nodes: Record<string, unknown>[] }>>(
          `query ConsoleMaskSample { sample: ${listField}(first: 1) { nodes { ${safe.join(' ')} } } }`,
        );
        const first = data.sample?.nodes[0] ?? {};
        setSamples({
          ...fallback,
          ...Object.fromEntries(
            safe.filter((i) => first[i] != null).map((i) => [i, String(first[i])]),
          ),
        });
      } catch {
        // The placeholder stays: a preview is a help, not a condition of answering.
      }
    })();
  }, [dataset, items.join(',')]);
  return samples;
}
