import { Enum, Loading, Problems, Table } from '../components.tsx';
import { useT } from '../i18n.ts';
import { useMutation, useQuery } from '../useApi.ts';
import { describeMasks, describeRowFilter, GRANT_FIELDS, type GrantRow } from '../grantFields.ts';
import { Pager, useFilteredPages } from '../filteredPages.tsx';
import { OffsetPager, useOffsetPage } from '../offsetPages.tsx';
import { TryItLink } from './TryItLink.tsx';

const MY_APPLICATIONS = /* GraphQL */ `
  query ConsoleMyApplications($offset: Int, $limit: Int) {
    sharingApplications(offset: $offset, limit: $limit) {
      id
      dataset
      items
      purpose
      status
      deadline
      overdue
      submittedAt
      decisionReason
      grant {
        id
      }
    }
  }
`;

const WITHDRAW = /* GraphQL */ `
  mutation ConsoleWithdraw($id: ID!) {
    withdrawSharingApplication(id: $id) {
      id
      status
    }
  }
`;

interface ApplicationRow {
  id: string;
  dataset: string;
  items: string[];
  purpose: string;
  status: string;
  deadline: string;
  overdue: boolean;
  submittedAt: string;
  decisionReason: string | null;
  grant: { id: string } | null;
}

/** The applications my department made and where each stands; an unanswered one can be withdrawn. */
export function MyApplicationsPage() {
  const t = useT();
  const page = useOffsetPage();
  const list = useQuery<{ sharingApplications: ApplicationRow[] }>(MY_APPLICATIONS, page.variables);
  const withdraw = useMutation(WITHDRAW);
  return (
    <section>
      <h1>{t('myApplications')}</h1>
      <Problems error={list.error ?? withdraw.error} />
      <Loading when={list.loading} />
      {list.data ? (
        <>
          <Table
            caption={t('myApplications')}
            headers={['ID', t('dataset'), t('items'), t('purpose'), t('status'), t('deadline'), '']}
            rows={page.rows(list.data.sharingApplications).map((a) => [
              a.id,
              <a href={`#/entry/${encodeURIComponent(a.dataset)}`}>{a.dataset}</a>,
              a.items.join(', '),
              a.purpose,
              <>
                <Enum value={a.status} /> {a.decisionReason ?? ''}
              </>,
              <>
                {a.deadline} {a.overdue ? <strong>{t('overdue')}</strong> : null}
              </>,
              a.status === 'SUBMITTED' ? (
                <button
                  type="button"
                  onClick={() => void withdraw.run({ id: a.id }).then(list.reload)}
                >
                  {t('withdraw')}
                </button>
              ) : (
                (a.grant?.id ?? '')
              ),
            ])}
          />
          <OffsetPager page={page} answered={list.data.sharingApplications.length} />
        </>
      ) : null}
    </section>
  );
}

const MY_GRANTS = /* GraphQL */ `
  query ConsoleMyGrants($offset: Int, $limit: Int) {
    grants(offset: $offset, limit: $limit) {
      ...GrantFields
    }
  }
  ${GRANT_FIELDS}
`;

/** What each of my grants allows and until when, with "try it" in GraphiQL. */
export function MyGrantsPage() {
  const t = useT();
  const page = useOffsetPage();
  const list = useQuery<{ grants: GrantRow[] }>(MY_GRANTS, page.variables);
  return (
    <section>
      <h1>{t('myGrants')}</h1>
      <p class="help">{t('tryItHelp')}</p>
      <Problems error={list.error} />
      <Loading when={list.loading} />
      {list.data ? (
        <>
          <Table
            caption={t('myGrants')}
            headers={[
              'ID',
              t('dataset'),
              t('items'),
              t('masks'),
              t('rowFilter'),
              t('purposes'),
              t('validUntil'),
              t('status'),
              '',
            ]}
            rows={page
              .rows(list.data.grants)
              .map((g) => [
                g.id,
                g.dataset,
                g.items.join(', '),
                describeMasks(g),
                describeRowFilter(g),
                g.purposes.join(', '),
                g.validUntil,
                <Enum value={g.status} />,
                g.status === 'ACTIVE' ? <TryItLink grant={g} /> : null,
              ])}
          />
          <OffsetPager page={page} answered={list.data.grants.length} />
        </>
      ) : null}
    </section>
  );
}

const MY_ACCESSES = /* GraphQL */ `
  query ConsoleMyAccesses($after: String) {
    auditRecords(filter: { kind: ACCESS }, first: 50, after: $after) {
      nodes {
        id
        at
        dataset
        purpose
        decision
        recordCount
        itemsMasked
        itemsDenied
        reason
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** My department's reads, as the audit trail recorded them, a page at a time from the server. */
export function MyAccessesPage() {
  const t = useT();
  const pages = useFilteredPages();
  const list = useQuery<{
    auditRecords: {
      nodes: {
        id: string;
        at: string;
        dataset: string | null;
        purpose: string | null;
        decision: string;
        recordCount: number;
        itemsMasked: string[];
        itemsDenied: string[];
        reason: string | null;
      }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  }>(MY_ACCESSES, { after: pages.after });
  return (
    <section>
      <h1>{t('myAccesses')}</h1>
      <Problems error={list.error} />
      <Loading when={list.loading} />
      {list.data ? (
        <>
          <Table
            caption={t('myAccesses')}
            headers={[
              t('at'),
              t('dataset'),
              t('purpose'),
              t('decision'),
              t('records'),
              t('masks'),
              t('reason'),
            ]}
            rows={list.data.auditRecords.nodes.map((r) => [
              r.at,
              r.dataset ?? '',
              r.purpose ?? '',
              r.decision,
              r.recordCount,
              r.itemsMasked.join(', '),
              r.reason ?? '',
            ])}
          />
          <Pager pages={pages} pageInfo={list.data.auditRecords.pageInfo} />
        </>
      ) : null}
    </section>
  );
}
