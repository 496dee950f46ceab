import { Enum, Field, Loading, Problems, Table } from '../components.tsx';
import { Pager, useFilteredPages } from '../filteredPages.tsx';
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
  const pages = useFilteredPages();
  const list = useQuery<{
    catalogueEntries: {
      nodes: EntryRow[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  }>(CATALOGUE, { filter: pages.filter, after: pages.after });
  const choices = useQuery<{
    catalogueEntries: { nodes: { department: string; theme: string }[] };
  }>(CHOICES);
  const departments = distinct(choices.data?.catalogueEntries.nodes.map((n) => n.department));
  const themes = distinct(choices.data?.catalogueEntries.nodes.map((n) => n.theme));
  const select = (name: string, options: readonly string[], labelled: boolean) => (
    <Field id={`filter-${name}`} label={t(name)}>
      <select id={`filter-${name}`} value={pages.form[name] ?? ''} onChange={pages.field(name)}>
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
      <form class="filters" role="search" onSubmit={pages.apply}>
        <Field id="filter-keyword" label={t('keyword')}>
          <input
            id="filter-keyword"
            type="search"
            value={pages.form.keyword ?? ''}
            onInput={pages.field('keyword')}
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
          <Pager pages={pages} pageInfo={page.pageInfo} />
        </>
      ) : null}
    </section>
  );
}

function distinct(values: string[] | undefined): string[] {
  return [...new Set(values ?? [])].sort();
}
