import { badUserInput } from '../../../schema/index.ts';

/** A page of a list the server pages: skip `offset` rows, return at most `limit` (null: the rest). */
export interface OffsetPage {
  offset: number;
  limit: number | null;
}

/** The furthest a page may start: beyond it, narrow the list with its filters. */
const MAX_OFFSET = 1_000_000;

/**
 * The `offset` and `limit` arguments of a paged list, checked: `limit` from 1
 * to `maxLimit` (or null, for `pagedList`'s whole list), `offset` from 0 to a
 * million.
 */
export function offsetPage(args: Record<string, unknown>, maxLimit: number): OffsetPage {
  const offset = (args.offset as number | null | undefined) ?? 0;
  const limit = (args.limit as number | null | undefined) ?? null;
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_OFFSET) {
    throw badUserInput(`offset must be between 0 and ${MAX_OFFSET}.`, 'offset');
  }
  if (limit !== null && (!Number.isInteger(limit) || limit < 1 || limit > maxLimit)) {
    throw badUserInput(`limit must be between 1 and ${maxLimit}.`, 'limit');
  }
  return { offset, limit };
}

/**
 * A list paged by `offset` and `limit` (checked as `offsetPage`), read by
 * `read`. Without a `limit` the list is answered whole as long as it holds at
 * most `maxLimit` rows, and refused beyond, naming how to page: never cut
 * short without a word, and never more rows than the gateway's cost estimate
 * allows for (the field's `@listSize`, `maxLimit` rows either way).
 */
export async function pagedList<T>(
  args: Record<string, unknown>,
  maxLimit: number,
  read: (page: OffsetPage) => Promise<T[]>,
): Promise<T[]> {
  const page = offsetPage(args, maxLimit);
  if (page.limit !== null) return read(page);
  const rows = await read({ offset: page.offset, limit: maxLimit + 1 });
  if (rows.length > maxLimit) {
    throw badUserInput(
      `More than ${maxLimit} rows match; page through them with offset and limit (at most ${maxLimit} a page), or narrow the list with its filters.`,
      'limit',
    );
  }
  return rows;
}
