import { GraphQLError } from 'graphql';
import { ErrorCode, forbidden, notFound } from '../../../schema/index.ts';
import {
  LINK_TOKEN_HEADER,
  selectLink,
  selectPlatformIdentity,
  signLinkToken,
  type Caller,
  type PlatformIdentity,
  type PlatformLink,
} from '../../../server/index.ts';
import type { CrossLevelContext } from './CrossLevelContext.ts';

/** How long the other platform has to answer. */
const OWNER_TIMEOUT_MS = 10_000;

/** A caller of this platform, this platform, and the active link it asks over. */
export interface LinkedAsk {
  caller: Caller;
  own: PlatformIdentity;
  link: PlatformLink;
}

export interface OwnerError {
  message?: string;
  extensions?: { code?: string; requestId?: string };
}

export interface OwnerResponse<TData> {
  data?: TData | null;
  errors?: OwnerError[];
}

/**
 * Who asks, over which link: a department of this platform (a linked
 * platform's consumer cannot relay to a third one), this platform described,
 * and a link its administrator registered and has not suspended.
 */
export async function linkedPlatformFor(
  ctx: CrossLevelContext,
  platform: string,
): Promise<LinkedAsk> {
  const caller = ctx.identity.caller;
  if (!caller) throw forbidden('Sign in as a department to use another level’s data.');
  if (caller.department.includes(':')) {
    throw forbidden('A linked platform’s consumer cannot relay a request to a third platform.');
  }
  const own = await selectPlatformIdentity(ctx.db);
  if (!own) {
    throw forbidden(
      'This platform is not described yet: an administrator must describe and link it.',
    );
  }
  const link = await selectLink(ctx.db, platform);
  if (!link) {
    throw notFound(
      `This platform has no link with ${platform}; see directory for linked platforms.`,
    );
  }
  if (link.status !== 'ACTIVE') {
    throw forbidden(`The link with ${link.code} is suspended by this platform's administrator.`);
  }
  return { caller, own, link };
}

/**
 * Sends one GraphQL operation to the owner platform's gateway for the caller,
 * under a link token for exactly this body, carrying the caller's purpose and
 * named grant and this request's id as the correlation id. The owner answers
 * as to any consumer of its own: `'<platform>:<department>'`.
 */
export async function askOwnerPlatform<TData>(
  ctx: CrossLevelContext,
  { caller, own, link }: LinkedAsk,
  operation: { query: string; variables: Record<string, unknown> },
  grantId: string | null,
): Promise<OwnerResponse<TData>> {
  const body = JSON.stringify(operation);
  const token = signLinkToken(
    {
      from: own.code,
      to: link.code,
      body,
      correlationId: ctx.identity.requestId,
      consumer: {
        department: caller.department,
        application: caller.application,
        user: caller.user,
        purpose: ctx.identity.purpose,
        grantId,
      },
    },
    ctx.keys.signingKey,
  );
  try {
    const response = await fetch(link.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [LINK_TOKEN_HEADER]: token },
      body,
      signal: AbortSignal.timeout(OWNER_TIMEOUT_MS),
    });
    return (await response.json()) as OwnerResponse<TData>;
  } catch {
    throw new GraphQLError(`The ${link.code} platform did not answer; try again later.`, {
      extensions: { code: ErrorCode.UNAVAILABLE, platform: link.code },
    });
  }
}

/** The owner's refusal, as the consumer meets it: the owner's code and reason, named as the owner's. */
export function ownerRefusal(
  link: PlatformLink,
  subject: Record<string, string>,
  refusal: OwnerError,
): GraphQLError {
  const code = refusal.extensions?.code;
  const linkRefused = code === ErrorCode.UNAUTHENTICATED;
  return new GraphQLError(
    `The ${link.code} platform ${linkRefused ? 'refused the link' : 'refused'}: ${refusal.message ?? 'no reason given'}`,
    {
      extensions: {
        code: linkRefused || typeof code !== 'string' ? ErrorCode.FORBIDDEN : code,
        platform: link.code,
        ...subject,
        ...(refusal.extensions?.requestId ? { ownerRequestId: refusal.extensions.requestId } : {}),
      },
    },
  );
}
