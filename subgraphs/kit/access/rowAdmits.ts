import type { RowFilter } from '../../../server/index.ts';

/**
 * Whether a record lies within a grant's row filter, decided on the record's
 * own values: the same conditions `applyFilter` puts in SQL (`eq`, `in`,
 * `startsWith`, compared as text). Used where several grants with different
 * filters apply to one request, to tell per record which of them admit it.
 * Stricter than SQL where the engines differ (LIKE ignores ASCII case in
 * SQLite): a record this refuses is served under no grant, never a wrong one.
 */
export function rowAdmits(
  filter: RowFilter | null,
  row: Readonly<Record<string, unknown>>,
): boolean {
  if (!filter) return true;
  for (const [name, condition] of Object.entries(filter)) {
    const value = row[name];
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      return false;
    }
    const text = String(value);
    if (condition.eq !== undefined && text !== String(condition.eq)) return false;
    if (condition.in !== undefined && !condition.in.some((v) => String(v) === text)) return false;
    if (condition.startsWith !== undefined && !text.startsWith(condition.startsWith)) return false;
  }
  return true;
}
