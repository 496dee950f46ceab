import type { Knex } from 'knex';

/** Accesses in one stretch of time, of one provider's dataset by one consumer, from the audit trail. */
export interface AccessCountInTime {
  /** An instant inside the stretch (ISO 8601, UTC): every record counted lies on its civil day. */
  at: string;
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
 * ACCESS audit records of [fromInstant, toInstant) counted in SQL per stretch
 * of time, provider, consumer and dataset (or per stretch and provider alone,
 * with `byConsumer` false): a page that charts who read what never fetches the
 * records themselves. The platform's civil day need not begin at a UTC
 * midnight, so a stretch is the part of a UTC day before, or from,
 * `dayStartsAt` (HH:MM, the UTC time every civil day of the period begins at),
 * or, when civil days begin at different times in the period (a summer-time
 * change), a UTC hour. Instants are stored as ISO 8601 text, so both are
 * prefixes and text comparisons in every engine.
 */
export async function countAccessesInTime(
  db: Knex,
  filter: {
    department: string | null;
    fromInstant: string;
    toInstant: string;
    byConsumer: boolean;
    dayStartsAt: string | null;
  },
): Promise<AccessCountInTime[]> {
  const { dayStartsAt } = filter;
  const stretch =
    dayStartsAt === null
      ? [db.raw('substr(at, 1, 13) as utc_day'), db.raw("'' as from_day_start")]
      : [
          db.raw('substr(at, 1, 10) as utc_day'),
          db.raw("case when substr(at, 12, 5) >= ? then 'y' else '' end as from_day_start", [
            dayStartsAt,
          ]),
        ];
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
    // By the select's names: the same expressions, bound parameter included, in every engine.
    .groupBy(['utc_day', 'from_day_start', ...groups])
    .select<
      {
        utc_day: string;
        from_day_start: string;
        provider_department: string;
        consumer_department?: string | null;
        dataset_code?: string;
        served: number | string;
        denied: number | string;
        records: number | string | null;
      }[]
    >(
      ...stretch,
      'provider_department',
      ...(filter.byConsumer ? ['consumer_department', 'dataset_code'] : []),
      db.raw(
        "count(distinct case when decision in ('ALLOWED', 'MASKED', 'PARTIAL') then request_id end) as served",
      ),
      db.raw("count(distinct case when decision = 'DENIED' then request_id end) as denied"),
      db.raw('sum(record_count) as records'),
    );
  return rows.map((r) => ({
    at:
      dayStartsAt === null
        ? `${r.utc_day}:00:00.000Z`
        : `${r.utc_day}T${r.from_day_start ? dayStartsAt : '00:00'}:00.000Z`,
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
