import { isDeepStrictEqual } from 'node:util';
import type { Knex } from 'knex';

/** Most statement shapes remembered per database; beyond it, the builder runs each time. */
const MAX_SHAPES = 512;

type Shapes = Map<string, string | null>;

/**
 * Statement text per database (each engine quotes and binds in its own way),
 * per owner (the table model that builds it: a catalogue reload makes a new
 * one, so text built from an entry's old items is never reused), per shape.
 */
const compiled = new WeakMap<Knex, WeakMap<object, Shapes>>();

/**
 * Runs a SELECT whose text depends only on its shape — the table, its columns,
 * how many values it binds — compiling it with knex's builder the first time
 * a shape is seen and running the remembered text with `db.raw` after that:
 * the hot lookups skip knex's query builder and compiler on every later call,
 * and on SQLite the connection reuses its prepared statement for the same text
 * (see `openDatabase`). Values are always bound, never part of the text.
 *
 * `owner` is the table model the text is built from, `shape` names what else
 * the text depends on. `build` makes the query for `values`; the text is remembered only when the
 * compiled bindings are exactly `values`, in order — otherwise (a builder that
 * binds anything else) the shape is run through the builder every time.
 */
export async function compiledSelect(
  db: Knex,
  owner: object,
  shape: string,
  values: readonly unknown[],
  build: () => Knex.QueryBuilder,
): Promise<Record<string, unknown>[]> {
  let owners = compiled.get(db);
  if (!owners) compiled.set(db, (owners = new WeakMap<object, Shapes>()));
  let shapes = owners.get(owner);
  if (!shapes) owners.set(owner, (shapes = new Map<string, string | null>()));
  let sql = shapes.get(shape);
  if (sql === undefined) {
    const query = build();
    const native = query.toSQL();
    sql = isDeepStrictEqual(native.bindings, values) ? native.sql : null;
    if (shapes.size < MAX_SHAPES) shapes.set(shape, sql);
    if (sql === null) return (await query) as Record<string, unknown>[];
  }
  if (sql === null) return (await build()) as Record<string, unknown>[];
  return rowsOf(await db.raw(sql, values as Knex.RawBinding[]));
}

/** The rows of a raw SELECT: better-sqlite3 gives them as they are, mysql2 as `[rows, fields]`. */
function rowsOf(result: unknown): Record<string, unknown>[] {
  if (!Array.isArray(result)) throw new TypeError('Expected the rows of a SELECT.');
  return (Array.isArray(result[0]) ? result[0] : result) as Record<string, unknown>[];
}
