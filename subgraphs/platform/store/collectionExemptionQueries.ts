import type { Knex } from 'knex';

/** A reviewer's exemption of temporary collection from the uncatalogued list, until a day. */
export interface CollectionExemption {
  id: string;
  department: string;
  table: string;
  /** Null: the whole table. */
  column: string | null;
  reason: string;
  expiresOn: string;
  grantedBy: string;
  grantedAt: string;
}

type Row = Record<string, unknown>;
const table = (db: Knex) => db<Row>('collection_exemptions');

export async function insertCollectionExemption(db: Knex, e: CollectionExemption): Promise<void> {
  await table(db).insert({
    id: e.id,
    department: e.department,
    table_name: e.table,
    column_name: e.column ?? '',
    reason: e.reason,
    expires_on: e.expiresOn,
    granted_by: e.grantedBy,
    granted_at: e.grantedAt,
  });
}

/** A department's exemptions still in force on `day` (they expire after their last day). */
export async function selectCollectionExemptions(
  db: Knex,
  department: string,
  day: string,
): Promise<CollectionExemption[]> {
  const rows = await table(db)
    .where({ department })
    .where('expires_on', '>=', day)
    .orderBy(['table_name', 'column_name']);
  return rows.map((r) => ({
    id: String(r.id),
    department: String(r.department),
    table: String(r.table_name),
    column: r.column_name === '' ? null : String(r.column_name),
    reason: String(r.reason),
    expiresOn: String(r.expires_on),
    grantedBy: String(r.granted_by),
    grantedAt: String(r.granted_at),
  }));
}
