import { selectLinks } from '../../../server/index.ts';
import { countOtherLevelAccesses, type OtherLevelAccessCount } from '../store/index.ts';
import type { PlatformContext } from './PlatformContext.ts';

/** A platform's figures: the sum of its datasets', and each dataset's. */
function platformFigures(platform: string, counts: readonly OtherLevelAccessCount[]) {
  const sum = (pick: (c: OtherLevelAccessCount) => number) =>
    counts.reduce((total, c) => total + pick(c), 0);
  return {
    platform,
    served: sum((c) => c.served),
    masked: sum((c) => c.masked),
    partial: sum((c) => c.partial),
    denied: sum((c) => c.denied),
    byDataset: counts.map(({ dataset, served, masked, partial, denied }) => ({
      dataset,
      served,
      masked,
      partial,
      denied,
    })),
  };
}

/** The resolvers of OTHER_LEVEL_SCORE_TYPE_DEFS, merged into the platform's. */
export const otherLevelScoreResolvers = {
  Scorecard: {
    /** The scorecard's own resolver has checked the caller and the period. */
    async otherLevelAccesses(
      parent: { department: string; from: string; to: string },
      _: unknown,
      ctx: PlatformContext,
    ) {
      const links = (await selectLinks(ctx.db)).map((l) => l.code);
      const counts = await countOtherLevelAccesses(
        ctx.db,
        parent.department,
        { from: parent.from, to: parent.to },
        links,
      );
      return links
        .map((platform) => counts.filter((c) => c.platform === platform))
        .filter((ofPlatform) => ofPlatform.length > 0)
        .map((ofPlatform) => platformFigures(ofPlatform[0]!.platform, ofPlatform));
    },
  },
};
