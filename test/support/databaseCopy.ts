import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';

/** How to reach MariaDB as its administrator (the DATABASE_URL user of the tests). */
export interface MysqlServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

/**
 * Copies the SQLite databases `names` (`platform`, department codes) from the
 * folder `from` to the folder `to`. The source must be closed (no write-ahead
 * log left): a copy of the main file alone would then miss rows.
 */
export function copySqliteDatabases(from: string, to: string, names: readonly string[]): void {
  const present = new Set(readdirSync(from));
  for (const name of names) {
    const file = `${name}.sqlite`;
    if (present.has(`${file}-wal`)) {
      throw new Error(`${join(from, file)} still has a write-ahead log: close it before copying`);
    }
    copyFileSync(join(from, file), join(to, file));
  }
}

/**
 * Makes the MySQL database `to` an exact copy of `from`: its default character
 * set and collation, each table as `SHOW CREATE TABLE` states it (columns,
 * indexes, foreign keys, AUTO_INCREMENT counter), every row, then its triggers.
 * Refuses a source with views or routines, which it would not copy.
 */
export async function copyMysqlDatabase(
  server: MysqlServer,
  from: string,
  to: string,
): Promise<void> {
  const admin = connect(server);
  try {
    const [[schema]] = (await admin.raw(
      `SELECT DEFAULT_CHARACTER_SET_NAME AS charset, DEFAULT_COLLATION_NAME AS collation
         FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?`,
      [from],
    )) as [{ charset: string; collation: string }[]];
    if (!schema) throw new Error(`no database ${from} to copy`);
    const [[others]] = (await admin.raw(
      `SELECT (SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?)
            + (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?) AS n`,
      [from, from],
    )) as [{ n: number }[]];
    if (Number(others!.n) > 0) {
      throw new Error(`${from} has views or routines, which copyMysqlDatabase does not copy`);
    }
    await admin.raw('CREATE DATABASE ?? CHARACTER SET ?? COLLATE ??', [
      to,
      schema.charset,
      schema.collation,
    ]);
  } finally {
    await admin.destroy();
  }
  // Connections whose default database is the copy: `SHOW CREATE TABLE` names
  // a referenced table of the same database without its database.
  const target = connect(server, to, TABLES_AT_ONCE);
  try {
    // Generated columns compute their own values.
    const [columns] = (await target.raw(
      `SELECT c.TABLE_NAME AS tableName, c.COLUMN_NAME AS name
         FROM information_schema.COLUMNS c
         JOIN information_schema.TABLES t
           ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
        WHERE c.TABLE_SCHEMA = ? AND t.TABLE_TYPE = 'BASE TABLE'
          AND c.EXTRA NOT LIKE '%GENERATED%'
        ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION`,
      [from],
    )) as [{ tableName: string; name: string }[]];
    const tables = new Map<string, string[]>();
    for (const column of columns) {
      tables.set(column.tableName, [...(tables.get(column.tableName) ?? []), column.name]);
    }
    await Promise.all(
      [...tables].map(async ([name, names]) => {
        const [[created]] = (await target.raw('SHOW CREATE TABLE ??.??', [from, name])) as [
          Record<string, string>[],
        ];
        await target.raw(created!['Create Table']!);
        const list = names.map(() => '??').join(', ');
        await target.raw(`INSERT INTO ?? (${list}) SELECT ${list} FROM ??.??`, [
          name,
          ...names,
          ...names,
          from,
          name,
        ]);
      }),
    );
    // Triggers last, as the source states them: the copied rows were written before.
    const [triggers] = (await target.raw(
      `SELECT TRIGGER_NAME AS name, ACTION_TIMING AS timing, EVENT_MANIPULATION AS event,
              EVENT_OBJECT_TABLE AS tableName, ACTION_STATEMENT AS body
         FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY ACTION_ORDER`,
      [from],
    )) as [{ name: string; timing: string; event: string; tableName: string; body: string }[]];
    for (const t of triggers) {
      await target.raw(`CREATE TRIGGER ?? ${t.timing} ${t.event} ON ?? FOR EACH ROW ${t.body}`, [
        t.name,
        t.tableName,
      ]);
    }
  } finally {
    await target.destroy();
  }
}

/** Tables of one database copied at once, each on a connection of its own. */
const TABLES_AT_ONCE = 4;

interface MysqlConnection {
  query(sql: string, callback: (err: Error | null) => void): void;
}

function connect(server: MysqlServer, database?: string, connections = 1): Knex {
  return knex({
    client: 'mysql2',
    connection: { ...server, ...(database ? { database } : {}), charset: 'utf8mb4' },
    pool: {
      min: 0,
      max: connections,
      // Tables are created in any order, some before the tables their foreign keys name.
      afterCreate(conn: MysqlConnection, done: (err: Error | null, conn: unknown) => void) {
        conn.query('SET SESSION foreign_key_checks = 0', (err) => done(err, conn));
      },
    },
  });
}
