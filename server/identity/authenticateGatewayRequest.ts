import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../schema/index.ts';
import {
  INTERNAL_TOKEN_HEADER,
  verifyInternalToken,
  type VerifiedInternalToken,
} from './internalToken.ts';
import type { PlatformKey } from './keys.ts';

/**
 * The identity a subgraph request carries: a context token signed by the
 * gateway for this subgraph (`audience`) and for this very request `body` (the
 * text as read, before parsing). Anything else — no token, a forged, expired
 * or misaddressed one, one captured from another fetch and sent with another
 * operation or other variables, headers imitating the gateway — is refused
 * with 401 and nothing is answered.
 */
export async function authenticateGatewayRequest(
  req: IncomingMessage,
  audience: string,
  key: PlatformKey,
  body: string,
): Promise<VerifiedInternalToken> {
  const token = req.headers[INTERNAL_TOKEN_HEADER];
  if (typeof token !== 'string' || token === '') {
    throw unauthenticated(
      'This subgraph answers only the platform gateway; send your request to the gateway.',
    );
  }
  try {
    const verified = await verifyInternalToken(token, audience, key, body);
    // A GET carries its operation in the URL, which the body hash does not cover.
    if (req.method !== 'POST' && !verified.composeOnly) throw new Error('not a POST');
    return verified;
  } catch {
    throw unauthenticated(
      'The gateway context token is invalid, expired, not for this subgraph or not for this request; send your request to the gateway.',
    );
  }
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
  });
}
