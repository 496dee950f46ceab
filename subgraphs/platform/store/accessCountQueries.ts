import type { Knex } from 'knex';

/** Accesses in one UTC hour, of one provider's dataset by one consumer, from the audit trail. */
export interface HourlyAccessCount {
  /** The UTC hour, as the first 13 characters of an ISO 8601 instant: 2026-11-30T16. */
  hour: string;
  providerDepartment: string;
  consumerDepartment: string | null;
  dataset: string;
  /** Distinct requests answered something of the dataset (ALLOWED, MASKED or PARTIAL). */
  served: number;
  /** Distinct requests a step of which was refused the whole dataset (DENIED). */
  denied: number;
  /** Records the consumer received. */
  records: number;
}

/**
 * ACCESS audit records of [fromInstant, toInstant) counted in SQL per UTC hour,
 * provider, consumer and dataset (or per hour and provider alone, with
 * `byConsumer` false): a page that charts who read what never fetches the
 * records themselves. Hours, not days, because the platform's civil day need
 * not start at a UTC midnight; the caller folds hours into its days. Instants
 * are stored as ISO 8601 text, so the hour is a prefix in every engine.
 */
export async function countAccessesByHour(
  db: Knex,
  filter: {
    department: string | null;
    fromInstant: string;
    toInstant: string;
    byConsumer: boolean;
  },
): Promise<HourlyAccessCount[]> {
  const groups = filter.byConsumer
    ? ['provider_department', 'consumer_department', 'dataset_code']
    : ['provider_department'];
  const rows = await db('audit_records')
    .where('kind', 'ACCESS')
    .whereNotNull('dataset_code')
    .whereNotNull('provider_department')
    .where('at', '>=', filter.fromInstant)
    .where('at', '<', filter.toInstant)
    .modify((q) => {
      if (filter.department !== null) void q.where('provider_department', filter.department);
    })
    .groupByRaw('substr(at, 1, 13)')
    .groupBy(groups)
    .select<
      {
        hour: string;
        provider_department: string;
        consumer_department?: string | null;
        dataset_code?: string;
        served: number | string;
        denied: number | string;
        records: number | string | null;
      }[]
    >(
      db.raw('substr(at, 1, 13) as hour'),
      'provider_department',
      ...(filter.byConsumer ? ['consumer_department', 'dataset_code'] : []),
      db.raw(
        "count(distinct case when decision in ('ALLOWED', 'MASKED', 'PARTIAL') then request_id end) as served",
      ),
      db.raw("count(distinct case when decision = 'DENIED' then request_id end) as denied"),
      db.raw('sum(record_count) as records'),
    );
  return rows.map((r) => ({
    hour: r.hour,
    providerDepartment: r.provider_department,
    consumerDepartment: r.consumer_department ?? null,
    dataset: r.dataset_code ?? '',
    served: Number(r.served),
    denied: Number(r.denied),
    records: Number(r.records ?? 0),
  }));
}

/** When an application or a data error report arrived, and whether and when it was answered. */
export interface ArrivalTimes {
  providerDepartment: string;
  arrivedAt: string;
  answeredAt: string | null;
  /** The civil day it was due (applications: the reply deadline). */
  deadline: string;
}

/** Applications submitted and data error reports made in [fromInstant, toInstant), every provider. */
export async function selectArrivals(
  db: Knex,
  fromInstant: string,
  toInstant: string,
): Promise<{ applications: ArrivalTimes[]; errorReports: ArrivalTimes[] }> {
  const [applications, reports] = await Promise.all([
    db('applications')
      .where('submitted_at', '>=', fromInstant)
      .where('submitted_at', '<', toInstant)
      .select<
        {
          provider_department: string;
          submitted_at: string;
          decided_at: string | null;
          status: string;
          deadline: string;
        }[]
      >('provider_department', 'submitted_at', 'decided_at', 'status', 'deadline'),
    db('error_reports')
      .where('reported_at', '>=', fromInstant)
      .where('reported_at', '<', toInstant)
      .select<
        {
          provider_department: string;
          reported_at: string;
          answered_at: string | null;
          deadline: string;
        }[]
      >('provider_department', 'reported_at', 'answered_at', 'deadline'),
  ]);
  return {
    applications: applications.map((a) => ({
      providerDepartment: a.provider_department,
      arrivedAt: a.submitted_at,
      // Withdrawn applications were not answered by the provider.
      answeredAt: a.status === 'APPROVED' || a.status === 'REJECTED' ? a.decided_at : null,
      deadline: a.deadline,
    })),
    errorReports: reports.map((r) => ({
      providerDepartment: r.provider_department,
      arrivedAt: r.reported_at,
      answeredAt: r.answered_at,
      deadline: r.deadline,
    })),
  };
}
