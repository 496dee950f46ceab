import { DATA_ELEMENTS } from '../../../schema/index.ts';
import { exemptCollection, uncataloguedCollection } from '../services/collectionDiscipline.ts';
import { complianceCsv, complianceHtml } from '../services/complianceDocument.ts';
import {
  complianceReport,
  setComplianceThreshold,
  type ComplianceReport,
} from '../services/complianceReport.ts';
import { inspectNow, qualityRuns } from '../services/qualityResults.ts';
import {
  authorizeServiceUnit,
  revokeServiceUnit,
  serviceUnitScorecard,
  visibleServiceUnitAuthorizations,
  type ServiceUnitInput,
} from '../services/serviceUnits.ts';
import { selectLatestQualityRuns, type QualityRun } from '../store/index.ts';
import type { PlatformContext } from './PlatformContext.ts';

type Args = Record<string, unknown>;

const rate = ({ passed, checked }: { passed: number; checked: number }) => ({
  passed,
  checked,
  rate: checked === 0 ? null : passed / checked,
});

/** A run as the API shows it: each measure with its rate. */
function runView(run: QualityRun) {
  return {
    ...run,
    completeness: rate(run.completeness),
    validity: rate(run.validity),
    consistency: rate(run.consistency),
    timeliness: rate(run.timeliness),
  };
}

/** The resolvers of QUALITY_TYPE_DEFS, merged into the platform's. */
export const qualityResolvers = {
  Query: {
    dataElements: () => DATA_ELEMENTS,
    async qualityRuns(_: unknown, args: Args, ctx: PlatformContext) {
      const runs = await qualityRuns(ctx, {
        dataset: args.dataset as string | null,
        department: args.department as string | null,
        first: args.first as number,
      });
      return runs.map(runView);
    },
    uncataloguedCollection: (_: unknown, args: Args, ctx: PlatformContext) =>
      uncataloguedCollection(ctx, args.department as string),
    complianceReport: (_: unknown, args: Args, ctx: PlatformContext) =>
      complianceReport(ctx, args.department as string, args.from as string, args.to as string),
    serviceUnitAuthorizations: (_: unknown, __: Args, ctx: PlatformContext) =>
      visibleServiceUnitAuthorizations(ctx),
    serviceUnitScorecard: (_: unknown, args: Args, ctx: PlatformContext) =>
      serviceUnitScorecard(ctx, args.unit as string, args.from as string, args.to as string),
  },
  Mutation: {
    async runQualityInspection(_: unknown, args: Args, ctx: PlatformContext) {
      return runView(await inspectNow(ctx, args.dataset as string));
    },
    exemptCollection: (_: unknown, args: Args, ctx: PlatformContext) =>
      exemptCollection(ctx, args.input as Parameters<typeof exemptCollection>[1]),
    setComplianceThreshold: (_: unknown, args: Args, ctx: PlatformContext) =>
      setComplianceThreshold(ctx, args.measure as string, args.threshold as number),
    authorizeServiceUnit: (_: unknown, args: Args, ctx: PlatformContext) =>
      authorizeServiceUnit(ctx, args.input as ServiceUnitInput),
    revokeServiceUnit: (_: unknown, args: Args, ctx: PlatformContext) =>
      revokeServiceUnit(ctx, args.id as string, args.reason as string),
  },
  Scorecard: {
    async quality(parent: { department: string }, _: Args, ctx: PlatformContext) {
      return (await selectLatestQualityRuns(ctx.db, parent.department)).map(runView);
    },
  },
  ComplianceReport: {
    csv: (report: ComplianceReport) => complianceCsv(report),
    html: (report: ComplianceReport) => complianceHtml(report),
  },
};
