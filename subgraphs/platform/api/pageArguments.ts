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
 * to `maxLimit` (or null, where the field keeps answering whole lists for
 * callers that do not page), `offset` from 0 to a million.
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
