import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { createSecretKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import { ErrorCode } from '../../schema/index.ts';
import {
  findApiKeyCaller,
  LINK_TOKEN_HEADER,
  LinkRefusal,
  loadDevSecret,
  keyRoleProblem,
  officeRoleProblem,
  ROLES,
  DEPARTMENT_CODE,
  type AuthConfig,
  type Caller,
  type RequestIdentity,
  type Role,
  verifyLinkToken,
} from '../../server/index.ts';
import { SignedOutTokens } from './SignedOutTokens.ts';

/** How long a verified API key is trusted before it is looked up again (revocation delay). */
const API_KEY_TTL_MS = 2000;

/**
 * How long a bearer token's verified caller is kept, at most: the same token
 * comes with every request of an application for up to an hour, and checking
 * its signature each time was a tenth of a millisecond or more of CPU per
 * request. Never past the token's own expiry; a key removed from the JWKS
 * stops a token it signed within this time.
 */
const VERIFIED_TOKEN_TTL_MS = 30_000;
/** Tokens remembered at most; past it the oldest are forgotten first. */
const MOST_VERIFIED_TOKENS = 10_000;
/** Seconds past `exp` (and before `nbf`) a token is still taken: clocks differ. */
const CLOCK_TOLERANCE_SECONDS = 5;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const REQUEST_ID_ALLOWED = 'ASCII letters, digits and . _ : -, at most 64';
const PURPOSE = /^[\p{L}\p{N} ._:/-]{1,100}$/u;
const PURPOSE_ALLOWED = 'letters (any script), digits, spaces and . _ : / -, at most 100';
const GRANT_ID = /^[A-Za-z0-9._:-]{1,40}$/;
/** A token's `app` and `sub`: recorded as the actor, so one line of printable text. */
const NAME_CLAIM = /^[^\p{Cc}]{1,128}$/u;
const GRANT_ID_ALLOWED = 'ASCII letters, digits and . _ : -, at most 40';

interface CallerClaims extends JWTPayload {
  dept?: unknown;
  app?: unknown;
  roles?: unknown;
}

/**
 * Establishes who is calling: a bearer JWT (issuer, audience, expiry and
 * not-before checked; HS256 secret in development, JWKS in production) or an
 * application API key (`X-Api-Key`). No credential makes an anonymous caller; a
 * credential that does not verify is refused outright, never downgraded.
 */
export class Authenticator {
  private readonly apiKeyCache = new Map<string, { caller: Caller | null; until: number }>();
  /** Callers of bearer tokens already verified, by the whole token, until `until` (ms). */
  private readonly verifiedTokens = new Map<string, { caller: Caller; until: number }>();
  /** Tokens signed out of the console before they expired; a gateway `start`s following them. */
  readonly signedOut: SignedOutTokens;

  private constructor(
    private readonly config: AuthConfig,
    private readonly key: KeyObject | JWTVerifyGetKey,
    private readonly platformDb: Knex,
    private readonly ownPlatform: (() => Promise<string | null>) | null,
  ) {
    this.signedOut = new SignedOutTokens(platformDb);
  }

  /**
   * `ownPlatform` gives this platform's code when it takes requests from
   * linked platforms (`X-Govdata-Link`); without it, none are taken.
   */
  static create(
    config: AuthConfig,
    platformDb: Knex,
    ownPlatform: (() => Promise<string | null>) | null = null,
  ): Authenticator {
    const tokens = config.tokens;
    const key =
      tokens.kind === 'secret'
        ? // A KeyObject, not the secret's bytes: jose imports a KeyObject into
          // WebCrypto once and keeps it, where bytes are imported anew for every
          // token verified (a WebCrypto job per request).
          createSecretKey(loadDevSecret(tokens))
        : tokens.kind === 'jwks-file'
          ? createLocalJWKSet(
              JSON.parse(readFileSync(tokens.file, 'utf8')) as Parameters<
                typeof createLocalJWKSet
              >[0],
            )
          : createRemoteJWKSet(tokens.url);
    return new Authenticator(config, key, platformDb, ownPlatform);
  }

  /**
   * The identity of the request the platform named `requestId`; purpose and
   * grant may still be filled from the operation's extensions. A client's own
   * `X-Request-Id` is kept as the correlation id only: the platform's id is
   * never the client's, so clients cannot merge, split or hide requests in the
   * audit trail. `body` is the request body as read: a linked platform's
   * token is bound to it.
   */
  async identify(req: IncomingMessage, requestId: string, body = ''): Promise<RequestIdentity> {
    const link = header(req, LINK_TOKEN_HEADER);
    if (link !== null) return this.linkedIdentity(req, link, requestId, body);
    const caller = await this.caller(req);
    return {
      caller,
      purpose: checked(header(req, 'x-purpose'), PURPOSE, 'X-Purpose', PURPOSE_ALLOWED),
      grantId: checked(header(req, 'x-grant-id'), GRANT_ID, 'X-Grant-Id', GRANT_ID_ALLOWED),
      requestId,
      correlationId: checked(
        header(req, 'x-request-id'),
        REQUEST_ID,
        'X-Request-Id',
        REQUEST_ID_ALLOWED,
      ),
      operationName: null,
    };
  }

  /**
   * A consumer of a linked platform, as that platform signed it for this one
   * request (see `verifyLinkToken`): purpose, grant and correlation id come
   * from the signed token, never from headers beside it.
   */
  private async linkedIdentity(
    req: IncomingMessage,
    token: string,
    requestId: string,
    body: string,
  ): Promise<RequestIdentity> {
    if (!this.ownPlatform)
      throw unauthenticated('This platform takes no requests from linked platforms.');
    if (header(req, 'authorization') || header(req, 'x-api-key') || req.method !== 'POST') {
      throw unauthenticated(
        'A linked platform sends a POST with its link token and no other credential.',
      );
    }
    try {
      const verified = await verifyLinkToken(
        this.platformDb,
        await this.ownPlatform(),
        token,
        body,
      );
      if (!verified.caller) throw new LinkRefusal('A query over a link names its consumer.');
      return {
        caller: verified.caller,
        purpose: verified.purpose,
        grantId: verified.grantId,
        requestId,
        correlationId: verified.correlationId,
        operationName: null,
      };
    } catch (error) {
      if (error instanceof LinkRefusal) throw unauthenticated(error.message);
      throw error;
    }
  }

  private async caller(req: IncomingMessage): Promise<Caller | null> {
    const authorization = header(req, 'authorization');
    const apiKey = header(req, 'x-api-key');
    if (authorization && apiKey)
      throw unauthenticated('Send either a bearer token or an API key, not both.');
    if (apiKey) return this.apiKeyCaller(apiKey);
    if (!authorization) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".');
    return this.verifyToken(match[1]!);
  }

  /**
   * The caller a bearer token stands for; throws UNAUTHENTICATED if it does not
   * verify. A token that verified is remembered by its whole text (any other
   * byte is another token, verified afresh) until its expiry, at most
   * `VERIFIED_TOKEN_TTL_MS`.
   */
  async verifyToken(token: string): Promise<Caller> {
    // A process that does not follow sign-outs (the command line) reads them once.
    if (!this.signedOut.loaded) await this.signedOut.poll();
    if (this.signedOut.has(token)) {
      throw unauthenticated('This token was signed out; sign in again for a new one.');
    }
    const now = Date.now();
    const known = this.verifiedTokens.get(token);
    if (known && known.until > now) return known.caller;
    if (known) this.verifiedTokens.delete(token);
    const { caller, expiresAt } = await this.verifyTokenSignature(token);
    if (this.verifiedTokens.size >= MOST_VERIFIED_TOKENS) {
      this.verifiedTokens.delete(this.verifiedTokens.keys().next().value!);
    }
    this.verifiedTokens.set(token, {
      caller,
      until: Math.min(now + VERIFIED_TOKEN_TTL_MS, expiresAt + CLOCK_TOLERANCE_SECONDS * 1000),
    });
    return caller;
  }

  /**
   * Signs a console session's token out on every gateway (`SignedOutTokens`),
   * if it is a token this platform verifies, until its own expiry; anything
   * else in a cookie is only forgotten, never recorded.
   */
  async signOut(token: string): Promise<void> {
    let expiresAt: number;
    try {
      ({ expiresAt } = await this.verifyTokenSignature(token));
    } catch {
      return;
    }
    await this.signedOut.signOut(token, Math.floor(expiresAt / 1000));
  }

  private async verifyTokenSignature(
    token: string,
  ): Promise<{ caller: Caller; expiresAt: number }> {
    let payload: CallerClaims;
    try {
      const verified = await jwtVerify<CallerClaims>(token, this.key as KeyObject, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms:
          this.config.tokens.kind === 'secret' ? ['HS256'] : ['RS256', 'ES256', 'EdDSA', 'PS256'],
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      payload = verified.payload;
    } catch (error) {
      throw unauthenticated(this.invalidTokenMessage(error));
    }
    if (typeof payload.dept !== 'string' || !DEPARTMENT_CODE.test(payload.dept)) {
      throw unauthenticated('The bearer token names no department (claim "dept").');
    }
    const roles = Array.isArray(payload.roles) ? payload.roles : [];
    if (!roles.every((r): r is Role => ROLES.includes(r as Role))) {
      throw unauthenticated(`The bearer token has an unknown role; roles are ${ROLES.join(', ')}.`);
    }
    for (const claim of ['app', 'sub'] as const) {
      const value = payload[claim];
      if (value !== undefined && (typeof value !== 'string' || !NAME_CLAIM.test(value))) {
        throw unauthenticated(
          `The bearer token's "${claim}" claim must be text of 1 to 128 characters without control characters (tabs, line breaks); it is recorded on everything the caller does.`,
        );
      }
    }
    const officeProblem = officeRoleProblem(payload.dept, roles, this.config.officeDepartments);
    if (officeProblem) throw unauthenticated(`The bearer token is refused: ${officeProblem}`);
    // Frozen: one caller serves every request of the token while it is remembered.
    return {
      caller: Object.freeze({
        department: payload.dept,
        application: typeof payload.app === 'string' ? payload.app : null,
        user: typeof payload.sub === 'string' ? payload.sub : null,
        roles: Object.freeze([...roles]),
      }),
      expiresAt: payload.exp! * 1000,
    };
  }

  /** What to tell a caller whose token failed verification (jose's error `code` and claim). */
  private invalidTokenMessage(error: unknown): string {
    const { code, claim } = (error ?? {}) as { code?: unknown; claim?: unknown };
    const named = typeof code === 'string' ? ` (${code})` : '';
    const whose =
      this.config.tokens.kind === 'secret'
        ? "mint it with this platform's development secret (npm run token with the platform's DATA_DIR)"
        : "get one from this platform's identity provider";
    switch (code) {
      case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      case 'ERR_JWKS_NO_MATCHING_KEY':
        return `The bearer token is not valid${named}: it was not signed with a key this platform trusts; ${whose}.`;
      case 'ERR_JWKS_TIMEOUT':
        return `The bearer token could not be checked${named}: the platform did not reach its identity provider's keys in time; try again shortly.`;
      case 'ERR_JWT_EXPIRED':
        return `The bearer token is not valid${named}: it has expired; get a new one.`;
      case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
        return typeof claim === 'string'
          ? `The bearer token is not valid${named}: its "${claim}" claim is not one this platform accepts (issuer, audience, times); ${whose}.`
          : `The bearer token is not valid${named}: check its issuer, audience and expiry, or get a new one.`;
      case 'ERR_JOSE_ALG_NOT_ALLOWED':
        return `The bearer token is not valid${named}: it is signed with an algorithm this platform does not accept; ${whose}.`;
      default:
        return `The bearer token is not valid${named}: send a whole signed JWT (three dot-separated parts) after "Bearer ", or get a new one.`;
    }
  }

  private async apiKeyCaller(key: string): Promise<Caller> {
    const now = Date.now();
    const cached = this.apiKeyCache.get(key);
    let caller: Caller | null;
    if (cached && cached.until > now) caller = cached.caller;
    else {
      caller = await findApiKeyCaller(this.platformDb, key);
      if (this.apiKeyCache.size > 10_000) this.apiKeyCache.clear();
      this.apiKeyCache.set(key, { caller, until: now + API_KEY_TTL_MS });
    }
    if (!caller) {
      throw unauthenticated(
        'The API key is unknown, revoked or expired; ask your platform admin for a new one.',
      );
    }
    const roleProblem =
      keyRoleProblem(caller.roles) ??
      officeRoleProblem(caller.department, caller.roles, this.config.officeDepartments);
    if (roleProblem) throw unauthenticated(`The API key is refused: ${roleProblem}`);
    return caller;
  }
}

const ASCII = /^[\x20-\x7e]*$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A header's value as the client wrote it. HTTP carries bytes, which Node
 * reads as Latin-1; clients send UTF-8 (a purpose in Chinese, `X-Purpose:
 * 低保核查`), so bytes that are UTF-8 are read as such. Others are kept as
 * read, and the header's pattern refuses them.
 */
function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  if (typeof value !== 'string' || value === '') return null;
  if (ASCII.test(value)) return value;
  try {
    return UTF8.decode(Buffer.from(value, 'latin1'));
  } catch {
    return value;
  }
}

function checked(
  value: string | null,
  pattern: RegExp,
  name: string,
  allowed: string,
): string | null {
  if (value === null) return null;
  if (!pattern.test(value)) {
    throw badHeader(`${name} has characters or a length it may not have: it allows ${allowed}.`);
  }
  return value;
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
  });
}

function badHeader(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
  });
}

export { PURPOSE as PURPOSE_PATTERN, GRANT_ID as GRANT_ID_PATTERN };
