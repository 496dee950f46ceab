import { useEffect, useMemo, useState } from 'preact/hooks';
import { describedBy, Enum, Field, Loading, Problems, Table } from '../components.tsx';
import { dateFromToday } from '../dates.ts';
import { loadDraftChecker, type DraftChecker } from '../draftChecker.ts';
import { gql } from '../graphql.ts';
import { useT } from '../i18n.ts';
import type { Session } from '../session.ts';
import { useMutation, useQuery } from '../useApi.ts';

const MY_ENTRIES = /* GraphQL */ `
  query ConsoleMyEntries($department: String!) {
    catalogueEntries(filter: { department: $department }, first: 100) {
      nodes {
        code
        version
        name
        sharingType
        publishedOn
      }
    }
    drafts: catalogueReviewQueue(status: DRAFT) {
      ...Version
    }
    submitted: catalogueReviewQueue(status: SUBMITTED) {
      ...Version
    }
    rejected: catalogueReviewQueue(status: REJECTED) {
      ...Version
    }
  }
  fragment Version on CatalogueEntry {
    code
    version
    name
    status
    deadline
    overdue
    reviewReason
  }
`;

const VERSIONS = /* GraphQL */ `
  query ConsoleVersions($code: String!) {
    catalogueEntryVersions(code: $code) {
      version
      status
      changeReason
      createdBy
      createdAt
      reviewedBy
      reviewReason
    }
  }
`;

const SUBMIT = /* GraphQL */ `
  mutation ConsoleSubmitEntry($code: String!, $version: Int!) {
    submitCatalogueEntry(code: $code, version: $version) {
      code
      version
      status
      warnings
    }
  }
`;

interface VersionRow {
  code: string;
  version: number;
  name: string;
  status: string;
  deadline: string;
  overdue: boolean;
  reviewReason: string | null;
}

/** My department's published entries, its changes under way, and each entry's versions. */
export function MyEntriesPage({ session }: { session: Session }) {
  const t = useT();
  const [shown, setShown] = useState<string | null>(null);
  const list = useQuery<{
    catalogueEntries: {
      nodes: {
        code: string;
        version: number;
        name: string;
        sharingType: string;
        publishedOn: string;
      }[];
    };
    drafts: VersionRow[];
    submitted: VersionRow[];
    rejected: VersionRow[];
  }>(MY_ENTRIES, { department: session.department ?? '' });
  const submit = useMutation<{ submitCatalogueEntry: { status: string; warnings: string[] } }>(
    SUBMIT,
  );
  const changes = list.data
    ? [...list.data.drafts, ...list.data.rejected, ...list.data.submitted]
    : [];
  return (
    <section>
      <h1>{t('myEntries')}</h1>
      <p>
        <a class="button" href="#/dept/draft">
          {t('newDraft')}
        </a>
      </p>
      <Problems error={list.error ?? submit.error} />
      <Loading when={list.loading} />
      {list.data ? (
        <>
          <h2>
            {t('DRAFT')} / {t('SUBMITTED')} / {t('REJECTED')}
          </h2>
          <Table
            caption={t('versions')}
            headers={[
              t('code'),
              t('version'),
              t('name'),
              t('status'),
              t('deadline'),
              t('reason'),
              '',
            ]}
            rows={changes.map((v) => [
              v.code,
              v.version,
              v.name,
              <Enum value={v.status} />,
              <>
                {v.deadline} {v.overdue ? <strong>{t('overdue')}</strong> : null}
              </>,
              v.reviewReason ?? '',
              v.status === 'DRAFT' ? (
                <button
                  type="button"
                  data-submit={`${v.code}@${v.version}`}
                  onClick={() =>
                    void submit.run({ code: v.code, version: v.version }).then(list.reload)
                  }
                >
                  {t('submitForReview')}
                </button>
              ) : v.status === 'REJECTED' ? (
                <a href={`#/dept/draft?code=${encodeURIComponent(v.code)}`}>{t('edit')}</a>
              ) : null,
            ])}
          />
          {submit.result ? (
            <p class="success" role="status">
              {t(submit.result.submitCatalogueEntry.status)}{' '}
              {submit.result.submitCatalogueEntry.warnings.join('; ')}
            </p>
          ) : null}
          <h2>{t('PUBLISHED')}</h2>
          <Table
            caption={t('PUBLISHED')}
            headers={[t('code'), t('version'), t('name'), t('sharingType'), t('publishedOn'), '']}
            rows={list.data.catalogueEntries.nodes.map((e) => [
              <button
                type="button"
                class="link"
                aria-expanded={shown === e.code}
                onClick={() => setShown(shown === e.code ? null : e.code)}
              >
                {e.code}
              </button>,
              e.version,
              e.name,
              <Enum value={e.sharingType} />,
              e.publishedOn,
              <a href={`#/dept/draft?code=${encodeURIComponent(e.code)}`}>{t('edit')}</a>,
            ])}
          />
          {shown ? <Versions code={shown} /> : null}
        </>
      ) : null}
    </section>
  );
}

function Versions({ code }: { code: string }) {
  const t = useT();
  const list = useQuery<{
    catalogueEntryVersions: {
      version: number;
      status: string;
      changeReason: string;
      createdBy: string;
      createdAt: string;
      reviewedBy: string | null;
      reviewReason: string | null;
    }[];
  }>(VERSIONS, { code });
  return (
    <div class="card">
      <h2>
        {t('versions')} · {code}
      </h2>
      <Problems error={list.error} />
      {list.data ? (
        <Table
          caption={`${t('versions')} ${code}`}
          headers={[
            t('version'),
            t('status'),
            t('changeReason'),
            t('submittedBy'),
            t('at'),
            t('reason'),
          ]}
          rows={list.data.catalogueEntryVersions.map((v) => [
            v.version,
            <Enum value={v.status} />,
            v.changeReason,
            v.createdBy,
            v.createdAt,
            v.reviewReason ?? '',
          ])}
        />
      ) : null}
    </div>
  );
}

const SAVE = /* GraphQL */ `
  mutation ConsoleSaveDraft($document: String!, $changeReason: String!, $triggerDate: String!) {
    saveCatalogueDraft(
      document: $document
      changeReason: $changeReason
      triggerDate: $triggerDate
    ) {
      code
      version
      status
      deadline
    }
  }
`;

/**
 * The draft editor: the entry as YAML, checked as it is typed, saved as a
 * draft with a change reason and the day of the change, then submitted.
 * `code` opens the entry's newest version for changing.
 */
export function DraftEditorPage({ code }: { code: string | null }) {
  const t = useT();
  const [document, setDocument] = useState('');
  const [changeReason, setChangeReason] = useState('');
  const [triggerDate, setTriggerDate] = useState(dateFromToday(0));
  const save = useMutation<{
    saveCatalogueDraft: { code: string; version: number; status: string; deadline: string };
  }>(SAVE);
  const submit = useMutation<{ submitCatalogueEntry: { status: string; warnings: string[] } }>(
    SUBMIT,
  );
  const [checker, setChecker] = useState<DraftChecker | null>(null);
  useEffect(() => {
    void loadDraftChecker().then(setChecker);
  }, []);
  useEffect(() => {
    if (!code || !checker) return;
    void gql<{ catalogueEntryVersions: { document: string }[] }>(
      'query ConsoleDraftSource($code: String!) { catalogueEntryVersions(code: $code) { document } }',
      { code },
    ).then((d) => {
      const newest = d.catalogueEntryVersions.at(-1);
      if (newest) setDocument(checker.toYaml(newest.document));
    });
  }, [code, checker]);
  const problems = useMemo(() => checker?.problems(document) ?? [], [document, checker]);
  const saved = save.result?.saveCatalogueDraft;
  const onSave = async (event: Event) => {
    event.preventDefault();
    await save.run({ document, changeReason, triggerDate });
  };
  return (
    <section>
      <h1>{t('draftEditor')}</h1>
      <form class="card" onSubmit={(e) => void onSave(e)}>
        <Field
          id="draft-document"
          label={t('document')}
          problem={problems.length ? problems.join('\n') : null}
        >
          <textarea
            id="draft-document"
            class="code"
            rows={24}
            spellcheck={false}
            value={document}
            aria-invalid={problems.length ? 'true' : undefined}
            aria-describedby={describedBy('draft-document', false, problems.length ? 'x' : null)}
            onInput={(e) => setDocument(e.currentTarget.value)}
          />
        </Field>
        {document.trim() && problems.length === 0 ? (
          <p class="success" role="status" id="draft-ok">
            {t('yamlOk')}
          </p>
        ) : null}
        <Field id="draft-reason" label={t('changeReason')}>
          <input
            id="draft-reason"
            value={changeReason}
            onInput={(e) => setChangeReason(e.currentTarget.value)}
          />
        </Field>
        <Field id="draft-trigger" label={t('triggerDate')}>
          <input
            id="draft-trigger"
            type="date"
            value={triggerDate}
            onInput={(e) => setTriggerDate(e.currentTarget.value)}
          />
        </Field>
        <Problems error={save.error ?? submit.error} />
        <button type="submit" class="primary" id="draft-save" disabled={save.busy}>
          {t('saveDraft')}
        </button>{' '}
        {saved ? (
          <>
            <span role="status" id="draft-saved">
              {t('savedDraft')}: {saved.code} v{saved.version} · {t('deadline')} {saved.deadline}
            </span>{' '}
            <button
              type="button"
              id="draft-submit"
              disabled={submit.busy || !!submit.result}
              onClick={() => void submit.run({ code: saved.code, version: saved.version })}
            >
              {t('submitForReview')}
            </button>
          </>
        ) : null}
        {submit.result ? (
          <p class="success" role="status" id="draft-submitted">
            {t(submit.result.submitCatalogueEntry.status)}{' '}
            {submit.result.submitCatalogueEntry.warnings.join('; ')}
          </p>
        ) : null}
      </form>
    </section>
  );
}
