import type { Knex } from 'knex';
import { isCalendarDate } from '../../../schema/index.ts';
import type { DatasetTable } from './DatasetTable.ts';

/** The operators a list filter offers per item; which ones depend on the item's type. */
export interface ItemFilter {
  eq?: string | number | boolean | null;
  in?: readonly (string | number)[] | null;
  startsWith?: string | null;
  gt?: string | number | null;
  gte?: string | number | null;
  lt?: string | number | null;
  lte?: string | number | null;
}

/** `{ itemName: ItemFilter }`, as the generated `<Type>Filter` input gives it. */
export type ListFilter = Record<string, ItemFilter | null | undefined>;

const COMPARISONS = [
  ['gt', '>'],
  ['gte', '>='],
  ['lt', '<'],
  ['lte', '<='],
] as const;

/** Escapes LIKE's wildcards so `startsWith` matches the text literally. */
export function likePrefix(text: string): string {
  return `${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/**
 * Adds the filter's conditions to `query`, every value as a bound parameter.
 * Item names were checked by GraphQL validation against the generated input type.
 */
export function applyFilter(
  query: Knex.QueryBuilder,
  table: DatasetTable,
  filter: ListFilter,
): void {
  for (const [name, condition] of Object.entries(filter)) {
    if (!condition) continue;
    const column = table.item(name).column;
    if (condition.eq !== undefined && condition.eq !== null)
      query.where(column, sqlValue(condition.eq));
    if (condition.in !== undefined && condition.in !== null) {
      query.whereIn(column, condition.in as (string | number)[]);
    }
    if (condition.startsWith !== undefined && condition.startsWith !== null) {
      query.whereRaw(`?? like ? escape '!'`, [column, likePrefix(condition.startsWith)]);
    }
    for (const [op, sql] of COMPARISONS) {
      const value = condition[op];
      if (value !== undefined && value !== null) query.where(column, sql, value);
    }
  }
}

/** SQLite binds no booleans; both engines store them as 1 and 0. */
export function sqlValue(value: string | number | boolean): string | number {
  return typeof value === 'boolean' ? Number(value) : value;
}

/**
 * Limits `query` to the rows a caller may see: `null` is every row; otherwise
 * the rows any one of the filters admits (grants' row filters, OR-ed); an empty
 * list admits none.
 */
export function applyScope(
  query: Knex.QueryBuilder,
  table: DatasetTable,
  scope: readonly ListFilter[] | null,
): void {
  if (scope === null) return;
  if (scope.length === 0) {
    query.whereRaw('1 = 0');
    return;
  }
  if (scope.length === 1) {
    applyFilter(query, table, scope[0]!);
    return;
  }
  query.where((any) => {
    for (const filter of scope) any.orWhere((one) => applyFilter(one, table, filter));
  });
}

/**
 * Why a filter's values do not fit their items, or null. A DATE item compares
 * calendar dates written YYYY-MM-DD: compared as text, `"2019-13-45"` would
 * answer as if it meant something. Items the table lacks are left to the
 * caller, which names them.
 */
export function filterValueProblem(table: DatasetTable, filter: ListFilter): string | null {
  for (const [name, condition] of Object.entries(filter)) {
    if (!condition || !table.hasItem(name) || table.item(name).type !== 'DATE') continue;
    for (const op of ['eq', 'in', 'gt', 'gte', 'lt', 'lte'] as const) {
      const given = condition[op];
      if (given === undefined || given === null) continue;
      for (const value of Array.isArray(given) ? given : [given]) {
        if (typeof value !== 'string' || !isCalendarDate(value)) {
          return `filter.${name}.${op}: ${JSON.stringify(value)} is not a date; write YYYY-MM-DD, e.g. 2024-03-15.`;
        }
      }
    }
  }
  return null;
}
