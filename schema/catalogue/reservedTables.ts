/**
 * Tables of the platform database. A department's binding may never name one,
 * whatever engine or database it is on: a dataset over grants, API keys or the
 * audit trail would serve the platform's own secrets and records. The platform
 * also refuses a binding to any table its running database actually has (see
 * `checkBindingAgainstDatabase`), so a table added later is covered before this
 * list is updated.
 */
export const PLATFORM_TABLES: ReadonlySet<string> = new Set([
  'api_keys',
  'applications',
  'audit_attestation_start',
  'audit_chains',
  'audit_records',
  'catalogue_entries',
  'dataset_policies',
  'error_reports',
  'exports',
  'grant_changes',
  'grant_usage',
  'grants',
  'holidays',
  'policy_change_counter',
  'policy_changes',
  'rate_counters',
  'subgraph_versions',
  'verification_usage',
]);

/** Prefixes of the engines' and the migration tool's own tables (`sqlite_master`, `knex_migrations`). */
const SYSTEM_PREFIXES = ['sqlite_', 'knex_'];

/** Schemas MySQL and MariaDB keep their own catalogue in. */
const SYSTEM_SCHEMAS = new Set(['mysql', 'information_schema', 'performance_schema', 'sys']);

/**
 * Why `table` may not be bound, or null when it may. Compared without case:
 * SQLite and MySQL on some systems resolve table names case-insensitively, so
 * `API_KEYS` would reach `api_keys`.
 */
export function reservedTableReason(table: string): string | null {
  const name = table.toLowerCase();
  if (PLATFORM_TABLES.has(name))
    return `${table} is a platform table; a dataset binds a table of its department's own database`;
  if (SYSTEM_PREFIXES.some((prefix) => name.startsWith(prefix)))
    return `${table} is a table of the database engine or the migration tool, not a department's data`;
  if (SYSTEM_SCHEMAS.has(name)) return `${table} is the name of a system schema`;
  return null;
}
