import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { AuthConfig } from '../config/index.ts';
import { loadDevSecret } from './devSecret.ts';
import type { Role } from './RequestIdentity.ts';

export interface DevTokenRequest {
  department: string;
  roles: readonly Role[];
  application?: string;
  user?: string;
  /** Lifetime, e.g. '1h', '30m' (jose time span). */
  expiresIn?: string;
  /** Not valid before this many seconds from now (tests of not-before). */
  notBeforeSeconds?: number;
}

/**
 * Mints a development bearer token signed with the development secret: what an
 * identity provider would issue in production. Refused when the gateway is set
 * up to trust a JWKS instead (there is no secret to sign with).
 */
export async function mintDevToken(auth: AuthConfig, request: DevTokenRequest): Promise<string> {
  if (auth.tokens.kind !== 'secret') {
    throw new Error(
      'Tokens are verified against a JWKS here; get a token from your identity provider.',
    );
  }
  const jwt = new SignJWT({
    dept: request.department,
    roles: [...request.roles],
    ...(request.application ? { app: request.application } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setIssuedAt()
    // Each token its own: two sign-ins in one second would otherwise make the same token,
    // and signing one out (`SignedOutTokens`) would sign out the other.
    .setJti(randomUUID())
    .setExpirationTime(request.expiresIn ?? '8h');
  if (request.user) jwt.setSubject(request.user);
  if (request.notBeforeSeconds)
    jwt.setNotBefore(Math.floor(Date.now() / 1000) + request.notBeforeSeconds);
  return jwt.sign(loadDevSecret(auth.tokens));
}
