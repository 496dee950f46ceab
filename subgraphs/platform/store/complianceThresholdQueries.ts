import type { Knex } from 'knex';

/** The thresholds an admin has set, by measure. */
export async function selectComplianceThresholds(db: Knex): Promise<Map<string, number>> {
  const rows = await db<{ measure: string; threshold: number }>('compliance_thresholds').select(
    'measure',
    'threshold',
  );
  return new Map(rows.map((r) => [r.measure, Number(r.threshold)]));
}

export async function upsertComplianceThreshold(
  db: Knex,
  measure: string,
  threshold: number,
  by: string,
  at: string,
): Promise<void> {
  await db('compliance_thresholds')
    .insert({ measure, threshold, set_by: by, set_at: at })
    .onConflict('measure')
    .merge(['threshold', 'set_by', 'set_at']);
}
