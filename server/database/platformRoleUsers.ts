import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Knex } from 'knex';
import type { DepartmentUsersConfig } from '../config/index.ts';
import {
  departmentPasswordFile,
  departmentUserName,
  type DepartmentCredentials,
} from './departmentUser.ts';

/** A right as MySQL grants it: on the whole table, or UPDATE of named columns only. */
type Right = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | `UPDATE (${string})`;

/**
 * What a role may do in the platform database, table by table; on a table not
 * named, what `ANY_OTHER_TABLE` gives, or nothing.
 */
export type RoleRights = Readonly<Record<string, readonly Right[]>>;

/** The key of `RoleRights` for every table it does not name (granted table by table). */
export const ANY_OTHER_TABLE = '*';

/**
 * What a department's own host (`govdata serve --department`) may do in the
 * platform database, table by table: read the published catalogue, the sharing
 * decisions, grants and the registry; append its audit records to its own
 * chain; count its grants' quotas; record its exports; publish its subgraph.
 *
 * Nothing here changes a grant, a catalogue entry or a sharing decision, and
 * nothing deletes: a department's host is run by the department, outside the
 * platform's control, and with the platform's own credential a compromised
 * one could have granted itself another department's data, deleted audit
 * records, or deleted registry rows to send new gateways back to an older
 * version. Where it updates, it updates counters and outcomes only, never what
 * names a row: a quota's count, not its grant or day; an export's progress and
 * manifest, not whose export it is, of which dataset, served by which
 * department (the gateway routes a resumed export by that), under which plan; a
 * chain head's position, not its writer or role. What it may still do as a
 * writer — append records, count quotas, insert registry rows — is checked
 * elsewhere: records by their chains and its department's signature, registry
 * rows by their subgraph's signature.
 */
export const HOST_RIGHTS: RoleRights = {
  knex_migrations: ['SELECT'],
  knex_migrations_lock: ['SELECT'],
  catalogue_entries: ['SELECT'],
  dataset_policies: ['SELECT'],
  grants: ['SELECT'],
  policy_changes: ['SELECT'],
  policy_change_counter: ['SELECT'],
  holidays: ['SELECT'],
  grant_usage: ['SELECT', 'INSERT', 'UPDATE (calls)'],
  verification_usage: ['SELECT', 'INSERT', 'UPDATE (verifications)'],
  exports: ['SELECT', 'INSERT', 'UPDATE (charged, resent, completed_at, manifest)'],
  audit_records: ['SELECT', 'INSERT'],
  audit_chains: ['SELECT', 'INSERT', 'UPDATE (last_seq, last_hash, updated_at)'],
  subgraph_versions: ['SELECT', 'INSERT'],
  supergraph_compositions: ['SELECT'],
};

/**
 * What a gateway (`npm run gateway`, a gateway pod) may do in the platform
 * database: read what it authenticates, routes and composes by (API keys,
 * links, the catalogue and sharing decisions, the registry, exports to route);
 * append its REQUEST records and move its own chain head; keep its rate
 * windows, signed-out tokens and used link tokens, deleting the expired; store
 * the compositions it signs. The gateway is the platform's face to the
 * network, so it is the likeliest part to be taken over: from it, nothing
 * changes a grant, a key, a link, a catalogue entry or a sharing decision, and
 * no audit record or registry row is deleted or rewritten.
 */
export const GATEWAY_RIGHTS: RoleRights = {
  knex_migrations: ['SELECT'],
  knex_migrations_lock: ['SELECT'],
  catalogue_entries: ['SELECT'],
  dataset_policies: ['SELECT'],
  holidays: ['SELECT'],
  api_keys: ['SELECT'],
  platform_identity: ['SELECT'],
  platform_links: ['SELECT'],
  linked_entries: ['SELECT'],
  exports: ['SELECT'],
  subgraph_versions: ['SELECT'],
  signed_out_tokens: ['SELECT', 'INSERT', 'DELETE'],
  link_token_uses: ['SELECT', 'INSERT', 'DELETE'],
  rate_counters: ['SELECT', 'INSERT', 'UPDATE (used)', 'DELETE'],
  audit_records: ['SELECT', 'INSERT'],
  audit_chains: ['SELECT', 'INSERT', 'UPDATE (last_seq, last_hash, updated_at)'],
  supergraph_compositions: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
};

/**
 * What the platform's own subgraph (`govdata serve --platform`) may do in the
 * platform database: it is the platform's API, so it writes the catalogue,
 * grants, sharing decisions, keys and links — every table but these. It
 * appends audit records and moves its own chain head, but neither deletes
 * nor rewrites a record, nor moves the start of attestation (the migrations'
 * alone); it appends registry rows and never deletes one; it does not
 * migrate.
 */
export const PLATFORM_SUBGRAPH_RIGHTS: RoleRights = {
  knex_migrations: ['SELECT'],
  knex_migrations_lock: ['SELECT'],
  audit_records: ['SELECT', 'INSERT'],
  audit_chains: ['SELECT', 'INSERT', 'UPDATE (last_seq, last_hash, updated_at)'],
  audit_attestation_start: ['SELECT'],
  subgraph_versions: ['SELECT', 'INSERT'],
  [ANY_OTHER_TABLE]: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
};

/** A role's user in the platform database: who it is, what it may do, what it is called. */
export interface PlatformRole {
  /** How errors and logs name the role: `the host of city_water`, `the gateway`. */
  title: string;
  user: string;
  rights: RoleRights;
}

/** A department host's role in the platform database `platformDatabase`. */
export function platformHostRole(platformDatabase: string, department: string): PlatformRole {
  return {
    title: `the host of ${department}`,
    user: platformHostUserName(platformDatabase, department),
    rights: HOST_RIGHTS,
  };
}

/**
 * The gateways' role in the platform database `platformDatabase`: one user for
 * every gateway, `govdata-gateway` (no department is named `gateway`).
 */
export function platformGatewayRole(platformDatabase: string): PlatformRole {
  return {
    title: 'the gateway',
    user: departmentUserName(`${platformDatabase}-gateway`),
    rights: GATEWAY_RIGHTS,
  };
}

/** The platform subgraph's role: `govdata-platform` (no department is named `platform`). */
export function platformSubgraphRole(platformDatabase: string): PlatformRole {
  return {
    title: 'the platform subgraph',
    user: departmentUserName(`${platformDatabase}-platform`),
    rights: PLATFORM_SUBGRAPH_RIGHTS,
  };
}

/** MySQL's user of the department's host in the platform database `platformDatabase`. */
export function platformHostUserName(platformDatabase: string, department: string): string {
  // `govdata-city_water`: `-` is in no department code, so this never names a department
  // database's user (`govdata_city_water`).
  return departmentUserName(`${platformDatabase}-${department}`);
}

/**
 * Makes sure `role`'s user exists in `platformDatabase` with its rights and
 * nothing more, and returns its credentials; `admin` is a connection as the
 * DATABASE_URL user, after the platform's migrations (a grant names tables).
 * Managed: created, given its password (generated into its file on first use)
 * and granted; table rights it should not hold are revoked. Given: operators
 * made it; its grants are checked. Either way it throws when the user holds a
 * right beyond its role's (naming the grant) or lacks one it needs (giving the
 * GRANT statements to run; without its password file, all of them).
 */
export async function ensurePlatformRoleUser(
  admin: Knex,
  platformDatabase: string,
  role: PlatformRole,
  config: DepartmentUsersConfig,
): Promise<DepartmentCredentials> {
  const { user, rights } = role;
  const file = departmentPasswordFile(config, user);
  const statements = async () =>
    (await roleGrants(admin, platformDatabase, role)).map(([table, tableRights]) =>
      grantStatement(platformDatabase, table, tableRights, user, config.host),
    );
  if (config.mode === 'given') {
    if (!existsSync(file)) {
      throw new Error(
        `No password for database user ${user} in ${file}: with DEPARTMENT_DB_USERS=given, create ` +
          `the user of ${role.title}, put its password there, and grant it these rights and no ` +
          `more:\nCREATE USER ${sqlText(user)}@${sqlText(config.host)} IDENTIFIED BY '…';\n` +
          (await statements()).join('\n'),
      );
    }
  } else {
    if (!existsSync(file)) {
      mkdirSync(config.secretsDir, { recursive: true });
      writeFileSync(file, randomPassword(), { mode: 0o600 });
    }
    const password = readFileSync(file, 'utf8').trim();
    await admin.raw('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [user, config.host, password]);
    await admin.raw('ALTER USER ?@? IDENTIFIED BY ?', [user, config.host, password]);
    await grantRights(admin, platformDatabase, role, config.host);
  }
  const grantsOf = async () => {
    const [rows] = (await admin.raw('SHOW GRANTS FOR ?@?', [user, config.host])) as [
      Record<string, string>[],
      unknown,
    ];
    return rows.map((row) => Object.values(row)[0] ?? '');
  };
  let beyond = rightsBeyond(await grantsOf(), platformDatabase, rights);
  if (config.mode !== 'given' && beyond.length > 0) {
    // Rights an earlier version granted (UPDATE of a whole table where now of some columns).
    for (const excess of excessTableRights(beyond, platformDatabase, rights)) {
      await admin.raw(`REVOKE ${excess.rights.join(', ')} ON ??.?? FROM ?@?`, [
        platformDatabase,
        excess.table,
        user,
        config.host,
      ]);
    }
    // MariaDB's REVOKE of a table's UPDATE takes its columns' UPDATE with it.
    await grantRights(admin, platformDatabase, role, config.host);
    beyond = rightsBeyond(await grantsOf(), platformDatabase, rights);
  }
  if (beyond.length > 0) {
    throw new Error(
      `Database user ${user} has rights beyond ${role.title}'s (${beyond[0]}); revoke them before starting.`,
    );
  }
  const missing = rightsMissing(
    await grantsOf(),
    platformDatabase,
    await roleGrants(admin, platformDatabase, role),
    user,
    config.host,
  );
  if (missing.length > 0) {
    throw new Error(
      `Database user ${user} lacks rights ${role.title} needs; grant them:\n${missing.join('\n')}`,
    );
  }
  return { user, password: readFileSync(file, 'utf8').trim() };
}

/** `ensurePlatformRoleUser` for a department's host. */
export function ensurePlatformHostUser(
  admin: Knex,
  platformDatabase: string,
  department: string,
  config: DepartmentUsersConfig,
): Promise<DepartmentCredentials> {
  return ensurePlatformRoleUser(
    admin,
    platformDatabase,
    platformHostRole(platformDatabase, department),
    config,
  );
}

/**
 * The rights `role` is to hold in `platformDatabase`, table by table: those
 * it names, and on every other table there now (`ANY_OTHER_TABLE`) what that
 * gives; the migrations job grants a table a later migration adds as it
 * prepares again.
 */
async function roleGrants(
  admin: Knex,
  platformDatabase: string,
  role: PlatformRole,
): Promise<[string, readonly Right[]][]> {
  const grants = Object.entries(role.rights).filter(([table]) => table !== ANY_OTHER_TABLE);
  const others = role.rights[ANY_OTHER_TABLE];
  if (others) {
    const [rows] = (await admin.raw(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ?',
      [platformDatabase],
    )) as [{ name: string }[]];
    for (const { name } of rows) if (!(name in role.rights)) grants.push([name, others]);
  }
  return grants;
}

async function grantRights(
  admin: Knex,
  platformDatabase: string,
  role: PlatformRole,
  host: string,
): Promise<void> {
  for (const [table, rights] of await roleGrants(admin, platformDatabase, role)) {
    await admin.raw(`GRANT ${rights.join(', ')} ON ??.?? TO ?@?`, [
      platformDatabase,
      table,
      role.user,
      host,
    ]);
  }
}

/** `GRANT … ON db.table TO 'user'@'host';`, quoted as MySQL reads it: what an operator runs. */
function grantStatement(
  platformDatabase: string,
  table: string,
  rights: readonly string[],
  user: string,
  host: string,
): string {
  const name = (identifier: string) => `\`${identifier.replace(/`/g, '``')}\``;
  return `GRANT ${rights.join(', ')} ON ${name(platformDatabase)}.${name(table)} TO ${sqlText(user)}@${sqlText(host)};`;
}

/** A string as SQL quotes it. */
function sqlText(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * What of `required` (table by table) `grants` (SHOW GRANTS lines) do not
 * give in `platformDatabase`, as the GRANT statements that would.
 */
function rightsMissing(
  grants: readonly string[],
  platformDatabase: string,
  required: readonly [string, readonly Right[]][],
  user: string,
  host: string,
): string[] {
  const held = new Map<string, string[]>();
  for (const grant of grants) {
    const parsed = tableGrant(grant.replace(/\s+IDENTIFIED BY .*$/i, '').trim());
    if (parsed?.database !== platformDatabase) continue;
    held.set(parsed.table, [...(held.get(parsed.table) ?? []), ...parsed.rights]);
  }
  return required.flatMap(([table, rights]) => {
    const missing = rights.filter((r) => !rightWithin(r, held.get(table) ?? []));
    return missing.length > 0 ? [grantStatement(platformDatabase, table, missing, user, host)] : [];
  });
}

/** What `rights` allow on `table` of `platformDatabase`, or undefined for nothing (or a whole database). */
function allowedOn(
  rights: RoleRights,
  platformDatabase: string,
  grant: { database: string; table: string },
): readonly Right[] | undefined {
  if (grant.database !== platformDatabase || grant.table === ANY_OTHER_TABLE) return undefined;
  return rights[grant.table] ?? rights[ANY_OTHER_TABLE];
}

/**
 * The grants of the connection's own user that reach beyond `rights` in
 * `platformDatabase` (empty: it may do no more than the role), each as MySQL
 * states it, without any password. What cannot be read as a table grant (a
 * role, a proxy, a routine) counts as beyond.
 */
export async function platformRightsBeyond(
  db: Knex,
  platformDatabase: string,
  rights: RoleRights,
): Promise<string[]> {
  const [rows] = (await db.raw('SHOW GRANTS FOR CURRENT_USER()')) as [
    Record<string, string>[],
    unknown,
  ];
  return rightsBeyond(
    rows.map((row) => Object.values(row)[0] ?? ''),
    platformDatabase,
    rights,
  );
}

/** `grants` (SHOW GRANTS lines) that reach beyond `rights` in `platformDatabase`. */
export function rightsBeyond(
  grants: readonly string[],
  platformDatabase: string,
  rights: RoleRights,
): string[] {
  const beyond: string[] = [];
  for (const grant of grants) {
    const shown = grant.replace(/\s+IDENTIFIED BY .*$/i, '').trim();
    const parsed = tableGrant(shown);
    if (!parsed) {
      beyond.push(shown);
      continue;
    }
    const { database, table } = parsed;
    if (database === '*' && table === '*' && parsed.rights.every((r) => r === 'USAGE')) continue;
    // A grant on the whole database reaches the tables a role is kept from: beyond.
    const allowed = allowedOn(rights, platformDatabase, parsed);
    if (!allowed || !parsed.rights.every((r) => rightWithin(r, allowed))) beyond.push(shown);
  }
  return beyond;
}

/** The table-level rights of `beyond` (from `rightsBeyond`) the role may not hold, by table. */
function excessTableRights(
  beyond: readonly string[],
  platformDatabase: string,
  rights: RoleRights,
): { table: string; rights: string[] }[] {
  return beyond.flatMap((shown) => {
    const parsed = tableGrant(shown);
    const allowed = parsed ? allowedOn(rights, platformDatabase, parsed) : undefined;
    if (!parsed || !allowed) return [];
    const excess = parsed.rights.filter((r) => !r.includes('(') && !rightWithin(r, allowed));
    return excess.length > 0 ? [{ table: parsed.table, rights: excess }] : [];
  });
}

/** A SHOW GRANTS line on a table (or `*.*`), without grant option; null for anything else. */
function tableGrant(shown: string): { database: string; table: string; rights: string[] } | null {
  const parsed = /^GRANT (.+?) ON (?:TABLE )?(`(?:[^`]|``)+`|\*)\.(`(?:[^`]|``)+`|\*) TO /i.exec(
    shown,
  );
  if (!parsed || /WITH GRANT OPTION/i.test(shown)) return null;
  const [, list, database, table] = parsed as unknown as [string, string, string, string];
  return { database: unquote(database), table: unquote(table), rights: splitRights(list) };
}

/**
 * Whether `right` as shown (`UPDATE`, `UPDATE (\`calls\`)`) is within `allowed`:
 * a right on some columns is within the same right on the table or on at least
 * those columns; a right on the whole table only within the same.
 */
function rightWithin(right: string, allowed: readonly string[]): boolean {
  const shown = columnsOf(right);
  return allowed.some((a) => {
    const own = columnsOf(a);
    if (own.name !== shown.name) return false;
    if (!own.columns) return true;
    return shown.columns !== null && shown.columns.every((c) => own.columns!.includes(c));
  });
}

/** `UPDATE (\`a\`, b)` → UPDATE and [a, b]; `SELECT` → SELECT and null (the whole table). */
function columnsOf(right: string): { name: string; columns: string[] | null } {
  const match = /^([A-Z ]+?)\s*(?:\((.*)\))?$/i.exec(right.trim());
  if (!match) return { name: right, columns: null };
  const columns = match[2]
    ?.split(',')
    .map((c) => c.trim().replace(/^`|`$/g, '').toLowerCase())
    .filter((c) => c !== '');
  return { name: match[1]!.toUpperCase(), columns: columns ?? null };
}

/** `SELECT, INSERT (a, b), UPDATE` → its rights, upper case, columns kept with theirs. */
function splitRights(list: string): string[] {
  const rights: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of list) {
    if (c === '(') depth += 1;
    if (c === ')') depth -= 1;
    if (c === ',' && depth === 0) {
      rights.push(current.trim().toUpperCase());
      current = '';
    } else current += c;
  }
  rights.push(current.trim().toUpperCase());
  return rights;
}

function unquote(name: string): string {
  return name === '*' ? name : name.slice(1, -1).replace(/``/g, '`');
}

function randomPassword(): string {
  return randomBytes(24).toString('base64url');
}
