import { SignJWT, jwtVerify, type CryptoKey, type JWTPayload, type KeyObject } from 'jose';
import type { Caller, RequestIdentity, Role } from './RequestIdentity.ts';

/** The header that carries the gateway's signed context to a subgraph. */
export const INTERNAL_TOKEN_HEADER = 'x-govdata-context';

/** Who signs internal tokens; subgraphs accept no other issuer. */
export const INTERNAL_ISSUER = 'govdata-gateway';

/** Algorithm of internal tokens: asymmetric, so subgraphs can verify but never sign. */
export const INTERNAL_ALGORITHM = 'EdDSA';

/** How long an internal token is valid: one request's worth, with room for clock skew. */
const LIFETIME_SECONDS = 60;

/** The audience of tokens that let the holder fetch a subgraph's SDL for composition. */
export const COMPOSE_SCOPE = 'compose';

type SigningKey = CryptoKey | KeyObject;

interface InternalClaims extends JWTPayload {
  dept?: string;
  app?: string | null;
  usr?: string | null;
  roles?: Role[];
  purpose?: string | null;
  grant?: string | null;
  rid: string;
  op?: string | null;
  scope?: string;
}

/**
 * Signs the request's identity for one subgraph (`audience` is the subgraph
 * name, so a token for one department's subgraph is refused by another).
 */
export async function signInternalToken(
  identity: RequestIdentity,
  audience: string,
  key: SigningKey,
): Promise<string> {
  const caller = identity.caller;
  const claims: InternalClaims = {
    rid: identity.requestId,
    purpose: identity.purpose,
    grant: identity.grantId,
    op: identity.operationName,
    ...(caller
      ? {
          dept: caller.department,
          app: caller.application,
          usr: caller.user,
          roles: [...caller.roles],
        }
      : {}),
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: INTERNAL_ALGORITHM })
    .setIssuer(INTERNAL_ISSUER)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .sign(key);
}

/** Signs a token that lets its holder fetch `audience`'s SDL and nothing else. */
export async function signComposeToken(audience: string, key: SigningKey): Promise<string> {
  return new SignJWT({ rid: 'compose', scope: COMPOSE_SCOPE })
    .setProtectedHeader({ alg: INTERNAL_ALGORITHM })
    .setIssuer(INTERNAL_ISSUER)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .sign(key);
}

export interface VerifiedInternalToken {
  identity: RequestIdentity;
  /** True for a compose token: it may read `_service { sdl }` only. */
  composeOnly: boolean;
}

/**
 * Verifies a token from the gateway for subgraph `audience`: signature, issuer,
 * audience, expiry. Throws on anything else; callers answer 401.
 */
export async function verifyInternalToken(
  token: string,
  audience: string,
  key: SigningKey,
): Promise<VerifiedInternalToken> {
  const { payload } = await jwtVerify<InternalClaims>(token, key, {
    issuer: INTERNAL_ISSUER,
    audience,
    algorithms: [INTERNAL_ALGORITHM],
    maxTokenAge: `${LIFETIME_SECONDS + 30}s`,
    clockTolerance: 5,
  });
  const caller: Caller | null =
    typeof payload.dept === 'string'
      ? {
          department: payload.dept,
          application: payload.app ?? null,
          user: payload.usr ?? null,
          roles: payload.roles ?? [],
        }
      : null;
  return {
    identity: {
      caller,
      purpose: payload.purpose ?? null,
      grantId: payload.grant ?? null,
      requestId: payload.rid,
      operationName: payload.op ?? null,
    },
    composeOnly: payload.scope === COMPOSE_SCOPE,
  };
}
