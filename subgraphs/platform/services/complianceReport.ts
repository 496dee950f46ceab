import { badUserInput } from '../../../schema/index.ts';
import { actorOf, today, type PlatformContext } from '../api/PlatformContext.ts';
import {
  selectApplicationsReceived,
  selectComplianceThresholds,
  selectErrorReportsReceived,
  selectLatestQualityRuns,
  upsertComplianceThreshold,
  type QualityRun,
} from '../store/index.ts';
import { uncataloguedCollection } from './collectionDiscipline.ts';
import { departmentScorecard } from './scorecard.ts';

/**
 * The measures of a compliance report (合规报告), with the direction each is
 * judged in and the threshold used until an admin sets one.
 */
export const COMPLIANCE_MEASURES = {
  OVERDUE_CATALOGUE_UPDATES: { area: 'REGISTRATION', judged: 'AT_MOST', threshold: 0 },
  APPLICATIONS_ANSWERED_ON_TIME: { area: 'SHARING', judged: 'AT_LEAST', threshold: 0.9 },
  QUALITY_COMPLETENESS: { area: 'QUALITY', judged: 'AT_LEAST', threshold: 0.95 },
  QUALITY_VALIDITY: { area: 'QUALITY', judged: 'AT_LEAST', threshold: 0.95 },
  QUALITY_CONSISTENCY: { area: 'QUALITY', judged: 'AT_LEAST', threshold: 0.95 },
  QUALITY_TIMELINESS: { area: 'QUALITY', judged: 'AT_LEAST', threshold: 1 },
  ERROR_REPORTS_ANSWERED_ON_TIME: { area: 'ERROR_CORRECTION', judged: 'AT_LEAST', threshold: 0.9 },
  UNCATALOGUED_COLUMNS: { area: 'COLLECTION', judged: 'AT_MOST', threshold: 0 },
} as const;
export type ComplianceMeasure = keyof typeof COMPLIANCE_MEASURES;

/** PASS or FAIL against the threshold; NO_DATA when there was nothing to measure. */
export type Verdict = 'PASS' | 'FAIL' | 'NO_DATA';

export interface ComplianceFinding {
  measure: ComplianceMeasure;
  area: string;
  judged: 'AT_MOST' | 'AT_LEAST';
  value: number | null;
  threshold: number;
  verdict: Verdict;
  /** What the value was computed from, in words with the counts. */
  evidence: string;
}

export interface ComplianceReport {
  department: string;
  from: string;
  to: string;
  computedAt: string;
  /** FAIL when any finding fails; PASS otherwise. */
  verdict: 'PASS' | 'FAIL';
  findings: ComplianceFinding[];
}

/**
 * A department's compliance report for [from, to), the basis for accepting its
 * information projects and funding their operation: registration, sharing,
 * quality, error correction and collection, each judged against the threshold
 * in force with the counts behind it. Who may read it is who may read the
 * department's scorecard (its DEPT_IT, reviewers, admins).
 */
export async function complianceReport(
  ctx: PlatformContext,
  department: string,
  from: string,
  to: string,
): Promise<ComplianceReport> {
  const scorecard = await departmentScorecard(ctx, department, from, to);
  const period = { from, to };
  const day = today(ctx);
  const [applications, reports, runs, collection, thresholds] = await Promise.all([
    selectApplicationsReceived(ctx.db, department, period),
    selectErrorReportsReceived(ctx.db, department, period),
    selectLatestQualityRuns(ctx.db, department),
    uncataloguedCollection(ctx, department),
    selectComplianceThresholds(ctx.db),
  ]);
  const judge = (measure: ComplianceMeasure, value: number | null, evidence: string) => {
    const { area, judged, threshold: fallback } = COMPLIANCE_MEASURES[measure];
    const threshold = thresholds.get(measure) ?? fallback;
    const passes =
      judged === 'AT_MOST' ? (v: number) => v <= threshold : (v: number) => v >= threshold;
    const verdict: Verdict = value === null ? 'NO_DATA' : passes(value) ? 'PASS' : 'FAIL';
    return { measure, area, judged, value, threshold, verdict, evidence };
  };
  const onTime = (items: { deadline: string; answeredOn: string | null }[], what: string) => {
    const due = items.filter((i) => i.answeredOn !== null || i.deadline < day);
    const kept = due.filter((i) => i.answeredOn !== null && i.answeredOn <= i.deadline).length;
    return {
      value: due.length === 0 ? null : kept / due.length,
      evidence: `${kept} of ${due.length} ${what} answered or due in the period were answered by their deadline (${items.length} received)`,
    };
  };
  const answeredApplications = onTime(
    applications.map((a) => ({
      deadline: a.deadline,
      answeredOn:
        a.decidedAt && (a.status === 'APPROVED' || a.status === 'REJECTED')
          ? a.decidedAt.slice(0, 10)
          : null,
    })),
    'applications',
  );
  const answeredReports = onTime(
    reports.map((r) => ({ deadline: r.deadline, answeredOn: r.answeredAt?.slice(0, 10) ?? null })),
    'data error reports',
  );
  const findings: ComplianceFinding[] = [
    judge(
      'OVERDUE_CATALOGUE_UPDATES',
      scorecard.catalogue.overdueUpdates,
      `${scorecard.catalogue.overdueUpdates} catalogue changes not registered within 10 working days` +
        (scorecard.catalogue.overdueDatasets.length > 0
          ? `: ${scorecard.catalogue.overdueDatasets.join(', ')}`
          : '') +
        `; ${scorecard.catalogue.datasetsRegistered} datasets registered`,
    ),
    judge(
      'APPLICATIONS_ANSWERED_ON_TIME',
      answeredApplications.value,
      `${answeredApplications.evidence}; ${scorecard.activeGrants} grants active`,
    ),
    ...(['completeness', 'validity', 'consistency', 'timeliness'] as const).map((m) =>
      qualityFinding(judge, m, runs),
    ),
    judge('ERROR_REPORTS_ANSWERED_ON_TIME', answeredReports.value, answeredReports.evidence),
    judge(
      'UNCATALOGUED_COLUMNS',
      collection.uncatalogued.length,
      collection.uncatalogued.length === 0
        ? `every table and column is catalogued or exempted (${collection.exemptions.length} exemptions in force)`
        : `not in the catalogue: ${collection.uncatalogued.map((u) => (u.column ? `${u.table}.${u.column}` : `${u.table} (whole table)`)).join(', ')}`,
    ),
  ];
  return {
    department,
    from,
    to,
    computedAt: ctx.now.toISOString(),
    verdict: findings.some((f) => f.verdict === 'FAIL') ? 'FAIL' : 'PASS',
    findings,
  };
}

function qualityFinding(
  judge: (m: ComplianceMeasure, value: number | null, evidence: string) => ComplianceFinding,
  measure: 'completeness' | 'validity' | 'consistency' | 'timeliness',
  runs: readonly QualityRun[],
): ComplianceFinding {
  const passed = runs.reduce((sum, r) => sum + r[measure].passed, 0);
  const checked = runs.reduce((sum, r) => sum + r[measure].checked, 0);
  const code = `QUALITY_${measure.toUpperCase()}` as ComplianceMeasure;
  const per = runs
    .filter((r) => r[measure].checked > 0)
    .map(
      (r) =>
        `${r.dataset} ${r[measure].passed}/${r[measure].checked} (run ${r.id} at ${r.finishedAt})`,
    );
  return judge(
    code,
    checked === 0 ? null : passed / checked,
    checked === 0
      ? `no ${measure} measured by the latest inspections (${runs.length} datasets inspected)`
      : `${passed} of ${checked} in the latest inspection of each dataset: ${per.join('; ')}`,
  );
}

/** An admin sets the threshold of one measure: a share from 0 to 1, or a count. */
export async function setComplianceThreshold(
  ctx: PlatformContext,
  measure: string,
  threshold: number,
): Promise<{ measure: ComplianceMeasure; threshold: number }> {
  if (!(measure in COMPLIANCE_MEASURES))
    throw badUserInput(
      `measure must be one of ${Object.keys(COMPLIANCE_MEASURES).join(', ')}.`,
      'measure',
    );
  const known = measure as ComplianceMeasure;
  const isCount = COMPLIANCE_MEASURES[known].judged === 'AT_MOST';
  if (
    !Number.isFinite(threshold) ||
    threshold < 0 ||
    (isCount ? !Number.isInteger(threshold) : threshold > 1)
  )
    throw badUserInput(
      isCount
        ? `${measure} counts: give a whole number from 0.`
        : `${measure} is a share: give a number from 0 to 1.`,
      'threshold',
    );
  await upsertComplianceThreshold(ctx.db, known, threshold, actorOf(ctx), ctx.now.toISOString());
  return { measure: known, threshold };
}
