import type { Knex } from 'knex';
import { reservedTableReason, type ItemType } from '../../../schema/index.ts';
import { describeTable, type TableDescription } from './describeTable.ts';
import { columnFitsItem } from './itemTypeOfSql.ts';

/** The parts of a catalogue entry (parsed or validated) a binding check reads. */
export interface BoundEntry {
  binding: { table: string; key: readonly string[]; changedAt?: string | undefined };
  items: readonly {
    name: string;
    column: string;
    type: ItemType;
    references?: { type: string; reverse?: string | undefined } | undefined;
  }[];
}

/** One thing wrong with an entry's binding, by the entry field it is about. */
export interface BindingProblem {
  field: string;
  message: string;
}

/**
 * Checks an entry's binding against its department's own database (`db`, as
 * `openDatabase` opens it): the table is not a platform or system table (nor
 * any of `platformTables`, the platform database's actual tables), exists, and
 * is a plain table, not a view; every item's column exists with a type that
 * fits the item's; the change column (`changedAt`), if any, exists; the key's columns are kept unique by the database (the
 * primary key, or a unique index over all rows, on those columns or a subset); and
 * the column of every item that `references` another entity with a `reverse`
 * field leads an index (each entity's reverse field looks its rows up by it).
 * Returns every problem found, each naming the entry field (`binding.table`,
 * `items[2].column`, `items[2].type`, `binding.key`); none means the subgraph
 * can serve the entry from that database.
 *
 * Names compare without case, as both engines resolve them. Only reads.
 */
export async function checkBindingAgainstDatabase(
  db: Knex,
  entry: BoundEntry,
  platformTables: ReadonlySet<string> = new Set(),
): Promise<BindingProblem[]> {
  const { table, key } = entry.binding;
  const reserved =
    reservedTableReason(table) ??
    (platformTables.has(table.toLowerCase())
      ? `${table} is a table of the platform database; a dataset binds a table of its department's own database`
      : null);
  if (reserved) return [{ field: 'binding.table', message: reserved }];

  let description: TableDescription;
  try {
    description = await describeTable(db, table);
  } catch (error) {
    if (error instanceof Error && /^no table /.test(error.message)) {
      return [
        {
          field: 'binding.table',
          message: `the department's database has no table ${table}: create it with a migration first, or bind an existing table`,
        },
      ];
    }
    throw error;
  }
  if (description.kind !== 'table') {
    return [
      {
        field: 'binding.table',
        message: `${table} is a ${description.kind === 'view' ? 'view' : 'virtual table or sequence'}, not a plain table; bind the table that holds the data`,
      },
    ];
  }

  const problems: BindingProblem[] = [];
  const columns = new Map(description.columns.map((c) => [c.name.toLowerCase(), c]));
  const indexed = new Set(description.indexedColumns.map((c) => c.toLowerCase()));
  entry.items.forEach((item, index) => {
    const column = columns.get(item.column.toLowerCase());
    if (!column) {
      problems.push({
        field: `items[${index}].column`,
        message: `table ${table} has no column ${item.column} (it has ${description.columns.map((c) => c.name).join(', ')})`,
      });
    } else if (!columnFitsItem(item.type, column.sqlType)) {
      problems.push({
        field: `items[${index}].type`,
        message: `${item.type} does not fit column ${column.name}, declared ${column.sqlType || 'with no type'}; give the item the column's type, or change the column`,
      });
    } else if (item.references?.reverse && !indexed.has(column.name.toLowerCase())) {
      // Every ${type} { ${reverse} } looks its rows up by this column, on the department's event loop.
      problems.push({
        field: `items[${index}].references.reverse`,
        message: `each ${item.references.type}'s ${item.references.reverse} are looked up by column ${column.name}, which no index of table ${table} begins with, so every such lookup would read the whole table: add an index on ${column.name} (a migration), or leave reverse out`,
      });
    }
  });

  const changedAt = entry.binding.changedAt;
  if (changedAt !== undefined && !columns.has(changedAt.toLowerCase())) {
    problems.push({
      field: 'binding.changedAt',
      message: `table ${table} has no column ${changedAt} (it has ${description.columns.map((c) => c.name).join(', ')})`,
    });
  } else if (changedAt !== undefined) {
    const untracked = undescribedColumns(description, entry);
    if (untracked.length > 0) {
      problems.push({ field: 'binding.changedAt', message: undescribedColumnsMessage(untracked) });
    }
  }

  const keyColumns = key
    .map((name) => entry.items.find((i) => i.name === name)?.column.toLowerCase())
    .filter((c): c is string => c !== undefined && columns.has(c));
  if (keyColumns.length === key.length) {
    const unique = description.uniqueKeys.some(
      (set) => set.length > 0 && set.every((c) => keyColumns.includes(c.toLowerCase())),
    );
    if (!unique) {
      problems.push({
        field: 'binding.key',
        message: `the key (${key.join(', ')}) is not unique in table ${table}: make its column(s) ${keyColumns.join(', ')} the primary key or add a unique index on them`,
      });
    }
  }
  return problems;
}

/**
 * The columns of a table that no item of `entry` describes, other than its
 * change column. With a change column they are a channel: a record's change
 * time moves when one of them changes too, and an incremental export sends the
 * record again with nothing new in it, telling its consumer that something it
 * may not read changed (see `refuseHiddenChanges` for the items it may not read).
 */
export function undescribedColumns(description: TableDescription, entry: BoundEntry): string[] {
  const described = new Set(entry.items.map((i) => i.column.toLowerCase()));
  const changedAt = entry.binding.changedAt?.toLowerCase();
  return description.columns
    .map((c) => c.name)
    .filter((name) => !described.has(name.toLowerCase()) && name.toLowerCase() !== changedAt);
}

/** Why a change column over `columns` no item describes is refused, and what to do. */
export function undescribedColumnsMessage(columns: readonly string[]): string {
  return (
    `the table has columns no item describes (${columns.join(', ')}): a record's change time moves when they change too, ` +
    'so an incremental export would send it again with nothing new and tell its consumer that they changed. ' +
    'Describe them as items (sharingType: NOT_SHARED keeps them from every consumer, and incremental exports with them), ' +
    'bind a table that holds only what the entry describes, or leave changedAt out'
  );
}
