import { useState } from 'preact/hooks';
import { describedBy, Field, Loading, Problems, Table } from '../components.tsx';
import { fieldProblems } from '../fieldProblems.ts';
import { useT } from '../i18n.ts';
import { OffsetPager, useOffsetPage } from '../offsetPages.tsx';
import { useMutation, useQuery } from '../useApi.ts';

const KEYS = /* GraphQL */ `
  query ConsoleApiKeys($department: String, $offset: Int, $limit: Int) {
    apiKeys(department: $department, offset: $offset, limit: $limit) {
      id
      department
      application
      roles
      label
      createdAt
      revokedAt
      issuedBy
      revokedBy
      active
    }
  }
`;

const ISSUE = /* GraphQL */ `
  mutation ConsoleIssueApiKey($input: ApiKeyInput!) {
    issueApiKey(input: $input) {
      secret
      apiKey {
        id
      }
    }
  }
`;

const REVOKE = /* GraphQL */ `
  mutation ConsoleRevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      id
      revokedAt
    }
  }
`;

interface ApiKeyRow {
  id: string;
  department: string;
  application: string | null;
  roles: string[];
  label: string;
  createdAt: string;
  revokedAt: string | null;
  issuedBy: string | null;
  revokedBy: string | null;
  active: boolean;
}

const FIELDS = ['department', 'application', 'roles', 'label'] as const;

/**
 * Applications' API keys (admins): issue one — its secret is shown this once,
 * with a copy button — list them a page at a time, and revoke one after
 * confirming.
 */
export function ApiKeysPage() {
  const t = useT();
  const [department, setDepartment] = useState('');
  const [shownDepartment, setShownDepartment] = useState<string | null>(null);
  const page = useOffsetPage();
  const list = useQuery<{ apiKeys: ApiKeyRow[] }>(KEYS, {
    department: shownDepartment,
    ...page.variables,
  });
  const revoke = useMutation<{ revokeApiKey: { id: string } }>(REVOKE);
  const [confirming, setConfirming] = useState<string | null>(null);
  const answered = list.data?.apiKeys ?? [];
  return (
    <section>
      <h1>{t('apiKeys')}</h1>
      <p class="help">{t('apiKeysHelp')}</p>
      <IssueForm onIssued={list.reload} />
      <h2>{t('issuedKeys')}</h2>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setShownDepartment(department.trim() || null);
          page.setOffset(0);
        }}
      >
        <Field id="keys-department" label={t('department')}>
          <input
            id="keys-department"
            value={department}
            onInput={(e) => setDepartment(e.currentTarget.value)}
          />
        </Field>
        <button type="submit" class="primary">
          {t('search')}
        </button>
      </form>
      <Problems error={list.error ?? revoke.error} />
      <Loading when={list.loading} />
      {list.data ? (
        <>
          <Table
            caption={t('issuedKeys')}
            headers={[
              'ID',
              t('department'),
              t('application'),
              t('role'),
              t('label'),
              t('createdAt'),
              t('issuedBy'),
              t('status'),
              '',
            ]}
            rows={page.rows(answered).map((k) => [
              <code>{k.id}</code>,
              k.department,
              k.application ?? '',
              k.roles.map((r) => t(r)).join(', '),
              k.label,
              k.createdAt,
              k.issuedBy ?? '',
              k.active
                ? t('ACTIVE')
                : `${t('REVOKED')} ${k.revokedAt ?? ''} ${k.revokedBy ?? ''}`.trim(),
              k.active ? (
                confirming === k.id ? (
                  <span class="confirm" role="group" aria-label={t('confirmRevokeKey')}>
                    {t('confirmRevokeKey')}{' '}
                    <button
                      type="button"
                      class="danger"
                      id="confirm-revoke-key"
                      disabled={revoke.busy}
                      onClick={() =>
                        void revoke.run({ id: k.id }).then(() => {
                          setConfirming(null);
                          list.reload();
                        })
                      }
                    >
                      {t('revoke')}
                    </button>{' '}
                    <button type="button" onClick={() => setConfirming(null)}>
                      {t('cancel')}
                    </button>
                  </span>
                ) : (
                  <button type="button" data-revoke-key={k.id} onClick={() => setConfirming(k.id)}>
                    {t('revoke')}
                  </button>
                )
              ) : null,
            ])}
          />
          <OffsetPager page={page} answered={answered.length} />
        </>
      ) : null}
    </section>
  );
}

/** The issue form; the secret it gets back is shown once, in this component's state only. */
function IssueForm({ onIssued }: { onIssued: () => void }) {
  const t = useT();
  const [form, setForm] = useState({ department: '', application: '', label: '' });
  const issue = useMutation<{ issueApiKey: { secret: string; apiKey: { id: string } } }>(ISSUE);
  const [issued, setIssued] = useState<{ id: string; secret: string } | null>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const { byField, rest } = fieldProblems(issue.error, FIELDS);
  const field = (name: 'department' | 'application' | 'label', help?: string) => {
    const id = `key-${name}`;
    return (
      <Field id={id} label={t(name)} problem={byField[name]} help={help}>
        <input
          id={id}
          value={form[name]}
          aria-invalid={byField[name] ? true : undefined}
          aria-describedby={describedBy(id, Boolean(help), byField[name])}
          onInput={(e) => setForm({ ...form, [name]: e.currentTarget.value })}
        />
      </Field>
    );
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    setIssued(null);
    setCopied(null);
    const done = await issue.run({
      input: { ...form, label: form.label.trim() || null, roles: ['APP_DEVELOPER'] },
    });
    if (done) {
      setIssued({ id: done.issueApiKey.apiKey.id, secret: done.issueApiKey.secret });
      onIssued();
    }
  };
  const copy = async () => {
    if (!issued) return;
    try {
      await navigator.clipboard.writeText(issued.secret);
      setCopied('yes');
    } catch {
      // No clipboard access (an insecure origin, or refused): the text stays selected to copy by hand.
      (document.getElementById('issued-secret') as HTMLInputElement | null)?.select();
      setCopied('no');
    }
  };
  return (
    <form class="card" id="issue-key" onSubmit={(e) => void submit(e)} noValidate>
      <h2>{t('issueKey')}</h2>
      <div class="row">
        {field('department', 'civil_affairs')}
        {field('application', 'relief-app')}
        {field('label')}
      </div>
      {/* A key is an application's: it carries APP_DEVELOPER only (the API refuses more). */}
      <p id="key-roles">
        {t('role')}: {t('APP_DEVELOPER')}
      </p>
      {byField.roles ? (
        <small id="key-roles-problem" class="field-problem" role="alert">
          {byField.roles}
        </small>
      ) : null}
      <Problems error={rest} />
      <button type="submit" class="primary" id="issue-key-submit" disabled={issue.busy}>
        {t('issueKey')}
      </button>
      {issued ? (
        <div class="secret" id="issued" role="status">
          <p>
            <strong>{t('keyIssued')}</strong> <code>{issued.id}</code>
          </p>
          <p>{t('secretOnce')}</p>
          <div class="row">
            <Field id="issued-secret" label={t('secret')}>
              <input id="issued-secret" class="wide" readOnly value={issued.secret} />
            </Field>
            <button type="button" id="copy-secret" onClick={() => void copy()}>
              {t('copy')}
            </button>
            <button
              type="button"
              id="hide-secret"
              onClick={() => {
                setIssued(null);
                setCopied(null);
              }}
            >
              {t('secretStored')}
            </button>
          </div>
          {copied ? (
            <p id="copied" class={copied === 'yes' ? 'success' : 'help'}>
              {t(copied === 'yes' ? 'copied' : 'copyByHand')}
            </p>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
