import type { IncomingMessage, ServerResponse } from 'node:http';
import * as oidc from 'openid-client';
import type { ConsoleOidcConfig, Logger, Route } from '../../server/index.ts';
import { cookie, cookieOf, startSession } from './consoleSession.ts';

export const SIGN_IN_PATH = '/console/auth/sign-in';
export const CALLBACK_PATH = '/console/auth/callback';

/** The cookie carrying one sign-in's PKCE verifier, state and nonce, from redirect to callback. */
const FLOW_COOKIE = 'govdata_console_flow';
/** A sign-in must come back within this long. */
const FLOW_SECONDS = 600;

interface Flow {
  verifier: string;
  state: string;
  nonce: string;
}

/**
 * Sign-in to the console with the organisation's OpenID provider: the
 * authorization code flow with PKCE (S256), state and nonce, through
 * openid-client. `SIGN_IN_PATH` sends the browser to the provider with the
 * flow's secrets in a short-lived HttpOnly cookie (SameSite=Lax, so the
 * provider's redirect back carries it); `CALLBACK_PATH` checks the answer,
 * redeems the code and starts the session with the access token, which the
 * gateway verifies like any caller's. A failed sign-in lands on the console
 * with a reason code, never with a token or a code in the URL.
 */
export function oidcSignInRoutes(config: ConsoleOidcConfig, logger: Logger): Record<string, Route> {
  let discovered: Promise<oidc.Configuration> | null = null;
  const configuration = () => {
    discovered ??= oidc
      .discovery(
        config.issuer,
        config.clientId,
        { redirect_uris: [config.redirectUri.href], response_types: ['code'] },
        config.clientSecret ? oidc.ClientSecretPost(config.clientSecret) : oidc.None(),
        // Plain HTTP only to a provider on this machine (development and tests).
        isLoopback(config.issuer) ? { execute: [oidc.allowInsecureRequests] } : {},
      )
      .catch((error: unknown) => {
        discovered = null;
        throw error;
      });
    return discovered;
  };
  const resource: Record<string, string> = config.resource ? { resource: config.resource } : {};

  const signIn: Route = async (req, res) => {
    const flow: Flow = {
      verifier: oidc.randomPKCECodeVerifier(),
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
    };
    let target: URL;
    try {
      target = oidc.buildAuthorizationUrl(await configuration(), {
        redirect_uri: config.redirectUri.href,
        scope: config.scope,
        code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
        ...resource,
      });
    } catch (error) {
      logger.warn({ err: error }, 'console sign-in: the OpenID provider could not be reached');
      return backToConsole(res, 'provider-unreachable');
    }
    res.setHeader(
      'set-cookie',
      cookie(req, FLOW_COOKIE, Buffer.from(JSON.stringify(flow)).toString('base64url'), {
        maxAgeSeconds: FLOW_SECONDS,
        sameSite: 'Lax',
        path: CALLBACK_PATH,
      }),
    );
    res.writeHead(302, { location: target.href, 'cache-control': 'no-store' });
    res.end();
  };

  const callback: Route = async (req, res) => {
    res.appendHeader(
      'set-cookie',
      cookie(req, FLOW_COOKIE, '', { maxAgeSeconds: 0, sameSite: 'Lax', path: CALLBACK_PATH }),
    );
    const flow = flowOf(req);
    if (!flow) return backToConsole(res, 'no-sign-in-under-way');
    try {
      const current = new URL(req.url ?? '/', config.redirectUri);
      const tokens = await oidc.authorizationCodeGrant(
        await configuration(),
        current,
        { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce },
        resource,
      );
      startSession(req, res, tokens.access_token);
      backToConsole(res, null);
    } catch (error) {
      logger.warn(
        { err: error instanceof Error ? { name: error.name, message: error.message } : error },
        'console sign-in refused',
      );
      backToConsole(res, 'sign-in-refused');
    }
  };

  return { [SIGN_IN_PATH]: signIn, [CALLBACK_PATH]: callback };
}

function flowOf(req: IncomingMessage): Flow | null {
  const value = cookieOf(req, FLOW_COOKIE);
  if (!value) return null;
  try {
    const flow = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<Flow>;
    return typeof flow.verifier === 'string' &&
      typeof flow.state === 'string' &&
      typeof flow.nonce === 'string'
      ? (flow as Flow)
      : null;
  } catch {
    return null;
  }
}

function backToConsole(res: ServerResponse, problem: string | null): void {
  res.writeHead(303, {
    location: problem ? `/console#/sign-in?problem=${problem}` : '/console#/',
    'cache-control': 'no-store',
  });
  res.end();
}

function isLoopback(url: URL): boolean {
  return /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname);
}
