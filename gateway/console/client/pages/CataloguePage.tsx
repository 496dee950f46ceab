import { useState } from 'preact/hooks';
import { Enum, Field, Loading, Problems, Table } from '../components.tsx';
import { useT } from '../i18n.ts';
import { useQuery } from '../useApi.ts';

const CATALOGUE = /* GraphQL */ `
  query ConsoleCatalogue($filter: CatalogueFilter, $after: String) {
    catalogueEntries(filter: $filter, first: 20, after: $after) {
      nodes {
        code
        name
        department
        classification
        theme
        sharingType
        sharingModes
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** Choices for the department and theme filters: what the published catalogue names. */
const CHOICES = /* GraphQL */ `
  query ConsoleCatalogueChoices {
    catalogueEntries(first: 100) {
      nodes {
        department
        theme
      }
    }
  }
`;

interface EntryRow {
  code: string;
  name: string;
  department: string;
  classification: string;
  theme: string;
  sharingType: string;
  sharingModes: string[];
}

const FILTERS = {
  classification: ['BASIC', 'SUBJECT', 'DEPARTMENT'],
  sharingType: ['UNCONDITIONAL', 'CONDITIONAL', 'NOT_SHARED'],
  mode: ['QUERY', 'VERIFY', 'EXPORT'],
} as const;

/** The published catalogue, open to everyone: search, filters, and a page at a time from the server. */
export function CataloguePage() {
  const t = useT();
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [filter, setFilter] = useState<Record<string, string>>({});
  const [cursors, setCursors] = useState<string[]>([]);
  const after = cursors.at(-1) ?? null;
  const list = useQuery<{
    catalogueEntries: {
      nodes: EntryRow[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  }>(CATALOGUE, { filter, after });
  const choices = useQuery<{
    catalogueEntries: { nodes: { department: string; theme: string }[] };
  }>(CHOICES);
  const departments = distinct(choices.data?.catalogueEntries.nodes.map((n) => n.department));
  const themes = distinct(choices.data?.catalogueEntries.nodes.map((n) => n.theme));
  const set = (name: string) => (e: { currentTarget: { value: string } }) =>
    setDraft({ ...draft, [name]: e.currentTarget.value });
  const search = (event: Event) => {
    event.preventDefault();
    setFilter(Object.fromEntries(Object.entries(draft).filter(([, v]) => v.trim() !== '')));
    setCursors([]);
  };
  const select = (name: string, options: readonly string[], labelled: boolean) => (
    <Field id={`filter-${name}`} label={t(name)}>
      <select id={`filter-${name}`} value={draft[name] ?? ''} onChange={set(name)}>
        <option value="">{t('any')}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {labelled ? t(o) : o}
          </option>
        ))}
      </select>
    </Field>
  );
  const page = list.data?.catalogueEntries;
  return (
    <section>
      <h1>{t('catalogue')}</h1>
      <form class="filters" role="search" onSubmit={search}>
        <Field id="filter-keyword" label={t('keyword')}>
          <input
            id="filter-keyword"
            type="search"
            value={draft.keyword ?? ''}
            onInput={set('keyword')}
          />
        </Field>
        {select('department', departments, false)}
        {select('classification', FILTERS.classification, true)}
        {select('theme', themes, false)}
        {select('sharingType', FILTERS.sharingType, true)}
        {select('mode', FILTERS.mode, true)}
        <button type="submit" class="primary" id="catalogue-search">
          {t('search')}
        </button>
      </form>
      <Problems error={list.error} />
      <Loading when={list.loading} />
      {page ? (
        <>
          <Table
            caption={t('catalogue')}
            headers={[
              t('code'),
              t('name'),
              t('provider'),
              t('classification'),
              t('sharingType'),
              t('modes'),
            ]}
            rows={page.nodes.map((e) => [
              <a href={`#/entry/${encodeURIComponent(e.code)}`}>{e.code}</a>,
              e.name,
              e.department,
              t(e.classification),
              <Enum value={e.sharingType} />,
              e.sharingModes.map((m) => t(m)).join('、'),
            ])}
          />
          <p class="pager">
            {cursors.length > 0 ? (
              <button type="button" onClick={() => setCursors([])}>
                {t('firstPage')}
              </button>
            ) : null}
            {page.pageInfo.hasNextPage && page.pageInfo.endCursor ? (
              <button
                type="button"
                onClick={() => setCursors([...cursors, page.pageInfo.endCursor!])}
              >
                {t('morePages')}
              </button>
            ) : null}
          </p>
        </>
      ) : null}
    </section>
  );
}

function distinct(values: string[] | undefined): string[] {
  return [...new Set(values ?? [])].sort();
}
