import type { ApiKeyListing } from '../../../server/index.ts';
import {
  issueKey,
  listKeys,
  revokeKey,
  type ApiKeyInput,
} from '../services/apiKeyAdministration.ts';
import type { PlatformContext } from './PlatformContext.ts';
import { offsetPage } from './pageArguments.ts';

type Args = Record<string, unknown>;

/** A listed key as the API shows it. */
const keyView = (key: ApiKeyListing) => ({
  ...key,
  active:
    key.revokedAt === null && key.expiresAt !== null && Date.parse(key.expiresAt) > Date.now(),
});

/** The resolvers of API_KEY_TYPE_DEFS, merged into the platform's. */
export const apiKeyResolvers = {
  Query: {
    async apiKeys(_: unknown, args: Args, ctx: PlatformContext) {
      const page = offsetPage(args, 200);
      const department = (args.department as string | null | undefined) ?? null;
      return (await listKeys(ctx, department, page)).map(keyView);
    },
  },
  Mutation: {
    async issueApiKey(_: unknown, args: Args, ctx: PlatformContext) {
      const { secret, apiKey } = await issueKey(ctx, args.input as ApiKeyInput);
      return { secret, apiKey: keyView(apiKey) };
    },
    async revokeApiKey(_: unknown, args: Args, ctx: PlatformContext) {
      return keyView(await revokeKey(ctx, args.id as string));
    },
  },
};
