import type { Knex } from 'knex';
import type { EntryStatus, EntryVersion } from './EntryVersion.ts';

interface EntryRow {
  code: string;
  version: number;
  department: string;
  status: string;
  document: string;
  warnings: string;
  change_reason: string;
  trigger_date: string;
  deadline: string;
  created_by: string;
  created_at: string;
  submitted_by: string | null;
  submitted_at: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_reason: string | null;
  updated_at: string;
}

function fromRow(row: EntryRow): EntryVersion {
  return {
    code: row.code,
    version: Number(row.version),
    department: row.department,
    status: row.status as EntryStatus,
    document: JSON.parse(row.document) as unknown,
    warnings: JSON.parse(row.warnings) as string[],
    changeReason: row.change_reason,
    triggerDate: row.trigger_date,
    deadline: row.deadline,
    createdBy: row.created_by,
    createdAt: row.created_at,
    submittedBy: row.submitted_by,
    submittedAt: row.submitted_at,
    reviewedBy: row.reviewed_by,
    reviewedAt: row.reviewed_at,
    reviewReason: row.review_reason,
    updatedAt: row.updated_at,
  };
}

const table = (db: Knex) => db<EntryRow>('catalogue_entries');

/** The published version of every entry in force: the catalogue. */
export async function selectPublishedEntries(db: Knex): Promise<EntryVersion[]> {
  return (await table(db).where({ status: 'PUBLISHED' }).orderBy('code')).map(fromRow);
}

/** A cheap fingerprint of the published catalogue; it changes whenever an entry is published or retired. */
export async function selectCatalogueRevision(db: Knex): Promise<string> {
  const row: { n: number | string; at: string | null } | undefined = await db
    .from<EntryRow>('catalogue_entries')
    .whereIn('status', ['PUBLISHED', 'SUPERSEDED', 'RETIRED'])
    .first<{ n: number | string; at: string | null }>(
      db.raw('count(*) as n'),
      db.raw('max(updated_at) as at'),
    );
  return `${row?.n ?? 0}/${row?.at ?? ''}`;
}

export async function selectEntryVersions(db: Knex, code: string): Promise<EntryVersion[]> {
  return (await table(db).where({ code }).orderBy('version')).map(fromRow);
}

export async function selectEntryVersion(
  db: Knex,
  code: string,
  version: number,
): Promise<EntryVersion | undefined> {
  const row = await table(db).where({ code, version }).first();
  return row ? fromRow(row) : undefined;
}

/** Versions in any of `statuses`, optionally of one department, newest first. */
export async function selectEntriesByStatus(
  db: Knex,
  statuses: readonly EntryStatus[],
  department: string | null,
): Promise<EntryVersion[]> {
  const query = table(db).whereIn('status', statuses as EntryStatus[]);
  if (department) query.where({ department });
  return (await query.orderBy([{ column: 'updated_at', order: 'desc' }, 'code'])).map(fromRow);
}

export async function insertEntryVersion(db: Knex, entry: EntryVersion): Promise<void> {
  await table(db).insert({
    code: entry.code,
    version: entry.version,
    department: entry.department,
    status: entry.status,
    document: JSON.stringify(entry.document),
    warnings: JSON.stringify(entry.warnings),
    change_reason: entry.changeReason,
    trigger_date: entry.triggerDate,
    deadline: entry.deadline,
    created_by: entry.createdBy,
    created_at: entry.createdAt,
    submitted_by: entry.submittedBy,
    submitted_at: entry.submittedAt,
    reviewed_by: entry.reviewedBy,
    reviewed_at: entry.reviewedAt,
    review_reason: entry.reviewReason,
    updated_at: entry.updatedAt,
  });
}

export interface EntryTransition {
  to: EntryStatus;
  at: string;
  by: string;
  reason?: string | null;
  warnings?: string[];
  document?: unknown;
}

/**
 * Moves version `version` of `code` from `from` to the transition's status;
 * returns false (changing nothing) when it is not in `from`, so two reviewers
 * racing cannot both act.
 */
export async function transitionEntry(
  db: Knex,
  code: string,
  version: number,
  from: readonly EntryStatus[],
  change: EntryTransition,
): Promise<boolean> {
  const fields: Partial<EntryRow> = { status: change.to, updated_at: change.at };
  if (change.to === 'SUBMITTED')
    Object.assign(fields, { submitted_by: change.by, submitted_at: change.at });
  if (change.to === 'PUBLISHED' || change.to === 'REJECTED' || change.to === 'RETIRED') {
    Object.assign(fields, {
      reviewed_by: change.by,
      reviewed_at: change.at,
      review_reason: change.reason ?? null,
    });
  }
  if (change.warnings) fields.warnings = JSON.stringify(change.warnings);
  if (change.document !== undefined) fields.document = JSON.stringify(change.document);
  const changed = await table(db)
    .where({ code, version })
    .whereIn('status', from as EntryStatus[])
    .update(fields);
  return changed === 1;
}
