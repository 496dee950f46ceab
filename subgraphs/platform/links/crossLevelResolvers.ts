import { conflict, forbidden } from '../../../schema/index.ts';
import {
  selectLinks,
  selectPlatformIdentity,
  type PlatformIdentity,
} from '../../../server/index.ts';
import type { CrossLevelContext } from './CrossLevelContext.ts';
import { crossLevelAuthority } from './crossLevelAuthority.ts';
import {
  administrator,
  changePlatformLink,
  describeThisPlatform,
  registerPlatformLink,
  supervisor,
  thisPlatformView,
} from './linkAdministration.ts';
import {
  applyToOtherLevel,
  otherLevelApplication,
  type OtherLevelApplicationInput,
} from './otherLevelApplications.ts';
import { searchDirectory } from './searchDirectory.ts';
import { readOtherLevel, type OtherLevelArgs } from './readOtherLevel.ts';

type Resolver<TArgs = Record<string, never>> = (
  parent: unknown,
  args: TArgs,
  ctx: CrossLevelContext,
) => unknown;

/** The cross-level subgraph's resolvers; `entityTypes` get `otherLevel`. */
export function crossLevelResolvers(entityTypes: readonly string[]) {
  const rotation = async (ctx: CrossLevelContext, step: () => void) => {
    administrator(ctx);
    const own = await selectPlatformIdentity(ctx.db);
    if (!own) throw conflict('Describe this platform first (describeThisPlatform).');
    try {
      step();
    } catch {
      throw conflict(
        'Prepare the next key first (prepareLinkKeyRotation), and register it at every linked platform.',
      );
    }
    return thisPlatformView(own, ctx);
  };
  const Query: Record<string, Resolver<never>> = {
    thisPlatform: async (_p, _a, ctx) => {
      administrator(ctx);
      const own = await selectPlatformIdentity(ctx.db);
      return own ? thisPlatformView(own, ctx) : null;
    },
    platformLinks: async (_p, _a, ctx) => {
      administrator(ctx);
      return selectLinks(ctx.db);
    },
    otherLevelApplication: (_p, args: { platform: string; id: string }, ctx) =>
      otherLevelApplication(ctx, args.platform, args.id),
    authorityConflicts: async (_p, _a, ctx) => {
      supervisor(ctx);
      return (await crossLevelAuthority(ctx.db, ctx.catalogue())).conflicts;
    },
    directory: (_p, args: { search?: string | null; platform?: string | null }, ctx) => {
      if (!ctx.identity.caller) throw forbidden('Sign in as a department to search the directory.');
      return searchDirectory(ctx, args.search ?? null, args.platform ?? null);
    },
  };
  const Mutation: Record<string, Resolver<never>> = {
    applyToOtherLevel: (_p, args: { platform: string; input: OtherLevelApplicationInput }, ctx) =>
      applyToOtherLevel(ctx, args.platform, args.input),
    describeThisPlatform: (_p, args: PlatformIdentity, ctx) => describeThisPlatform(args, ctx),
    registerPlatformLink: (_p, args: { link: Parameters<typeof registerPlatformLink>[0] }, ctx) =>
      registerPlatformLink(args.link, ctx),
    suspendPlatformLink: (_p, args: { code: string; reason: string }, ctx) =>
      changePlatformLink(args.code, { status: 'SUSPENDED', reason: args.reason }, ctx),
    resumePlatformLink: (_p, args: { code: string; reason: string }, ctx) =>
      changePlatformLink(args.code, { status: 'ACTIVE', reason: args.reason }, ctx),
    setPlatformLinkKeys: (_p, args: { code: string; publicKeys: string[]; reason: string }, ctx) =>
      changePlatformLink(args.code, { publicKeys: args.publicKeys, reason: args.reason }, ctx),
    prepareLinkKeyRotation: (_p, _a, ctx) => rotation(ctx, () => ctx.keys.prepare()),
    activateLinkKeyRotation: (_p, _a, ctx) => rotation(ctx, () => ctx.keys.activate()),
  };
  const entities = Object.fromEntries(
    entityTypes.map((type) => [
      type,
      {
        __resolveReference: (reference: { joinHandle: string }) => reference,
        otherLevel: (
          parent: { joinHandle: string },
          args: OtherLevelArgs,
          ctx: CrossLevelContext,
        ) => readOtherLevel(type, parent.joinHandle, args, ctx),
      },
    ]),
  );
  return { Query, Mutation, ...entities };
}
