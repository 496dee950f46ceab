import { useState } from 'preact/hooks';
import { DiffView, pretty } from '../DiffView.tsx';
import { Field, Loading, Problems, Table } from '../components.tsx';
import { useT } from '../i18n.ts';
import { hasRole, type Session } from '../session.ts';
import { useMutation, useQuery } from '../useApi.ts';

const QUEUE = /* GraphQL */ `
  query ConsoleReviewQueue {
    catalogueReviewQueue(status: SUBMITTED) {
      code
      version
      name
      department
      changeReason
      deadline
      warnings
      submittedBy
      submittedAt
      document
    }
    overdueCatalogueUpdates {
      code
      version
      department
      deadline
    }
  }
`;

const PUBLISHED = /* GraphQL */ `
  query ConsolePublishedVersion($code: String!) {
    catalogueEntry(code: $code) {
      version
      document
    }
  }
`;

const PUBLISH = /* GraphQL */ `
  mutation ConsolePublish($code: String!, $version: Int!) {
    publishCatalogueEntry(code: $code, version: $version) {
      code
      version
      status
    }
  }
`;

const REJECT = /* GraphQL */ `
  mutation ConsoleRejectEntry($code: String!, $version: Int!, $reason: String!) {
    rejectCatalogueEntry(code: $code, version: $version, reason: $reason) {
      code
      version
      status
    }
  }
`;

interface Submitted {
  code: string;
  version: number;
  name: string;
  department: string;
  changeReason: string;
  deadline: string;
  warnings: string[];
  submittedBy: string | null;
  submittedAt: string | null;
  document: string;
}

/** Versions awaiting review, each with its diff against the version in force and its warnings; publish or reject. */
export function ReviewQueuePage({ session }: { session: Session }) {
  const t = useT();
  const queue = useQuery<{
    catalogueReviewQueue: Submitted[];
    overdueCatalogueUpdates: {
      code: string;
      version: number;
      department: string;
      deadline: string;
    }[];
  }>(QUEUE);
  const [open, setOpen] = useState<Submitted | null>(null);
  return (
    <section>
      <h1>{t('reviewQueue')}</h1>
      <Problems error={queue.error} />
      <Loading when={queue.loading} />
      {queue.data ? (
        <>
          <Table
            caption={t('reviewQueue')}
            headers={[
              t('code'),
              t('version'),
              t('name'),
              t('department'),
              t('changeReason'),
              t('warnings'),
              t('submittedBy'),
              '',
            ]}
            rows={queue.data.catalogueReviewQueue.map((v) => [
              v.code,
              v.version,
              v.name,
              v.department,
              v.changeReason,
              v.warnings.join('; '),
              v.submittedBy ?? '',
              <button
                type="button"
                data-review={`${v.code}@${v.version}`}
                onClick={() => setOpen(v)}
              >
                {t('review')}
              </button>,
            ])}
          />
          <h2>{t('overdue')}</h2>
          <Table
            caption={t('overdue')}
            headers={[t('code'), t('version'), t('department'), t('deadline')]}
            rows={queue.data.overdueCatalogueUpdates.map((v) => [
              v.code,
              v.version,
              v.department,
              v.deadline,
            ])}
          />
        </>
      ) : null}
      {open ? (
        <Review
          key={`${open.code}@${open.version}`}
          version={open}
          canDecide={hasRole(session, 'REVIEWER')}
          onDone={queue.reload}
        />
      ) : null}
    </section>
  );
}

function Review({
  version: v,
  canDecide,
  onDone,
}: {
  version: Submitted;
  canDecide: boolean;
  onDone: () => void;
}) {
  const t = useT();
  const published = useQuery<{ catalogueEntry: { version: number; document: string } | null }>(
    PUBLISHED,
    { code: v.code },
  );
  const publish = useMutation<{ publishCatalogueEntry: { status: string } }>(PUBLISH);
  const reject = useMutation<{ rejectCatalogueEntry: { status: string } }>(REJECT);
  const [reason, setReason] = useState('');
  const decided =
    publish.result?.publishCatalogueEntry.status ?? reject.result?.rejectCatalogueEntry.status;
  return (
    <div class="card" id="review">
      <h2>
        {v.code} v{v.version} · {v.name}
      </h2>
      {v.warnings.length ? (
        <ul class="warnings" aria-label={t('warnings')}>
          {v.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      {published.data ? (
        <DiffView
          label={`${v.code}: v${published.data.catalogueEntry?.version ?? 0} → v${v.version}`}
          before={pretty(published.data.catalogueEntry?.document)}
          after={pretty(v.document)}
        />
      ) : null}
      <Problems error={publish.error ?? reject.error} />
      {decided ? (
        <p class="success" role="status" id="review-decided">
          {t(decided)}
        </p>
      ) : canDecide ? (
        <div class="row">
          <button
            type="button"
            class="primary"
            id="publish"
            disabled={publish.busy}
            onClick={() => void publish.run({ code: v.code, version: v.version }).then(onDone)}
          >
            {t('publish')}
          </button>
          <Field id="review-reason" label={t('reason')}>
            <input
              id="review-reason"
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
          </Field>
          <button
            type="button"
            id="review-reject"
            disabled={reject.busy}
            onClick={() =>
              void reject.run({ code: v.code, version: v.version, reason }).then(onDone)
            }
          >
            {t('reject')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
