import type { Knex } from 'knex';

/**
 * Of `recordKeys`, those for which `reporterDepartment` already reported an
 * error in `item` of `dataset`, whatever the answer: a mismatch found again by
 * the next inspection is not reported twice.
 */
export async function selectReportedRecordKeys(
  db: Knex,
  filter: { dataset: string; item: string; reporterDepartment: string },
  recordKeys: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < recordKeys.length; i += 500) {
    const rows = (await db('error_reports')
      .select('record_key')
      .where({
        dataset_code: filter.dataset,
        item: filter.item,
        reporter_department: filter.reporterDepartment,
      })
      .whereIn('record_key', recordKeys.slice(i, i + 500))) as { record_key: string }[];
    for (const r of rows) found.add(r.record_key);
  }
  return found;
}
