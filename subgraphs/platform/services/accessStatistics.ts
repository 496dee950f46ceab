import {
  badUserInput,
  civilDateIn,
  forbidden,
  isCalendarDate,
  startOfCivilDate,
} from '../../../schema/index.ts';
import { callerOf, hasRole, type PlatformContext } from '../api/PlatformContext.ts';
import { countAccessesInTime, selectArrivals, type AccessCountInTime } from '../store/index.ts';
import { dayStartsAt, daysBetween, periodOf, periodsBetween, type Interval } from './periods.ts';

/** Accesses to one dataset by one consumer in one period. */
export interface AccessCount {
  /** The period's first civil day (YYYY-MM-DD) in the platform's time zone. */
  period: string;
  consumerDepartment: string | null;
  dataset: string;
  served: number;
  denied: number;
  records: number;
}

/** One department's supervision figures in one period. */
export interface ScorecardPoint {
  department: string;
  period: string;
  served: number;
  denied: number;
  records: number;
  applicationsReceived: number;
  applicationsAnswered: number;
  applicationsAnsweredLate: number;
  errorReportsReceived: number;
  errorReportsAnswered: number;
}

/** The longest period a chart covers: a year by days, two years by weeks or months. */
const MAX_DAYS: Record<Interval, number> = { DAY: 366, WEEK: 731, MONTH: 731 };

/**
 * [from, to) checked, and its bounds as instants (the civil days begin in the
 * platform's zone), with the UTC time (HH:MM) every one of its civil days
 * begins at — null when that changes within the period (summer time).
 */
function periodBounds(ctx: PlatformContext, from: string, to: string, interval: Interval) {
  if (!isCalendarDate(from) || !isCalendarDate(to) || from >= to) {
    throw badUserInput(
      'from and to must be dates (YYYY-MM-DD), from before to; the period is [from, to).',
      isCalendarDate(from) && from >= to ? 'to' : 'from',
    );
  }
  const days = daysBetween(from, to);
  if (days > MAX_DAYS[interval]) {
    throw badUserInput(
      `A chart by ${interval.toLowerCase()} covers at most ${MAX_DAYS[interval]} days; ask for a shorter period or a longer interval.`,
      'to',
    );
  }
  const zone = ctx.settings.timeZone;
  return {
    fromInstant: startOfCivilDate(from, zone),
    toInstant: startOfCivilDate(to, zone),
    dayStartsAt: dayStartsAt(from, to, zone),
  };
}

/** The civil day, in the platform's zone, of an instant. */
function civilDayOf(ctx: PlatformContext, instant: string): string {
  return civilDateIn(new Date(instant), ctx.settings.timeZone);
}

/**
 * Who read `department`'s datasets: distinct requests served and denied, and
 * records received, per period, consumer and dataset, counted in SQL from the
 * audit trail (in stretches of a UTC day there, put on the platform's civil days here).
 * DEPT_IT sees its own department's; reviewers and admins any.
 */
export async function datasetAccessCounts(
  ctx: PlatformContext,
  department: string,
  from: string,
  to: string,
  interval: Interval,
): Promise<AccessCount[]> {
  if (!hasRole(ctx, 'REVIEWER', 'ADMIN') && callerOf(ctx).department !== department) {
    throw forbidden(
      `You are DEPT_IT of ${callerOf(ctx).department}; only reviewers and admins see who read another department's data.`,
      'REVIEWER or ADMIN',
    );
  }
  const bounds = periodBounds(ctx, from, to, interval);
  const stretches = await countAccessesInTime(ctx.db, {
    department,
    ...bounds,
    byConsumer: true,
  });
  const counts = new Map<string, AccessCount>();
  for (const row of stretches) {
    const period = periodOf(civilDayOf(ctx, row.at), interval);
    const key = JSON.stringify([period, row.consumerDepartment, row.dataset]);
    const count = counts.get(key) ?? {
      period,
      consumerDepartment: row.consumerDepartment,
      dataset: row.dataset,
      served: 0,
      denied: 0,
      records: 0,
    };
    add(count, row);
    counts.set(key, count);
  }
  return [...counts.values()].sort(
    (a, b) =>
      a.period.localeCompare(b.period) ||
      String(a.consumerDepartment).localeCompare(String(b.consumerDepartment)) ||
      a.dataset.localeCompare(b.dataset),
  );
}

/**
 * Every providing department's figures per period of [from, to): accesses
 * (from the audit trail, counted in SQL), applications received, answered and
 * answered late, data error reports received and answered. Every department
 * has a point in every period, zeros included, so charts line up.
 */
export async function scorecardTrend(
  ctx: PlatformContext,
  from: string,
  to: string,
  interval: Interval,
): Promise<ScorecardPoint[]> {
  const bounds = periodBounds(ctx, from, to, interval);
  const [stretches, arrivals] = await Promise.all([
    countAccessesInTime(ctx.db, { department: null, ...bounds, byConsumer: false }),
    selectArrivals(ctx.db, bounds.fromInstant, bounds.toInstant),
  ]);
  const periods = periodsBetween(from, to, interval);
  const departments = ctx.catalogue.catalogue.departments.map((d) => d.code).sort();
  const points = new Map<string, ScorecardPoint>();
  for (const department of departments) {
    for (const period of periods) {
      points.set(`${department}\u0000${period}`, {
        department,
        period,
        served: 0,
        denied: 0,
        records: 0,
        applicationsReceived: 0,
        applicationsAnswered: 0,
        applicationsAnsweredLate: 0,
        errorReportsReceived: 0,
        errorReportsAnswered: 0,
      });
    }
  }
  const pointOf = (department: string, instant: string) =>
    points.get(`${department}\u0000${periodOf(civilDayOf(ctx, instant), interval)}`);
  for (const row of stretches) {
    const point = pointOf(row.providerDepartment, row.at);
    if (point) add(point, row);
  }
  for (const a of arrivals.applications) {
    const point = pointOf(a.providerDepartment, a.arrivedAt);
    if (!point) continue;
    point.applicationsReceived++;
    if (a.answeredAt !== null) {
      point.applicationsAnswered++;
      if (civilDateIn(new Date(a.answeredAt), ctx.settings.timeZone) > a.deadline)
        point.applicationsAnsweredLate++;
    }
  }
  for (const r of arrivals.errorReports) {
    const point = pointOf(r.providerDepartment, r.arrivedAt);
    if (!point) continue;
    point.errorReportsReceived++;
    if (r.answeredAt !== null) point.errorReportsAnswered++;
  }
  return [...points.values()];
}

function add(
  total: { served: number; denied: number; records: number },
  row: AccessCountInTime,
): void {
  total.served += row.served;
  total.denied += row.denied;
  total.records += row.records;
}
