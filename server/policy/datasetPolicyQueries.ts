import type { Knex } from 'knex';
import type { CatalogueEntry, SharingMode, SharingType } from '../../schema/index.ts';
import type { DatasetPolicy } from './Grant.ts';
import { inTransaction } from '../database/inTransaction.ts';
import { recordPolicyChanges } from './policyChangeQueries.ts';

interface DatasetPolicyRow {
  code: string;
  department: string;
  sharing_type: string;
  modes: string;
}

function fromRow(r: DatasetPolicyRow): DatasetPolicy {
  return {
    code: r.code,
    department: r.department,
    sharingType: r.sharing_type as SharingType,
    modes: JSON.parse(r.modes) as SharingMode[],
  };
}

export async function selectDatasetPolicies(db: Knex): Promise<DatasetPolicy[]> {
  const rows = await db<DatasetPolicyRow>('dataset_policies').select(
    'code',
    'department',
    'sharing_type',
    'modes',
  );
  return rows.map(fromRow);
}

/** The sharing decisions of these datasets that exist (a missing code was deleted). */
export async function selectDatasetPoliciesByCode(
  db: Knex,
  codes: readonly string[],
): Promise<DatasetPolicy[]> {
  const policies: DatasetPolicy[] = [];
  for (let start = 0; start < codes.length; start += 500) {
    const rows = await db<DatasetPolicyRow>('dataset_policies')
      .whereIn('code', codes.slice(start, start + 500))
      .select('code', 'department', 'sharing_type', 'modes');
    policies.push(...rows.map(fromRow));
  }
  return policies;
}

/** The department providing dataset `code`, or undefined when no sharing decision names it. */
export async function selectDatasetDepartment(db: Knex, code: string): Promise<string | undefined> {
  const rows: { department: string }[] = await db('dataset_policies')
    .where({ code })
    .select('department');
  return rows[0]?.department;
}

/**
 * Records the sharing decision of catalogue entries the policy table does not
 * know yet (first start, or a newly registered dataset). Decisions already in
 * force are left alone: they change through publishing or an admin.
 */
export async function insertMissingDatasetPolicies(
  db: Knex,
  entries: readonly CatalogueEntry[],
): Promise<number> {
  const known = new Set(
    (await db<{ code: string }>('dataset_policies').select('code')).map((r) => r.code),
  );
  const now = new Date().toISOString();
  const missing = entries
    .filter((e) => !known.has(e.code))
    .map((e) => ({
      code: e.code,
      department: e.department,
      sharing_type: e.sharing.type,
      modes: JSON.stringify(e.sharing.modes),
      updated_at: now,
      updated_by: 'catalogue',
    }));
  if (missing.length === 0) return 0;
  await inTransaction(db, async (trx) => {
    await recordPolicyChanges(
      trx,
      'dataset_policy',
      missing.map((m) => m.code),
    );
    // In batches: knex writes a multi-row insert on SQLite as a compound SELECT,
    // of at most 500 terms, binding at most 32,766 values (six a row here).
    for (let start = 0; start < missing.length; start += 100) {
      await trx('dataset_policies').insert(missing.slice(start, start + 100));
    }
  });
  return missing.length;
}

/** Changes the sharing type (and optionally modes) of a dataset. */
export async function updateDatasetPolicy(
  db: Knex,
  code: string,
  change: { sharingType: SharingType; modes?: SharingMode[] },
  by: string,
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    await recordPolicyChanges(trx, 'dataset_policy', [code]);
    const changed = await trx('dataset_policies')
      .where({ code })
      .update({
        sharing_type: change.sharingType,
        ...(change.modes ? { modes: JSON.stringify(change.modes) } : {}),
        updated_at: new Date().toISOString(),
        updated_by: by,
      });
    return changed === 1;
  });
}

/** Records the sharing decision of a newly published entry version, replacing the previous one. */
export async function upsertDatasetPolicy(
  db: Knex,
  policy: DatasetPolicy,
  by: string,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await recordPolicyChanges(trx, 'dataset_policy', [policy.code]);
    await trx('dataset_policies')
      .insert({
        code: policy.code,
        department: policy.department,
        sharing_type: policy.sharingType,
        modes: JSON.stringify(policy.modes),
        updated_at: new Date().toISOString(),
        updated_by: by,
      })
      .onConflict('code')
      .merge();
  });
}

/** Removes a retired dataset's sharing decision: nobody but its provider reads it. */
export async function deleteDatasetPolicy(db: Knex, code: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await recordPolicyChanges(trx, 'dataset_policy', [code]);
    await trx('dataset_policies').where({ code }).delete();
  });
}
