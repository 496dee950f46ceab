import type { Knex } from 'knex';
import type { Grant } from './Grant.ts';
import { inTransaction } from '../database/inTransaction.ts';
import { recordPolicyChanges } from './policyChangeQueries.ts';

interface GrantRow {
  id: string;
  consumer_department: string;
  consumer_application: string | null;
  dataset_code: string;
  items: string;
  masks: string;
  row_filter: string | null;
  purposes: string;
  modes: string;
  valid_from: string;
  valid_until: string;
  daily_quota: number | null;
  verify_limit_per_record: number | null;
  status: string;
  revoked_at: string | null;
  revoked_by: string | null;
  revoked_reason: string | null;
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
}

function fromRow(row: GrantRow): Grant {
  return {
    id: row.id,
    consumerDepartment: row.consumer_department,
    consumerApplication: row.consumer_application,
    datasetCode: row.dataset_code,
    items: JSON.parse(row.items) as Grant['items'],
    masks: JSON.parse(row.masks) as Grant['masks'],
    rowFilter: row.row_filter ? (JSON.parse(row.row_filter) as Grant['rowFilter']) : null,
    purposes: JSON.parse(row.purposes) as Grant['purposes'],
    modes: JSON.parse(row.modes) as Grant['modes'],
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    dailyQuota: row.daily_quota === null ? null : Number(row.daily_quota),
    verifyLimitPerRecord:
      row.verify_limit_per_record === null || row.verify_limit_per_record === undefined
        ? null
        : Number(row.verify_limit_per_record),
    status: row.status as Grant['status'],
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
    revokedReason: row.revoked_reason,
    version: Number(row.version),
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
  };
}

function toRow(grant: Grant): GrantRow {
  return {
    id: grant.id,
    consumer_department: grant.consumerDepartment,
    consumer_application: grant.consumerApplication,
    dataset_code: grant.datasetCode,
    items: JSON.stringify(grant.items),
    masks: JSON.stringify(grant.masks),
    row_filter: grant.rowFilter ? JSON.stringify(grant.rowFilter) : null,
    purposes: JSON.stringify(grant.purposes),
    modes: JSON.stringify(grant.modes),
    valid_from: grant.validFrom,
    valid_until: grant.validUntil,
    daily_quota: grant.dailyQuota,
    verify_limit_per_record: grant.verifyLimitPerRecord,
    status: grant.status,
    revoked_at: grant.revokedAt,
    revoked_by: grant.revokedBy,
    revoked_reason: grant.revokedReason,
    version: grant.version,
    created_at: grant.createdAt,
    created_by: grant.createdBy,
    updated_at: grant.updatedAt,
  };
}

/** Every grant (active and revoked), for the rules' snapshot. */
export async function selectGrants(db: Knex): Promise<Grant[]> {
  const rows = (await db('grants').select('*').orderBy('id')) as GrantRow[];
  return rows.map(fromRow);
}

/** Which grants a list shows: those a department holds or provides, filters, and a page. */
export interface GrantListFilter {
  /** Grants held by this department or on `providedDatasets`; null: every grant. */
  visibleTo: { department: string; providedDatasets: readonly string[] } | null;
  dataset?: string | null;
  consumerDepartment?: string | null;
  status?: Grant['status'] | null;
  offset: number;
  /** null: every grant from `offset`. */
  limit: number | null;
}

/** One page of the grants a list shows, in id order, filtered and paged in SQL. */
export async function selectGrantList(db: Knex, filter: GrantListFilter): Promise<Grant[]> {
  const query = db('grants').select('*').orderBy('id');
  const { visibleTo } = filter;
  if (visibleTo) {
    void query.where((q) => {
      void q.where('consumer_department', visibleTo.department);
      if (visibleTo.providedDatasets.length > 0)
        void q.orWhereIn('dataset_code', visibleTo.providedDatasets as string[]);
    });
  }
  if (filter.dataset) void query.where('dataset_code', filter.dataset);
  if (filter.consumerDepartment) void query.where('consumer_department', filter.consumerDepartment);
  if (filter.status) void query.where('status', filter.status);
  if (filter.limit !== null) void query.limit(filter.limit);
  if (filter.offset > 0) void query.offset(filter.offset);
  return ((await query) as GrantRow[]).map(fromRow);
}

export async function selectGrant(db: Knex, id: string): Promise<Grant | undefined> {
  const row = (await db('grants').where({ id }).first()) as GrantRow | undefined;
  return row ? fromRow(row) : undefined;
}

/** Most ids one `IN (...)` list carries. */
const ID_BATCH = 500;

/** The grants with these ids that exist (a missing id was deleted). */
export async function selectGrantsById(db: Knex, ids: readonly string[]): Promise<Grant[]> {
  const grants: Grant[] = [];
  for (let start = 0; start < ids.length; start += ID_BATCH) {
    const rows = (await db('grants')
      .whereIn('id', ids.slice(start, start + ID_BATCH))
      .select('*')) as GrantRow[];
    grants.push(...rows.map(fromRow));
  }
  return grants;
}

/**
 * Every write to `grants` goes through the functions below: each logs the
 * change (`recordPolicyChanges`) in its transaction, which is how replicas'
 * incremental reloads learn of it.
 */
export async function insertGrant(db: Knex, grant: Grant): Promise<void> {
  await insertGrants(db, [grant]);
}

/** Inserts many grants in one transaction (seeds, benchmarks). */
export async function insertGrants(db: Knex, grants: readonly Grant[]): Promise<void> {
  if (grants.length === 0) return;
  await inTransaction(db, async (trx) => {
    await recordPolicyChanges(
      trx,
      'grant',
      grants.map((g) => g.id),
    );
    // 21 columns a row: 40 rows stay far below SQLite's bound on values a statement.
    for (let start = 0; start < grants.length; start += 40) {
      await trx('grants').insert(grants.slice(start, start + 40).map(toRow));
    }
  });
}

/** Deletes the grants with these ids (seeds and benchmarks replacing their own); returns how many. */
export async function deleteGrants(db: Knex, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  return inTransaction(db, async (trx) => {
    await recordPolicyChanges(trx, 'grant', ids);
    let deleted = 0;
    for (let start = 0; start < ids.length; start += ID_BATCH) {
      deleted += await trx('grants')
        .whereIn('id', ids.slice(start, start + ID_BATCH))
        .delete();
    }
    return deleted;
  });
}

/** Deletes every grant `createdBy` made (a seed clearing what it inserted); returns how many. */
export async function deleteGrantsCreatedBy(db: Knex, createdBy: string): Promise<number> {
  return inTransaction(db, async (trx) => {
    const ids = await trx<{ id: string; created_by: string }>('grants')
      .where('created_by', createdBy)
      .select('id');
    return deleteGrants(
      trx,
      ids.map((r) => r.id),
    );
  });
}

/**
 * Replaces a grant if it is still at `expectedVersion`; returns false when
 * someone changed it first (optimistic concurrency).
 */
export async function updateGrant(
  db: Knex,
  grant: Grant,
  expectedVersion: number,
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    await recordPolicyChanges(trx, 'grant', [grant.id]);
    const changed = await trx('grants')
      .where({ id: grant.id, version: expectedVersion })
      .update(toRow(grant));
    return changed === 1;
  });
}

/** Revokes a grant now; returns false if it was not active. */
export async function revokeGrant(
  db: Knex,
  id: string,
  by: string,
  reason: string,
  at: Date = new Date(),
): Promise<boolean> {
  const now = at.toISOString();
  return inTransaction(db, async (trx) => {
    await recordPolicyChanges(trx, 'grant', [id], at);
    const changed = await trx('grants')
      .where({ id, status: 'ACTIVE' })
      .update({
        status: 'REVOKED',
        revoked_at: now,
        revoked_by: by,
        revoked_reason: reason,
        updated_at: now,
        version: trx.raw('version + 1'),
      });
    return changed === 1;
  });
}

/**
 * Takes up to `wanted` units (records returned, verifications) of `grantId`'s
 * quota for `day` and returns how many were taken: all of them while the quota
 * lasts, what remains when it runs out, then none. Atomic on both engines, so
 * replicas share one count and never hand out more than the quota together.
 * `spent` is called when no unit is left after the reservation (taken to the
 * last unit, or none to take): the grant's quota is used up for the day.
 */
export async function reserveGrantUnits(
  db: Knex,
  grantId: string,
  day: string,
  wanted: number,
  quota: number,
  spent?: () => void,
): Promise<number> {
  if (wanted <= 0) return 0;
  await db('grant_usage')
    .insert({ grant_id: grantId, day, calls: 0 })
    .onConflict(['grant_id', 'day'])
    .ignore();
  // The usual case in one conditional update: the whole amount fits, with a unit to spare.
  const whole = await db('grant_usage')
    .where({ grant_id: grantId, day })
    .andWhere(db.raw('calls + ? < ?', [wanted, quota]))
    .update({ calls: db.raw('calls + ?', [wanted]) });
  if (whole === 1) return wanted;
  // Near the end of the quota: take what remains, by compare-and-set on the count.
  for (let attempt = 0; attempt < 20; attempt++) {
    const row = await db<{ grant_id: string; day: string; calls: number }>('grant_usage')
      .where('grant_id', grantId)
      .andWhere('day', day)
      .first('calls');
    const used = Number(row?.calls ?? 0);
    const taken = Math.max(0, Math.min(wanted, quota - used));
    if (taken === 0) {
      spent?.();
      return 0;
    }
    const changed = await db('grant_usage')
      .where({ grant_id: grantId, day, calls: used })
      .update({ calls: used + taken });
    if (changed === 1) {
      if (used + taken >= quota) spent?.();
      return taken;
    }
  }
  throw new Error(`quota of grant ${grantId} is contended; try again`);
}

/** The units of each of `grantIds`' quotas used on `day` (absent: none). */
export async function grantUnitsUsed(
  db: Knex,
  grantIds: readonly string[],
  day: string,
): Promise<Map<string, number>> {
  if (grantIds.length === 0) return new Map();
  const rows = await db<{ grant_id: string; calls: number }>('grant_usage')
    .whereIn('grant_id', grantIds as string[])
    .andWhere('day', day)
    .select('grant_id', 'calls');
  return new Map(rows.map((r) => [r.grant_id, Number(r.calls)]));
}

/**
 * Takes one of the `limit` verifications a consumer may make of one record on
 * `day`: true while some are left, false once they are used up. One
 * conditional update, atomic on both engines, so concurrent verifications of a
 * record (aliases, replicas) can never pass the limit together.
 */
export async function takeRecordVerification(
  db: Knex,
  counter: DailyCounter,
  limit: number,
): Promise<boolean> {
  const key = counterKey(counter);
  await db('verification_usage')
    .insert({ ...key, verifications: 0 })
    .onConflict(['consumer_department', 'dataset_code', 'record_hash', 'day'])
    .ignore();
  const changed = await db('verification_usage')
    .where(key)
    .andWhere('verifications', '<', limit)
    .update({ verifications: db.raw('verifications + 1') });
  return changed === 1;
}

/** One consumer's daily counter on one dataset: a bucket of the usage table. */
export interface DailyCounter {
  consumerDepartment: string;
  datasetCode: string;
  /** What is counted: a record's hash for its verifications, PROBES for lookups that missed. */
  bucket: string;
  day: string;
}

/** The bucket of key probes: lookups and verifications by a key the caller cannot read. */
export const PROBES_BUCKET = '*probes';

function counterKey(counter: DailyCounter) {
  return {
    consumer_department: counter.consumerDepartment,
    dataset_code: counter.datasetCode,
    record_hash: counter.bucket,
    day: counter.day,
  };
}

/** The count of a daily counter (0 when nothing was counted yet). */
export async function readDailyUnits(db: Knex, counter: DailyCounter): Promise<number> {
  const row = await db<{ verifications: number }>('verification_usage')
    .where(counterKey(counter))
    .first('verifications');
  return Number(row?.verifications ?? 0);
}

/** Adds `count` to a daily counter, atomically on both engines. */
export async function addDailyUnits(db: Knex, counter: DailyCounter, count: number): Promise<void> {
  if (count <= 0) return;
  await db('verification_usage')
    .insert({ ...counterKey(counter), verifications: count })
    .onConflict(['consumer_department', 'dataset_code', 'record_hash', 'day'])
    .merge({ verifications: db.raw('verification_usage.verifications + ?', [count]) });
}
