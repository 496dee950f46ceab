import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../schema/errors/index.ts';
import {
  INTERNAL_TOKEN_HEADER,
  verifyInternalToken,
  type VerifiedInternalToken,
} from './internalToken.ts';
import type { GatewayTokenKeys } from './FetchMac.ts';
import type { PlatformKey } from './PlatformKey.ts';

/**
 * The identity a subgraph request carries: a context token signed by the
 * gateway for this subgraph (`audience`) and for this very request `body` (the
 * text as read, before parsing) — or, with `GatewayTokenKeys` holding the key
 * this department shares with the gateway, authenticated with that key. Anything else — no token, a forged, expired
 * or misaddressed one, one captured from another fetch and sent with another
 * operation or other variables, headers imitating the gateway — is refused
 * with 401 and nothing is answered.
 */
export async function authenticateGatewayRequest(
  req: IncomingMessage,
  audience: string,
  key: PlatformKey | GatewayTokenKeys,
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

/**
 * The identity of a plain GET route of a subgraph (a bulk export): the same
 * token, bound to the request line instead of a body (see `getRequestBody`),
 * so a token signed for one export, resumption or manifest opens no other.
 */
export async function authenticateGatewayGet(
  req: IncomingMessage,
  audience: string,
  key: PlatformKey,
): Promise<VerifiedInternalToken> {
  const token = req.headers[INTERNAL_TOKEN_HEADER];
  if (req.method !== 'GET' || typeof token !== 'string' || token === '') {
    throw unauthenticated(
      'This subgraph answers only the platform gateway; send your request to the gateway.',
    );
  }
  try {
    const verified = await verifyInternalToken(token, audience, key, getRequestBody(req.url ?? ''));
    if (verified.composeOnly) throw new Error('a compose token');
    return verified;
  } catch {
    throw unauthenticated(
      'The gateway context token is invalid, expired, not for this subgraph or not for this request; send your request to the gateway.',
    );
  }
}

/** What a GET's context token is bound to in place of a body: its path and query, as sent. */
export function getRequestBody(pathAndQuery: string): string {
  return `GET ${pathAndQuery}`;
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
  });
}
