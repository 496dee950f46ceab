import { download, Enum, Loading, Problems, Table } from '../components.tsx';
import { gql } from '../graphql.ts';
import { useT } from '../i18n.ts';
import { hasRole, type Session } from '../session.ts';
import { useQuery } from '../useApi.ts';
import { ApplyForm } from './ApplyForm.tsx';
import type { EntryView } from './EntryView.ts';

const ENTRY = /* GraphQL */ `
  query ConsoleEntry($code: String!) {
    catalogueEntry(code: $code) {
      code
      version
      name
      summary
      department
      classification
      theme
      format
      updateCycle
      publishedOn
      sharingType
      sharingConditions
      legalBasis
      sharingModes
      items {
        name
        title
        description
        type
        sensitivity
        isKey
      }
    }
  }
`;

/** One published entry: its fields, items, DCAT-AP record, and the application form for a developer. */
export function EntryPage({ code, session }: { code: string; session: Session }) {
  const t = useT();
  const entry = useQuery<{ catalogueEntry: EntryView | null }>(ENTRY, { code });
  const e = entry.data?.catalogueEntry;
  return (
    <section>
      <Problems error={entry.error} />
      <Loading when={entry.loading} />
      {entry.data && !e ? (
        <p role="alert">
          {t('code.NOT_FOUND')}: {code}
        </p>
      ) : null}
      {e ? (
        <>
          <h1>
            {e.name} <small class="code">{e.code}</small>
          </h1>
          <p>{e.summary}</p>
          <dl class="facts">
            <dt>{t('provider')}</dt>
            <dd>{e.department}</dd>
            <dt>{t('classification')}</dt>
            <dd>{t(e.classification)}</dd>
            <dt>{t('theme')}</dt>
            <dd>{e.theme}</dd>
            <dt>{t('sharingType')}</dt>
            <dd>
              <Enum value={e.sharingType} />
            </dd>
            <dt>{t('modes')}</dt>
            <dd>{e.sharingModes.map((m) => t(m)).join('、')}</dd>
            <dt>{t('conditions')}</dt>
            <dd>{e.sharingConditions || '—'}</dd>
            <dt>{t('legalBasis')}</dt>
            <dd>{e.legalBasis || '—'}</dd>
            <dt>{t('updateCycle')}</dt>
            <dd>{e.updateCycle}</dd>
            <dt>{t('format')}</dt>
            <dd>{e.format}</dd>
            <dt>{t('publishedOn')}</dt>
            <dd>{e.publishedOn}</dd>
          </dl>
          <p>
            <button type="button" id="download-dcat" onClick={() => void downloadDcat(e)}>
              {t('downloadDcat')}
            </button>
          </p>
          <h2>{t('items')}</h2>
          <Table
            caption={t('items')}
            headers={[t('item'), t('title'), t('type'), t('sensitivity'), t('description')]}
            rows={e.items.map((i) => [
              <code>{i.name}</code>,
              i.title,
              i.type,
              i.sensitivity,
              i.description,
            ])}
          />
          {e.sharingType === 'CONDITIONAL' && hasRole(session, 'APP_DEVELOPER') ? (
            <ApplyForm entry={e} />
          ) : e.sharingType === 'CONDITIONAL' && !session.signedIn ? (
            <p>
              <a href="#/sign-in">{t('signIn')}</a> → {t('apply')}
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

/** The entry's part of the DCAT-AP catalogue: its dataset nodes and its provider, as JSON-LD. */
async function downloadDcat(entry: EntryView): Promise<void> {
  const { dcatCatalogue } = await gql<{ dcatCatalogue: string }>('{ dcatCatalogue }');
  const whole = JSON.parse(dcatCatalogue) as {
    '@context': unknown;
    '@graph': { '@id'?: string }[];
  };
  const mine = (id: string | undefined) =>
    !!id &&
    (id.includes(`/datasets/${entry.code}`) || id.endsWith(`/departments/${entry.department}`));
  const record = {
    '@context': whole['@context'],
    '@graph': whole['@graph'].filter((n) => mine(n['@id'])),
  };
  download(`${entry.code}.jsonld`, JSON.stringify(record, null, 2), 'application/ld+json');
}
