import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import type { DepartmentUsersConfig } from '../config/index.ts';

/** A department database user and its password. */
export interface DepartmentCredentials {
  user: string;
  password: string;
}

/** MySQL's longest user name (MariaDB allows more; 32 works on both). */
const MAX_USER_LENGTH = 32;

/**
 * The user of a department database: its name when that fits, else a prefix of
 * it with a hash of the whole, so two databases never share a user.
 */
export function departmentUserName(database: string): string {
  if (database.length <= MAX_USER_LENGTH) return database;
  const hash = createHash('sha256').update(database).digest('hex').slice(0, 8);
  return `${database.slice(0, MAX_USER_LENGTH - 9)}_${hash}`;
}

/** Where the password of `user` is kept. */
export function departmentPasswordFile(config: DepartmentUsersConfig, user: string): string {
  return join(config.secretsDir, `mysql-${user}.password`);
}

/**
 * Makes sure the department's user exists with rights on `database` only, and
 * returns its credentials. `admin` is a connection as the DATABASE_URL user.
 *
 * Managed: the password is read from its file, or generated (24 random bytes)
 * and written there (mode 0600) on first use; the user is created if missing,
 * given that password (so a lost file is replaced, not locked out), and granted
 * ALL on its database. The database name's `_` and `%` are escaped in the grant,
 * since MySQL reads them as wildcards there (`govdata_x` would also match
 * `govdataYx`). Either mode then reads the user's grants and refuses (throws,
 * naming the grant) if any reaches beyond its database.
 */
export async function ensureDepartmentUser(
  admin: Knex,
  database: string,
  config: DepartmentUsersConfig,
): Promise<DepartmentCredentials> {
  const user = departmentUserName(database);
  const file = departmentPasswordFile(config, user);
  if (config.mode === 'given') {
    if (!existsSync(file)) {
      throw new Error(
        `No password for database user ${user} in ${file}: with DEPARTMENT_DB_USERS=given, create the user with rights on ${database} only and put its password there.`,
      );
    }
  } else {
    if (!existsSync(file)) {
      mkdirSync(config.secretsDir, { recursive: true });
      writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600 });
    }
    const password = readFileSync(file, 'utf8').trim();
    await admin.raw('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [user, config.host, password]);
    await admin.raw('ALTER USER ?@? IDENTIFIED BY ?', [user, config.host, password]);
    await admin.raw('GRANT ALL PRIVILEGES ON ??.* TO ?@?', [
      database.replace(/[_%]/g, (c) => `\\${c}`),
      user,
      config.host,
    ]);
  }
  await refuseWiderGrants(admin, user, config.host, database);
  return { user, password: readFileSync(file, 'utf8').trim() };
}

/** Throws when `user` holds any right other than on `database` (or the bare right to connect). */
async function refuseWiderGrants(
  admin: Knex,
  user: string,
  host: string,
  database: string,
): Promise<void> {
  const [rows] = (await admin.raw('SHOW GRANTS FOR ?@?', [user, host])) as [
    Record<string, string>[],
    unknown,
  ];
  const escaped = database.replace(/[_%]/g, (c) => `\\${c}`);
  const own = new Set([`\`${database}\`.*`, `\`${escaped}\`.*`]);
  for (const row of rows) {
    const grant = Object.values(row)[0] ?? '';
    const on = /^GRANT .+? ON (\S+) TO /i.exec(grant)?.[1] ?? '';
    if (own.has(on) || (on === '*.*' && /^GRANT USAGE ON /i.test(grant))) continue;
    throw new Error(
      `Database user ${user} has rights beyond its own database ${database} (${grant.replace(/IDENTIFIED BY .*$/i, '').trim()}); revoke them before starting.`,
    );
  }
}
