import type { Knex } from 'knex';
import type { ExportManifest, ExportPlan, ExportRecord } from './ExportRecord.ts';

interface ExportRow {
  id: string;
  consumer_department: string;
  consumer_application: string | null;
  dataset_code: string;
  provider_department: string;
  plan: string;
  started_at: string;
  completed_at: string | null;
  charged: number;
  manifest: string | null;
}

function fromRow(row: ExportRow): ExportRecord {
  return {
    id: row.id,
    consumerDepartment: row.consumer_department,
    consumerApplication: row.consumer_application,
    datasetCode: row.dataset_code,
    providerDepartment: row.provider_department,
    plan: JSON.parse(row.plan) as ExportPlan,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    charged: Number(row.charged),
    manifest: row.manifest ? (JSON.parse(row.manifest) as ExportManifest) : null,
  };
}

export async function insertExport(
  db: Knex,
  record: Omit<ExportRecord, 'completedAt' | 'charged' | 'manifest'>,
): Promise<void> {
  await db('exports').insert({
    id: record.id,
    consumer_department: record.consumerDepartment,
    consumer_application: record.consumerApplication,
    dataset_code: record.datasetCode,
    provider_department: record.providerDepartment,
    plan: JSON.stringify(record.plan),
    started_at: record.startedAt,
    completed_at: null,
    charged: 0,
    manifest: null,
  });
}

export async function selectExport(db: Knex, id: string): Promise<ExportRecord | undefined> {
  const row = (await db('exports').where({ id }).first()) as ExportRow | undefined;
  return row ? fromRow(row) : undefined;
}

/**
 * Claims the export's records up to ordinal `through` for counting against the
 * quotas and returns how far they had been claimed before (records up to that
 * are counted already). Compare-and-set, so two deliveries of one export — a
 * broken one still draining and its resumption — never count a record twice.
 */
export async function claimExportRecords(db: Knex, id: string, through: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const rows: { charged: number | string }[] = await db('exports')
      .where({ id })
      .select('charged');
    const claimed = Number(rows[0]?.charged ?? 0);
    if (claimed >= through) return claimed;
    const changed = await db('exports')
      .where({ id, charged: claimed })
      .update({ charged: through });
    if (changed === 1) return claimed;
  }
  throw new Error(`export ${id} is contended; try again`);
}

/**
 * What a resumption of export `id` may send again without counting: the
 * records a broken delivery sent (and counted) past what the consumer holds,
 * each once. Returns how far records had been counted (`charged`) and how far
 * they had had their free re-sending already (`resent`): records from
 * `resent` (or from what the consumer holds, if further) up to `charged` are
 * this resumption's to send uncounted; the rest it counts. Marks them taken at
 * once, compare-and-set, so a second resumption — or the same claim of holding
 * nothing, made again — counts what it sends: a consumer that kept what it was
 * sent cannot have it sent again for nothing more than once.
 */
export async function takeResending(
  db: Knex,
  id: string,
): Promise<{ charged: number; resent: number }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const rows: { charged: number | string; resent: number | string }[] = await db('exports')
      .where({ id })
      .select('charged', 'resent');
    const charged = Number(rows[0]?.charged ?? 0);
    const resent = Number(rows[0]?.resent ?? 0);
    if (resent >= charged) return { charged, resent };
    const changed = await db('exports').where({ id, charged, resent }).update({ resent: charged });
    if (changed === 1) return { charged, resent };
  }
  throw new Error(`export ${id} is contended; try again`);
}

/** Gives back a claim the quotas did not cover: records after `to` were not counted after all. */
export async function releaseExportRecords(
  db: Knex,
  id: string,
  claimed: number,
  to: number,
): Promise<void> {
  await db('exports').where({ id, charged: claimed }).update({ charged: to });
}

/** Stores the manifest of the export's latest delivery; complete ones with their completion time. */
export async function updateExportManifest(
  db: Knex,
  id: string,
  manifest: ExportManifest,
): Promise<void> {
  await db('exports')
    .where({ id })
    .update({ manifest: JSON.stringify(manifest), completed_at: manifest.completedAt });
}
