import { createPublicKey, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { bodyHash } from '../identity/internalToken.ts';
import { compactJwsVerifies, peekCompactJws, signCompactJws } from '../identity/compactJws.ts';
import type { PlatformKey } from '../identity/PlatformKey.ts';
import type { Caller } from '../identity/RequestIdentity.ts';
import { selectLink, useLinkToken } from './linkQueries.ts';
import type { PlatformLink } from './PlatformLink.ts';

/** The header a linked platform's request carries its token in. */
export const LINK_TOKEN_HEADER = 'x-govdata-link';

/**
 * How long a link token is valid. It is also bound to one body and used once,
 * so this only bounds how long the receiver keeps its id.
 */
const LIFETIME_SECONDS = 30;
/** Seconds of clock difference tolerated between the two platforms. */
const CLOCK_TOLERANCE = 5;

/** Who a cross-level request is for, as the sending platform established it. */
export interface LinkConsumer {
  department: string;
  application: string | null;
  user: string | null;
  purpose: string | null;
  grantId: string | null;
}

interface LinkClaims {
  iss: string;
  aud: string;
  iat: number;
  exp: number;
  jti: string;
  /** SHA-256 (base64url) of the exact body (or `GET <path>` line) it travels with. */
  bh: string;
  /** The correlation id both platforms record the access under. */
  cid: string;
  dept?: string;
  app?: string | null;
  usr?: string | null;
  purpose?: string | null;
  grant?: string | null;
}

/**
 * Signs one request from platform `from` to platform `to`: bound to `body`
 * (refused with any other), used once (a replay is refused), valid for
 * seconds. `consumer` is absent for the platform's own requests (harvesting
 * the directory).
 */
export function signLinkToken(
  request: {
    from: string;
    to: string;
    body: string;
    correlationId: string;
    consumer?: LinkConsumer;
  },
  key: PlatformKey,
): string {
  const now = Math.floor(Date.now() / 1000);
  const { consumer } = request;
  const claims: LinkClaims = {
    iss: request.from,
    aud: request.to,
    iat: now,
    exp: now + LIFETIME_SECONDS,
    jti: randomUUID(),
    bh: bodyHash(request.body),
    cid: request.correlationId,
    ...(consumer
      ? {
          dept: consumer.department,
          app: consumer.application,
          usr: consumer.user,
          purpose: consumer.purpose,
          grant: consumer.grantId,
        }
      : {}),
  };
  return signCompactJws(claims, key);
}

/** Why a link token was refused; its message is safe to send to the other platform. */
export class LinkRefusal extends Error {
  override name = 'LinkRefusal';
}

export interface VerifiedLinkRequest {
  link: PlatformLink;
  correlationId: string;
  /** The consumer on the other platform, qualified by its platform: `<platform>:<department>`. */
  caller: Caller | null;
  purpose: string | null;
  grantId: string | null;
}

const NAME = /^[a-z][a-z0-9_]{0,63}$/;
const FREE_TEXT = /^[\p{L}\p{N} ._:/-]{1,100}$/u;

/**
 * Verifies a request from a linked platform to this one (`ownCode`): the
 * issuer is a platform this platform's administrator registered and has not
 * suspended (read on every request, so suspension holds at once), the
 * signature verifies with one of the keys registered for it, the token is for
 * this platform, current, for exactly `body`, and not used before. Throws a
 * `LinkRefusal` otherwise.
 *
 * The consumer keeps its own platform's name: `zhejiang:development_reform`
 * can hold grants here, but is never this platform's `development_reform`,
 * and roles never cross — a linked consumer is an application developer here,
 * whatever it is at home.
 */
export async function verifyLinkToken(
  db: Knex,
  ownCode: string | null,
  token: string,
  body: string,
): Promise<VerifiedLinkRequest> {
  let peeked: Record<string, unknown>;
  try {
    peeked = peekCompactJws(token);
  } catch {
    throw new LinkRefusal('The link token is not a token of a linked platform.');
  }
  const issuer = typeof peeked.iss === 'string' && NAME.test(peeked.iss) ? peeked.iss : null;
  const link = issuer ? await selectLink(db, issuer) : null;
  if (!link || ownCode === null) {
    throw new LinkRefusal(
      'This platform has no link with the sending platform: both administrators must register the link.',
    );
  }
  if (link.status !== 'ACTIVE') {
    throw new LinkRefusal(
      `The link with ${link.code} is suspended by this platform's administrator.`,
    );
  }
  if (!compactJwsVerifies(token, link.publicKeys.map(publicKeyOf))) {
    throw new LinkRefusal(
      `The link token does not verify with any key registered for ${link.code}; if it rotated its key, register the new one.`,
    );
  }
  const claims = peeked as unknown as LinkClaims;
  const now = Math.floor(Date.now() / 1000);
  if (claims.aud !== ownCode) throw new LinkRefusal('The link token is for another platform.');
  if (
    typeof claims.exp !== 'number' ||
    typeof claims.iat !== 'number' ||
    claims.exp < now - CLOCK_TOLERANCE ||
    claims.iat > now + CLOCK_TOLERANCE ||
    claims.exp - claims.iat > LIFETIME_SECONDS
  ) {
    throw new LinkRefusal('The link token is expired or not yet valid.');
  }
  if (typeof claims.bh !== 'string' || claims.bh !== bodyHash(body)) {
    throw new LinkRefusal('The link token was signed for another request.');
  }
  if (typeof claims.jti !== 'string' || claims.jti.length > 64 || typeof claims.cid !== 'string') {
    throw new LinkRefusal('The link token has no id or no correlation id.');
  }
  if (!FREE_TEXT.test(claims.cid)) throw new LinkRefusal('The correlation id is malformed.');
  if (!(await useLinkToken(db, claims.jti, link.code, (claims.exp + CLOCK_TOLERANCE) * 1000))) {
    throw new LinkRefusal('The link token was used before; each request needs a new one.');
  }
  if (claims.dept !== undefined && (typeof claims.dept !== 'string' || !NAME.test(claims.dept))) {
    throw new LinkRefusal('The link token names a malformed department.');
  }
  const department = claims.dept ?? null;
  // A claim is absent or well formed: a malformed one refuses the request, never widens it.
  const text = (value: unknown) => {
    if (value === undefined || value === null) return null;
    if (typeof value === 'string' && FREE_TEXT.test(value)) return value;
    throw new LinkRefusal('The link token has a malformed claim.');
  };
  const app = text(claims.app);
  const user = text(claims.usr);
  return {
    link,
    correlationId: claims.cid,
    caller: department
      ? {
          department: `${link.code}:${department}`,
          application: app ? `${link.code}:${app}` : null,
          user: user ? `${link.code}:${user}` : null,
          roles: ['APP_DEVELOPER'],
        }
      : null,
    purpose: text(claims.purpose),
    grantId: text(claims.grant),
  };
}

/** An Ed25519 public key from its JWK `x` (base64url of its 32 bytes). */
export function publicKeyOf(x: string): PlatformKey {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
}

/** Whether `x` is an Ed25519 public key in the form links register. */
export function isPublicKey(x: string): boolean {
  if (!/^[A-Za-z0-9_-]{43}$/.test(x)) return false;
  try {
    publicKeyOf(x);
    return true;
  } catch {
    return false;
  }
}
