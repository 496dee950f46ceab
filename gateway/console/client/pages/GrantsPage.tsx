import { useState } from 'preact/hooks';
import { DiffView, pretty } from '../DiffView.tsx';
import { Enum, Field, Loading, Problems, Table } from '../components.tsx';
import { useT } from '../i18n.ts';
import { OffsetPager, useOffsetPage } from '../offsetPages.tsx';
import { useMutation, useQuery } from '../useApi.ts';
import { GrantEditForm } from './GrantEditForm.tsx';
import { describeMasks, describeRowFilter, GRANT_FIELDS, type GrantRow } from '../grantFields.ts';

const GRANTS = /* GraphQL */ `
  query ConsoleGrants($status: GrantStatus, $offset: Int, $limit: Int) {
    grants(status: $status, offset: $offset, limit: $limit) {
      ...GrantFields
    }
  }
  ${GRANT_FIELDS}
`;

const CHANGES = /* GraphQL */ `
  query ConsoleGrantChanges($grantId: ID!) {
    grantChanges(grantId: $grantId) {
      id
      action
      actor
      at
      reason
      before
      after
    }
  }
`;

const REVOKE = /* GraphQL */ `
  mutation ConsoleRevoke($id: ID!, $reason: String!) {
    revokeGrant(id: $id, reason: $reason) {
      id
      status
      revokedAt
    }
  }
`;

/** Every grant, its change history as diffs, and revocation with a reason. */
export function GrantsPage() {
  const t = useT();
  const [status, setStatus] = useState('ACTIVE');
  const page = useOffsetPage();
  const list = useQuery<{ grants: GrantRow[] }>(GRANTS, {
    status: status || null,
    ...page.variables,
  });
  // The grant opened, as listed then: it stays shown when a change (a revocation) drops it from the list.
  const [open, setOpen] = useState<GrantRow | null>(null);
  return (
    <section>
      <h1>{t('grants')}</h1>
      <Field id="grant-status" label={t('status')}>
        <select
          id="grant-status"
          value={status}
          onChange={(e) => {
            setStatus(e.currentTarget.value);
            page.setOffset(0);
          }}
        >
          <option value="">{t('any')}</option>
          <option value="ACTIVE">{t('ACTIVE')}</option>
          <option value="REVOKED">{t('REVOKED')}</option>
        </select>
      </Field>
      <Problems error={list.error} />
      <Loading when={list.loading} />
      {list.data ? (
        <>
          <Table
            caption={t('grants')}
            headers={[
              'ID',
              t('consumer'),
              t('dataset'),
              t('items'),
              t('masks'),
              t('rowFilter'),
              t('validUntil'),
              t('status'),
              '',
            ]}
            rows={page.rows(list.data.grants).map((g) => [
              g.id,
              g.consumerDepartment,
              g.dataset,
              g.items.join(', '),
              describeMasks(g),
              describeRowFilter(g),
              g.validUntil,
              <Enum value={g.status} />,
              <button
                type="button"
                data-grant={g.id}
                aria-expanded={open?.id === g.id}
                onClick={() => setOpen(open?.id === g.id ? null : g)}
              >
                {t('history')}
              </button>,
            ])}
          />
          <OffsetPager page={page} answered={list.data.grants.length} />
        </>
      ) : null}
      {open ? (
        <GrantDetail
          key={open.id}
          grant={list.data?.grants.find((g) => g.id === open.id) ?? open}
          onChanged={list.reload}
        />
      ) : null}
    </section>
  );
}

function GrantDetail({ grant, onChanged }: { grant: GrantRow | null; onChanged: () => void }) {
  const t = useT();
  const [reason, setReason] = useState('');
  const changes = useQuery<{
    grantChanges: {
      id: string;
      action: string;
      actor: string;
      at: string;
      reason: string;
      before: string | null;
      after: string | null;
    }[];
  }>(CHANGES, { grantId: grant?.id ?? '' });
  const revoke = useMutation<{ revokeGrant: { status: string } }>(REVOKE);
  if (!grant) return null;
  return (
    <div class="card" id="grant-detail">
      <h2>
        {t('history')} · {grant.id}
      </h2>
      <Problems error={changes.error ?? revoke.error} />
      {changes.data?.grantChanges.map((c) => (
        <div key={c.id}>
          <h3>
            {c.action} · {c.actor} · {c.at}
          </h3>
          <p>{c.reason}</p>
          <DiffView
            label={`${c.action} ${c.at}`}
            before={pretty(c.before)}
            after={pretty(c.after)}
          />
        </div>
      ))}
      {grant.status === 'ACTIVE' && !revoke.result ? (
        <GrantEditForm key={grant.version} grant={grant} onChanged={onChanged} />
      ) : null}
      {grant.status === 'ACTIVE' && !revoke.result ? (
        <div class="row">
          <Field id="revoke-reason" label={t('revokeReason')}>
            <input
              id="revoke-reason"
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
          </Field>
          <button
            type="button"
            id="revoke"
            class="danger"
            disabled={revoke.busy}
            onClick={() =>
              void revoke.run({ id: grant.id, reason }).then((done) => {
                if (done) {
                  changes.reload();
                  onChanged();
                }
              })
            }
          >
            {t('revoke')}
          </button>
        </div>
      ) : null}
      {revoke.result ? (
        <p class="success" role="status" id="revoked">
          {t(revoke.result.revokeGrant.status)}
        </p>
      ) : null}
    </div>
  );
}
