import type { Knex } from 'knex';
import type { AccessRequestCount, Period } from './scorecardQueries.ts';

/** What consumers of one linked platform received of one dataset, in distinct requests. */
export interface OtherLevelAccessCount extends AccessRequestCount {
  /** The linked platform the consumers belong to (its code). */
  platform: string;
}

/** Decisions that answered the caller something (as `countAccessRequests` counts them). */
const ANSWERED = ['ALLOWED', 'MASKED', 'PARTIAL'];

/**
 * ACCESS records on `department`'s datasets in the period whose consumer came
 * over a link: this platform's gateway recorded such a consumer as
 * `<platform>:<department>`, the platform taken from the verified link token
 * (a bearer token or API key names a plain department, which has no colon).
 * Counted as `countAccessRequests` counts, per (consumer platform, dataset):
 * distinct requests of this platform (the owner's request ids), served,
 * masked, partial or denied. Only platforms in `linkedPlatforms` count, so a
 * record can never be credited to a platform this one was never linked with.
 */
export async function countOtherLevelAccesses(
  db: Knex,
  department: string,
  period: Period,
  linkedPlatforms: readonly string[],
): Promise<OtherLevelAccessCount[]> {
  if (linkedPlatforms.length === 0) return [];
  const answered = ANSWERED.map(() => '?').join(', ');
  const perRequest = db('audit_records')
    .where('kind', 'ACCESS')
    .where('provider_department', department)
    .whereNotNull('dataset_code')
    .where('at', '>=', period.from)
    .where('at', '<', period.to)
    .where('consumer_department', 'like', '%:%')
    .groupBy('consumer_department', 'dataset_code', 'request_id')
    .select(
      'consumer_department',
      'dataset_code',
      db.raw(`max(case when decision in (${answered}) then 1 else 0 end) as answered`, ANSWERED),
      db.raw(`max(case when decision in ('PARTIAL', 'DENIED') then 1 else 0 end) as refused`),
      db.raw(
        `max(case when decision = 'MASKED' or (decision = 'PARTIAL' and items_masked <> '[]') then 1 else 0 end) as masked`,
      ),
    )
    .as('r');
  const rows = await db.from(perRequest).groupBy('consumer_department', 'dataset_code').select<
    {
      consumer_department: string;
      dataset_code: string;
      served: number | string | null;
      masked: number | string | null;
      partial: number | string | null;
      denied: number | string | null;
    }[]
  >('consumer_department', 'dataset_code', db.raw('sum(answered) as served'), db.raw('sum(case when answered = 1 and masked = 1 then 1 else 0 end) as masked'), db.raw('sum(case when answered = 1 and refused = 1 then 1 else 0 end) as partial'), db.raw('sum(case when answered = 0 and refused = 1 then 1 else 0 end) as denied'));
  // Several consumer departments of one platform add up per (platform, dataset).
  const counts = new Map<string, OtherLevelAccessCount>();
  for (const row of rows) {
    const platform = row.consumer_department.slice(0, row.consumer_department.indexOf(':'));
    if (!linkedPlatforms.includes(platform)) continue;
    const key = `${platform}\u0000${row.dataset_code}`;
    const count = counts.get(key) ?? {
      platform,
      dataset: row.dataset_code,
      served: 0,
      masked: 0,
      partial: 0,
      denied: 0,
    };
    count.served += Number(row.served ?? 0);
    count.masked += Number(row.masked ?? 0);
    count.partial += Number(row.partial ?? 0);
    count.denied += Number(row.denied ?? 0);
    counts.set(key, count);
  }
  return [...counts.values()].sort(
    (a, b) => a.platform.localeCompare(b.platform) || a.dataset.localeCompare(b.dataset),
  );
}
