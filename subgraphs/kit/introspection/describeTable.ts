import type { Knex } from 'knex';
import { databaseEngine } from '../../../server/index.ts';
import { listTables } from './listTables.ts';

/** One column of an existing table, as the database declares it. */
export interface ColumnDescription {
  name: string;
  /**
   * The declared type, lower-cased and with its length or precision, e.g. `varchar(18)`,
   * `tinyint(1)`, `int(10) unsigned` (MySQL's COLUMN_TYPE, SQLite's declared type;
   * empty when a SQLite column declares none). Kept whole because `tinyint(1)` is a
   * boolean and `tinyint(4)` is not.
   */
  sqlType: string;
  nullable: boolean;
  /** Character length for string columns; null where the type has none. */
  maxLength: number | null;
}

/** What kind of relation a name is: a plain table, a view, or something else (virtual table, sequence). */
export type TableKind = 'table' | 'view' | 'other';

/** What introspection found about one table: its columns in table order and its key. */
export interface TableDescription {
  table: string;
  kind: TableKind;
  columns: ColumnDescription[];
  /** Primary key columns in key order; empty when the table has none. */
  primaryKey: string[];
  /**
   * The column sets the database keeps unique: the primary key and every
   * unique index over all rows (partial indexes do not count).
   */
  uniqueKeys: string[][];
  /**
   * The columns some index over all rows begins with (the primary key's first
   * column included): a lookup by one of them reads only the rows it finds.
   */
  indexedColumns: string[];
}

/** The names a table may have here: the catalogue's `binding.table` rule. */
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

interface DeclaredColumn {
  name: string;
  sqlType: string;
}

interface Declared {
  kind: TableKind;
  declared: DeclaredColumn[];
  primaryKey: string[];
  uniqueKeys: string[][];
  indexedColumns: string[];
}

/**
 * Describes `table` in a department database (SQLite or MySQL, as `openDatabase`
 * opens them): columns with declared type, nullability and length, and the
 * primary key in key order, whether it is a plain table or a view, and the
 * column sets it keeps unique. It is the first step from an existing table to
 * a registered dataset, and what a binding is checked against, so it only reads.
 *
 * The table name is checked against the catalogue's table-name rule before any
 * SQL runs, because knex's `columnInfo` writes it into the SQLite statement
 * unbound; every other value is bound. On MySQL the table is looked up in the
 * connection's current database. Throws when the name is not allowed, when the
 * table does not exist, or when the database is neither SQLite nor MySQL.
 */
export async function describeTable(db: Knex, table: string): Promise<TableDescription> {
  if (!TABLE_NAME.test(table)) {
    throw new Error(
      `table name ${JSON.stringify(table)} is not allowed: expected letters, digits and _ ` +
        '(not starting with a digit, at most 64 characters)',
    );
  }
  const engine = databaseEngine(db);
  const info = await db(table).columnInfo();
  if (Object.keys(info).length === 0) {
    const tables = [...(await listTables(db))]
      .filter((name) => !/^(sqlite_|knex_)/.test(name))
      .sort();
    throw new Error(
      `no table ${table} in the department database; its tables are: ${tables.join(', ') || '(none)'}`,
    );
  }
  const { kind, declared, primaryKey, uniqueKeys, indexedColumns } =
    engine === 'sqlite' ? await describeSqlite(db, table) : await describeMysql(db, table);
  const columns = declared
    .filter((c) => Object.hasOwn(info, c.name))
    .map((c): ColumnDescription => {
      const column = info[c.name]!;
      return {
        name: c.name,
        sqlType: c.sqlType,
        // SQLite lets a primary key column that is not an INTEGER key hold NULL unless it says
        // NOT NULL (a legacy of its own); a key identifies its row, so it is never null here.
        nullable: column.nullable && !primaryKey.includes(c.name),
        maxLength: toLength(column.maxLength),
      };
    });
  return { table, kind, columns, primaryKey, uniqueKeys, indexedColumns };
}

/** SQLite: `pragma_table_info` lists columns in table order, `pk` their position in the key. */
async function describeSqlite(db: Knex, table: string): Promise<Declared> {
  const rows = await db.raw<{ name: string; type: string | null; pk: number }[]>(
    'select name, type, pk from pragma_table_info(?) order by cid',
    [table],
  );
  const [master] = await db.raw<{ type: string; sql: string | null }[]>(
    "select type, sql from sqlite_master where type in ('table', 'view') and name = ? collate nocase",
    [table],
  );
  const kind: TableKind =
    master?.type === 'view'
      ? 'view'
      : master?.type === 'table' && !/^\s*create\s+virtual\b/i.test(master.sql ?? '')
        ? 'table'
        : 'other';
  const primaryKey = rows
    .filter((r) => r.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((r) => r.name);
  const indexes = await db.raw<{ name: string; unique: number; partial: number }[]>(
    'select name, "unique", partial from pragma_index_list(?)',
    [table],
  );
  const uniqueKeys = primaryKey.length > 0 ? [primaryKey] : [];
  const indexedColumns = primaryKey.slice(0, 1);
  for (const index of indexes.filter((i) => i.partial === 0)) {
    const columns = await db.raw<{ name: string | null }[]>(
      'select name from pragma_index_info(?) order by seqno',
      [index.name],
    );
    // An index on an expression has a null column name: it keeps no column set unique.
    const named = columns.every((c) => c.name !== null);
    if (index.unique === 1 && named) uniqueKeys.push(columns.map((c) => c.name!));
    if (columns[0]?.name) indexedColumns.push(columns[0].name);
  }
  return {
    kind,
    declared: rows.map((r) => ({ name: r.name, sqlType: normaliseType(r.type) })),
    primaryKey,
    uniqueKeys,
    indexedColumns: [...new Set(indexedColumns)],
  };
}

/** MySQL: information_schema of the current database; the key is the constraint named PRIMARY. */
async function describeMysql(db: Knex, table: string): Promise<Declared> {
  const [columns] = (await db.raw(
    'select COLUMN_NAME as name, COLUMN_TYPE as type from information_schema.COLUMNS ' +
      'where TABLE_SCHEMA = DATABASE() and TABLE_NAME = ? order by ORDINAL_POSITION',
    [table],
  )) as [{ name: string; type: string | null }[], unknown];
  const [key] = (await db.raw(
    'select COLUMN_NAME as name from information_schema.KEY_COLUMN_USAGE ' +
      'where TABLE_SCHEMA = DATABASE() and TABLE_NAME = ? and CONSTRAINT_NAME = ? ' +
      'order by ORDINAL_POSITION',
    [table, 'PRIMARY'],
  )) as [{ name: string }[], unknown];
  const [[relation]] = (await db.raw(
    'select TABLE_TYPE as type from information_schema.TABLES ' +
      'where TABLE_SCHEMA = DATABASE() and TABLE_NAME = ?',
    [table],
  )) as [{ type: string }[], unknown];
  const [indexed] = (await db.raw(
    'select INDEX_NAME as indexName, COLUMN_NAME as name, NON_UNIQUE as nonUnique, SEQ_IN_INDEX as seq ' +
      'from information_schema.STATISTICS where TABLE_SCHEMA = DATABASE() and TABLE_NAME = ? ' +
      'order by INDEX_NAME, SEQ_IN_INDEX',
    [table],
  )) as [
    { indexName: string; name: string | null; nonUnique: number | string; seq: number }[],
    unknown,
  ];
  const byIndex = new Map<string, (string | null)[]>();
  for (const row of indexed.filter((r) => Number(r.nonUnique) === 0))
    byIndex.set(row.indexName, [...(byIndex.get(row.indexName) ?? []), row.name]);
  return {
    kind: relation?.type === 'BASE TABLE' ? 'table' : relation?.type === 'VIEW' ? 'view' : 'other',
    declared: columns.map((r) => ({ name: r.name, sqlType: normaliseType(r.type) })),
    primaryKey: key.map((r) => r.name),
    uniqueKeys: [...byIndex.values()].filter((names): names is string[] =>
      names.every((n) => n !== null),
    ),
    // A functional index has no column name.
    indexedColumns: [
      ...new Set(indexed.filter((r) => Number(r.seq) === 1 && r.name !== null).map((r) => r.name!)),
    ],
  };
}

function normaliseType(type: string | null): string {
  return (type ?? '').trim().toLowerCase();
}

/** knex gives SQLite lengths as strings and MySQL's as numbers (or big-number strings). */
function toLength(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}
