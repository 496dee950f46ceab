import { useState } from 'preact/hooks';
import { useT } from './i18n.ts';

/** Rows a page of a server-paged list shows. */
export const PAGE_SIZE = 20;

/**
 * A list the server pages by offset and limit: the variables to send (one
 * row more than a page, to learn whether another page follows) and the page
 * in force.
 */
export function useOffsetPage(pageSize = PAGE_SIZE) {
  const [offset, setOffset] = useState(0);
  return {
    offset,
    pageSize,
    setOffset,
    variables: { offset, limit: pageSize + 1 },
    /** The rows of this page, of the `limit` rows the server answered. */
    rows: <T,>(answered: readonly T[]): T[] => answered.slice(0, pageSize),
  };
}

/** "Previous page", where we are, "next page": the server said whether there is more. */
export function OffsetPager({
  page,
  answered,
}: {
  page: ReturnType<typeof useOffsetPage>;
  answered: number;
}) {
  const t = useT();
  const hasNext = answered > page.pageSize;
  if (page.offset === 0 && !hasNext) return null;
  return (
    <p class="pager">
      {page.offset > 0 ? (
        <button
          type="button"
          class="previous-page"
          onClick={() => page.setOffset(Math.max(0, page.offset - page.pageSize))}
        >
          {t('previousPage')}
        </button>
      ) : null}
      <span>
        {t('pageNumber')} {Math.floor(page.offset / page.pageSize) + 1}
      </span>
      {hasNext ? (
        <button
          type="button"
          class="next-page"
          onClick={() => page.setOffset(page.offset + page.pageSize)}
        >
          {t('morePages')}
        </button>
      ) : null}
    </p>
  );
}
