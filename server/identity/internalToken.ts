import * as crypto from 'node:crypto';
import { isMacToken, openCompactJws, signCompactJws } from './compactJws.ts';
import type { FetchMac, GatewayTokenKeys } from './FetchMac.ts';
import type { PlatformKey } from './PlatformKey.ts';
import { RandomPool } from './RandomPool.ts';
import type { Caller, RequestIdentity, Role } from './RequestIdentity.ts';

/** The header that carries the gateway's signed context to a subgraph. */
export const INTERNAL_TOKEN_HEADER = 'x-govdata-context';

/** Who signs internal tokens; subgraphs accept no other issuer. */
export const INTERNAL_ISSUER = 'govdata-gateway';

/**
 * How long an internal token is valid: one subgraph fetch's worth. A token is
 * also bound to the one body it was signed for (see `bodyHash`), so within
 * this window it can only repeat that same fetch.
 */
const LIFETIME_SECONDS = 10;

/** The audience of tokens that let the holder fetch a subgraph's SDL for composition. */
export const COMPOSE_SCOPE = 'compose';

/** The gateway's private key, or the MAC key it shares with the subgraph fetched (`FetchMac`). */
type SigningKey = PlatformKey | FetchMac;
/** The gateway's public key, or with it the MAC key the subgraph shares with the gateway. */
type VerifyingKey = PlatformKey | GatewayTokenKeys;

interface InternalClaims {
  iss?: unknown;
  aud?: unknown;
  iat?: unknown;
  exp?: unknown;
  dept?: string;
  app?: string | null;
  usr?: string | null;
  roles?: Role[];
  purpose?: string | null;
  grant?: string | null;
  rid: string;
  /** The client's correlation id (its X-Request-Id), if it sent one. */
  cid?: string | null;
  op?: string | null;
  scope?: string;
  /** SHA-256 (base64url) of the exact request body the token travels with. */
  bh?: string;
  /**
   * Set by the gateway that will commit the fetch's ACCESS records with its
   * REQUEST record: the subgraph hands them back with its answer instead of
   * waiting for a commit of its own (see `VerifiedInternalToken.handBackNonce`).
   * A random nonce (`newHandBackNonce`), so a subgraph process honours it once;
   * the subgraph signs it into each record it hands back, binding the record
   * to this one fetch.
   */
  hb?: string;
}

/**
 * Node's one-shot digest (`crypto.hash`, Node 20.12 and later), where there is
 * one: no Hash object per call. Timed around the call inside a subgraph serving
 * lookups, a body's hash took 12.6 µs through `createHash` and 9.4 through it.
 */
const oneShotHash = (crypto as { hash?: typeof crypto.hash }).hash;

/**
 * The hash that binds a token to one fetch: SHA-256 over the request body as
 * sent (UTF-8), base64url. The gateway hashes the exact JSON text its data
 * source sends; the subgraph hashes the exact text it read, before parsing, so
 * neither side needs a canonical form and any change — other variables,
 * another operation, keys re-ordered, a space added — is a mismatch.
 */
export function bodyHash(body: string): string {
  return oneShotHash
    ? oneShotHash('sha256', body, 'base64url')
    : crypto.createHash('sha256').update(body, 'utf8').digest('base64url');
}

/** A fresh hand-back nonce for one fetch (the `hb` claim): 16 characters of base64url. */
export function newHandBackNonce(): string {
  return handBackNonces.next().toString('base64url');
}

const handBackNonces = new RandomPool(12);

/**
 * Signs the request's identity for one fetch of one subgraph: `audience` is the
 * subgraph name, so a token for one department's subgraph is refused by
 * another, and `body` is the exact request body the token will travel with, so
 * the token is refused with any other operation or variables. With
 * `handBackNonce`, the subgraph is asked to hand its ACCESS records back.
 */
export async function signInternalToken(
  identity: RequestIdentity,
  audience: string,
  key: SigningKey,
  body: string,
  options: { handBackNonce?: string } = {},
): Promise<string> {
  const caller = identity.caller;
  const claims: InternalClaims = {
    ...(options.handBackNonce ? { hb: options.handBackNonce } : {}),
    rid: identity.requestId,
    cid: identity.correlationId,
    bh: bodyHash(body),
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
  return signCompact(claims, audience, key);
}

/**
 * Signs a token that lets its holder fetch `audience`'s SDL and nothing else.
 * It is not bound to a body: the SDL is the same for every holder.
 */
export async function signComposeToken(audience: string, key: PlatformKey): Promise<string> {
  return signCompact({ rid: 'compose', scope: COMPOSE_SCOPE }, audience, key);
}

export interface VerifiedInternalToken {
  identity: RequestIdentity;
  /** True for a compose token: it may read `_service { sdl }` only. */
  composeOnly: boolean;
  /**
   * The hand-back nonce when the gateway asked for the fetch's ACCESS records
   * back: it holds its answer to the client until they are durable with its
   * REQUEST record, in one commit, so the subgraph answers without a commit of
   * its own, signing the nonce into each record. Null for a token this process
   * has seen before: a replayed fetch (the same token and body within its
   * lifetime) is recorded by the subgraph itself, since whoever replays it is
   * not the gateway that will commit the records. Null too for a signed
   * token: a hand-back is answered sealed under the key the department shares
   * with the gateway (`FetchMac.sealAnswer`), so that a fetch replayed to
   * another process, where the token is new, yields nothing readable but to
   * that gateway; a signed token has no such key.
   */
  handBackNonce: string | null;
}

/**
 * Verifies a token from the gateway for subgraph `audience` arriving with
 * request body `body`: signature, issuer, audience, lifetime, and — for every
 * token but a compose token — that it was signed for exactly this body.
 * Throws on anything else; callers answer 401.
 */
export async function verifyInternalToken(
  token: string,
  audience: string,
  key: VerifyingKey,
  body: string,
): Promise<VerifiedInternalToken> {
  const payload = verifyCompact(token, audience, key);
  const composeOnly = payload.scope === COMPOSE_SCOPE;
  if (!composeOnly && !sameHash(payload.bh, bodyHash(body))) {
    throw new Error('the token was signed for another request body');
  }
  const caller: Caller | null =
    typeof payload.dept === 'string'
      ? {
          department: payload.dept,
          application: payload.app ?? null,
          user: payload.usr ?? null,
          roles: Array.isArray(payload.roles) ? payload.roles : [],
        }
      : null;
  return {
    identity: {
      caller,
      purpose: payload.purpose ?? null,
      grantId: payload.grant ?? null,
      requestId: String(payload.rid),
      correlationId: typeof payload.cid === 'string' ? payload.cid : null,
      operationName: payload.op ?? null,
    },
    composeOnly,
    handBackNonce:
      !composeOnly && isMacToken(token) && firstSight(payload.hb, payload.exp)
        ? (payload.hb as string)
        : null,
  };
}

function sameHash(claimed: unknown, actual: string): boolean {
  if (typeof claimed !== 'string' || claimed.length !== actual.length) return false;
  return crypto.timingSafeEqual(Buffer.from(claimed), Buffer.from(actual));
}

/** Seconds of clock difference tolerated between gateway and subgraph hosts. */
const CLOCK_TOLERANCE = 5;
/** Oldest `iat` accepted: the lifetime plus the tolerance, whatever `exp` says. */
const MAX_AGE = LIFETIME_SECONDS + CLOCK_TOLERANCE;

function signCompact(claims: InternalClaims, audience: string, key: SigningKey): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    ...claims,
    iss: INTERNAL_ISSUER,
    aud: audience,
    iat: now,
    exp: now + LIFETIME_SECONDS,
  };
  return signCompactJws(payload, key);
}

/** Hand-back nonces this process has honoured, with when their token expires (s). */
const honoured = new Map<string, number>();
let nextSweep = 0;

/**
 * True the first time this process sees hand-back nonce `nonce` of a token
 * valid until `exp`; false for any repeat and for a missing nonce. Nonces are
 * forgotten once their token could no longer be accepted anyway.
 */
function firstSight(nonce: unknown, exp: unknown): boolean {
  if (typeof nonce !== 'string' || nonce.length < 16 || typeof exp !== 'number') return false;
  const now = Math.floor(Date.now() / 1000);
  if (now >= nextSweep) {
    for (const [seen, until] of honoured) if (until + CLOCK_TOLERANCE < now) honoured.delete(seen);
    nextSweep = now + LIFETIME_SECONDS;
  }
  if (honoured.has(nonce)) return false;
  honoured.set(nonce, exp);
  return true;
}

/** The claims of a token this gateway signed for `audience`, still valid; throws otherwise. */
function verifyCompact(token: string, audience: string, key: VerifyingKey): InternalClaims {
  const payload = openCompactJws(token, key);
  const claims = payload as unknown as InternalClaims;
  const now = Math.floor(Date.now() / 1000);
  if (claims.iss !== INTERNAL_ISSUER) throw new Error('wrong issuer');
  if (claims.aud !== audience) throw new Error('wrong audience');
  if (typeof claims.exp !== 'number' || claims.exp < now - CLOCK_TOLERANCE) {
    throw new Error('expired');
  }
  if (
    typeof claims.iat !== 'number' ||
    claims.iat > now + CLOCK_TOLERANCE ||
    claims.iat < now - MAX_AGE
  ) {
    throw new Error('issued at an unacceptable time');
  }
  if (typeof claims.rid !== 'string') throw new Error('no request id');
  return claims;
}
