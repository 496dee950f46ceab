import { useState } from 'preact/hooks';
import { useT } from './i18n.ts';

type Filter = Record<string, string>;

/**
 * A filter form over a list the server pages: what is typed (`form`), the
 * filter in force (applied on submit, back to the first page), and the
 * cursors of the pages passed, for "next page" and "first page".
 */
export function useFilteredPages(toFilter: (form: Filter) => Filter = withoutBlanks) {
  const [form, setForm] = useState<Filter>({});
  const [filter, setFilter] = useState<Filter>({});
  const [cursors, setCursors] = useState<string[]>([]);
  return {
    form,
    filter,
    after: cursors.at(-1) ?? null,
    cursors,
    setCursors,
    /** An input handler writing the field `name` of the form. */
    field: (name: string) => (e: { currentTarget: { value: string } }) =>
      setForm({ ...form, [name]: e.currentTarget.value }),
    apply: (event: Event) => {
      event.preventDefault();
      setFilter(toFilter(form));
      setCursors([]);
    },
  };
}

export function withoutBlanks(form: Filter): Filter {
  return Object.fromEntries(
    Object.entries(form)
      .map(([name, value]): [string, string] => [name, value.trim()])
      .filter(([, value]) => value !== ''),
  );
}

/** "First page" once past it, "next page" while the server has more. */
export function Pager({
  pages,
  pageInfo,
}: {
  pages: { cursors: string[]; setCursors: (c: string[]) => void };
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}) {
  const t = useT();
  const next = pageInfo.hasNextPage ? pageInfo.endCursor : null;
  return (
    <p class="pager">
      {pages.cursors.length > 0 ? (
        <button type="button" onClick={() => pages.setCursors([])}>
          {t('firstPage')}
        </button>
      ) : null}
      {next ? (
        <button type="button" onClick={() => pages.setCursors([...pages.cursors, next])}>
          {t('morePages')}
        </button>
      ) : null}
    </p>
  );
}
