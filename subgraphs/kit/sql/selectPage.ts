import type { Knex } from 'knex';
import { databaseEngine, scanRows, SQLITE_SHA256 } from '../../../server/index.ts';
import type { DatasetTable, KeyValue, Row } from './DatasetTable.ts';
import { applyFilter, applyScope, type ListFilter } from './applyFilter.ts';

/**
 * How a page is ordered: by key (stable, indexed), or — for a caller who may
 * not read the key — by a keyed hash of it, so the order of the rows tells
 * nothing the key hides (ID numbers sorted by key are sorted by birth date).
 */
export type PageOrder =
  { by: 'key'; after?: KeyValue } | { by: 'keyed hash'; salt: string; after?: string };

export interface PageRequest {
  filter: ListFilter;
  /** The rows the caller may see (grants' row filters, see `applyScope`), besides `filter`. */
  scope: readonly ListFilter[] | null;
  /** Rows wanted; the caller has checked it against the page size cap. */
  first: number;
  /** The order, and where the previous page ended (decoded from its cursor). */
  order: PageOrder;
  /** Only records whose change column holds this instant or a later one (incremental exports). */
  changedSince?: { column: string; from: string };
  /** Who asks (a consumer's budget holder): scans take turns by it (see `scanRows`). */
  holder?: string;
}

export interface Page {
  /** Rows, each with `ORDER_VALUE` set when ordered by keyed hash (for its cursor). */
  rows: Row[];
  hasNextPage: boolean;
}

/** Where a row ordered by keyed hash carries its hash; never an item name (items are camelCase). */
export const ORDER_VALUE = '__order';

/**
 * One page of a dataset (keyset pagination: stable under inserts). In key
 * order it is as fast on page 1000 as on page 1; in keyed-hash order every page
 * hashes the rows the filters leave, a scan the engine cannot index. Reads one
 * row more than asked to know whether another page follows.
 */
export async function selectPage(
  db: Knex,
  table: DatasetTable,
  request: PageRequest,
): Promise<Page> {
  const query = db(table.table).select(table.selectList);
  applyFilter(query, table, request.filter);
  applyScope(query, table, request.scope);
  if (request.changedSince)
    query.where(request.changedSince.column, '>=', request.changedSince.from);
  const { order } = request;
  if (order.by === 'key') {
    if (order.after !== undefined) {
      const after = typeof order.after === 'object' ? order.after : [order.after];
      const columns = table.keyColumns.map(() => '??').join(', ');
      const values = after.map(() => '?').join(', ');
      query.whereRaw(`(${columns}) > (${values})`, [...table.keyColumns, ...after]);
    }
    query.orderBy(table.keyColumns.map((c) => ({ column: c, order: 'asc' })));
  } else {
    const [expression, bindings] = keyedHash(db, table, order.salt);
    query.select(db.raw(`${expression} as ??`, [...bindings, ORDER_VALUE]));
    if (order.after !== undefined) query.whereRaw(`${expression} > ?`, [...bindings, order.after]);
    query.orderByRaw(expression, bindings);
  }
  query.limit(request.first + 1);
  // A scan the engine cannot index (keyed-hash order, unindexed filters) never holds the event loop.
  const rows = (await scanRows(db, query, request.holder)).map((r) => table.toRow(r));
  const hasNextPage = rows.length > request.first;
  if (hasNextPage) rows.pop();
  return { rows, hasNextPage };
}

/** SHA-256 (hex) of the salt and the key columns, in SQL: the same value on both engines. */
function keyedHash(db: Knex, table: DatasetTable, salt: string): [string, string[]] {
  const mysql = databaseEngine(db) === 'mysql';
  const parts = table.keyColumns.map(() => (mysql ? 'CAST(?? AS CHAR)' : 'CAST(?? AS TEXT)'));
  const separated = parts.join(mysql ? ", '|', " : " || '|' || ");
  const expression = mysql
    ? `SHA2(CONCAT(?, ${separated}), 256)`
    : `${SQLITE_SHA256}(? || ${separated})`;
  return [expression, [salt, ...table.keyColumns]];
}
