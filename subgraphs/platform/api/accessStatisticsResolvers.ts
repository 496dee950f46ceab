import { datasetAccessCounts, scorecardTrend } from '../services/accessStatistics.ts';
import type { Interval } from '../services/periods.ts';
import type { PlatformContext } from './PlatformContext.ts';

type Args = Record<string, unknown>;

/** The resolvers of ACCESS_STATISTICS_TYPE_DEFS, merged into the platform's. */
export const accessStatisticsResolvers = {
  Query: {
    datasetAccessCounts: (_: unknown, args: Args, ctx: PlatformContext) =>
      datasetAccessCounts(
        ctx,
        args.department as string,
        args.from as string,
        args.to as string,
        args.interval as Interval,
      ),
    scorecardTrend: (_: unknown, args: Args, ctx: PlatformContext) =>
      scorecardTrend(ctx, args.from as string, args.to as string, args.interval as Interval),
  },
};
