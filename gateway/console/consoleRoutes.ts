import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  mintDevToken,
  ROLES,
  sendJson,
  type AuthConfig,
  type ConsoleOidcConfig,
  type Logger,
  type Route,
} from '../../server/index.ts';
import { devTokenRequestOf, fromThisMachine } from '../graphiql/index.ts';
import { buildConsoleBundle, type ConsoleBundle } from './buildConsoleBundle.ts';
import { endSession, fromConsoleScript, sessionOf, startSession } from './consoleSession.ts';
import { oidcSignInRoutes, SIGN_IN_PATH } from './oidcSignIn.ts';

export const CONSOLE_PATH = '/console';

/** How long a development sign-in lasts. */
const DEV_SESSION_TTL = '8h';

export interface ConsoleOptions {
  graphqlPath: string;
  /** How callers' tokens are verified: with the development secret, the console offers a development sign-in. */
  auth?: AuthConfig;
  /** The organisation's OpenID provider, or null when the console offers no such sign-in. */
  oidc: ConsoleOidcConfig | null;
  /** The platform's time zone: the console's "today" is a civil day there. */
  timeZone: string;
  logger: Logger;
  /** Signs the session's token out on every gateway (`SignedOutTokens`), so a copy of it stops working too. */
  signOut?: (token: string) => Promise<void>;
}

/**
 * The strictest policy the console works under: its own script and stylesheet
 * only (no inline script or style, no eval), requests only to this origin,
 * system fonts (nothing to load), and no framing.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'none'",
  "manifest-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

/**
 * Routes of the web console: the page at `/console`, its bundle (built once
 * when the routes are made), and the sign-in routes — the session, signing
 * out, a development sign-in when tokens are verified with the development
 * secret, and OpenID Connect when `oidc` is configured. The console reads
 * and changes everything through the public GraphQL API at `graphqlPath`,
 * with the signed-in caller's own token.
 */
export function consoleRoutes(options: ConsoleOptions): Record<string, Route> {
  const devAuth = options.auth?.tokens.kind === 'secret' ? options.auth : null;
  const bundle = buildConsoleBundle();
  // A failed build is reported once at start and as 500 on the assets, not as an unhandled rejection.
  bundle.catch((error: unknown) => options.logger.error({ err: error }, 'console bundle failed'));
  const html = page({
    graphqlPath: options.graphqlPath,
    devSignIn: devAuth ? { roles: ROLES } : null,
    oidcSignIn: options.oidc ? SIGN_IN_PATH : null,
    timeZone: options.timeZone,
  });

  const servePage: Route = (_, res) => {
    res.writeHead(200, PAGE_HEADERS);
    res.end(html);
  };
  const asset =
    (pick: (b: ConsoleBundle) => Buffer, type: string): Route =>
    async (req, res) => {
      const body = pick(await bundle);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag });
        res.end();
        return;
      }
      res.writeHead(200, {
        'content-type': `${type}; charset=utf-8`,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        etag,
      });
      res.end(body);
    };

  /** Session routes answer only the console's own script (see `fromConsoleScript`). */
  const forConsoleScript =
    (route: Route): Route =>
    async (req, res) => {
      res.setHeader('cache-control', 'no-store');
      if (!fromConsoleScript(req)) {
        sendJson(res, 403, {
          error: 'This route answers only the console page itself (same origin, X-Console: 1).',
        });
        return;
      }
      await route(req, res);
    };

  const routes: Record<string, Route> = {
    [CONSOLE_PATH]: servePage,
    [`${CONSOLE_PATH}/`]: servePage,
    [`${CONSOLE_PATH}/console.js`]: asset((b) => b.js, 'text/javascript'),
    [`${CONSOLE_PATH}/console.css`]: asset((b) => b.css, 'text/css'),
    [`${CONSOLE_PATH}/draft-check.js`]: asset((b) => b.draftCheck, 'text/javascript'),
    [`${CONSOLE_PATH}/auth/session`]: forConsoleScript((req, res) => {
      const session = sessionOf(req);
      sendJson(res, 200, session ? { signedIn: true, ...session } : { signedIn: false });
    }),
    [`${CONSOLE_PATH}/auth/sign-out`]: forConsoleScript(async (req, res) => {
      // The token itself is signed out on every gateway, not only the cookie cleared here.
      const session = sessionOf(req);
      if (session) await options.signOut?.(session.token);
      endSession(req, res);
      sendJson(res, 200, { signedIn: false });
    }),
  };
  if (devAuth) {
    routes[`${CONSOLE_PATH}/auth/dev`] = forConsoleScript(async (req, res) => {
      if (!fromThisMachine(req)) return refuseDevSignIn(res);
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const asked = devTokenRequestOf(query);
      if ('error' in asked) return sendJson(res, 400, { error: asked.error });
      const user = query.get('user') || 'console';
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(user)) {
        return sendJson(res, 400, { error: 'user must be 1-64 letters, digits, ".", "_" or "-"' });
      }
      const token = await mintDevToken(devAuth, {
        department: asked.department,
        roles: [asked.role],
        user,
        expiresIn: DEV_SESSION_TTL,
      });
      startSession(req, res, token);
      sendJson(res, 200, { signedIn: true });
    });
  }
  if (options.oidc) Object.assign(routes, oidcSignInRoutes(options.oidc, options.logger));
  return routes;
}

function refuseDevSignIn(res: ServerResponse): void {
  sendJson(res, 403, {
    error:
      'The development sign-in is offered only to a browser on the platform host; ' +
      'elsewhere sign in with your identity provider.',
  });
}

function page(config: unknown): string {
  // Inside <script type="application/json">, only "</" could end the block early.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>政务数据共享平台 · 控制台</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${CONSOLE_PATH}/console.css">
</head>
<body>
<div id="app"><p class="loading">正在加载… Loading…</p></div>
<script id="console-config" type="application/json">${json}</script>
<script src="${CONSOLE_PATH}/console.js"></script>
</body>
</html>
`;
}
