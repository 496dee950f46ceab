import type { IncomingMessage } from 'node:http';
import {
  fromLoopbackPeer,
  mintDevToken,
  ROLES,
  sendJson,
  type AuthConfig,
  type Role,
  type Route,
} from '../../server/index.ts';

/** Where GraphiQL's "Use a development token" button asks for one. */
export const DEV_TOKEN_PATH = '/graphiql/dev-token';

/** How long a token minted for GraphiQL lasts. */
const DEV_TOKEN_TTL = '1h';

/**
 * `GET /graphiql/dev-token?department=civil_affairs&role=APP_DEVELOPER`: a
 * development bearer token for GraphiQL's header editor, so a developer can run
 * the example query on a development platform with nothing but the Run button.
 *
 * Only for development: null (the route does not exist) unless callers' tokens
 * are verified with the development secret — with a JWKS there is nothing to
 * sign with, and tokens come from the identity provider. Even then it answers
 * only a browser on this machine: the peer must be a loopback address and the
 * Host header a loopback name (so a page elsewhere cannot reach it by DNS
 * rebinding); anyone else gets 403 and is told to use `npm run token`.
 */
export function devTokenRoute(auth: AuthConfig): Route | null {
  if (auth.tokens.kind !== 'secret') return null;
  return async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    if (!fromThisMachine(req)) {
      sendJson(res, 403, {
        error:
          'Development tokens are handed out only to a browser on the platform host; ' +
          'elsewhere run `npm run token -- --department CODE` there, or ask your identity provider.',
      });
      return;
    }
    const asked = devTokenRequestOf(new URL(req.url ?? '/', 'http://localhost').searchParams);
    if ('error' in asked) {
      sendJson(res, 400, { error: asked.error });
      return;
    }
    const { department, role } = asked;
    const token = await mintDevToken(auth, {
      department,
      roles: [role],
      user: 'graphiql',
      expiresIn: DEV_TOKEN_TTL,
    });
    sendJson(res, 200, { token, department, roles: [role], expiresIn: DEV_TOKEN_TTL });
  };
}

/**
 * The department and role a development token is asked for (`department`,
 * `role` parameters; civil_affairs and APP_DEVELOPER when absent), or what is
 * wrong with them. GraphiQL's button and the console's development sign-in
 * both ask this way.
 */
export function devTokenRequestOf(
  query: URLSearchParams,
): { department: string; role: Role } | { error: string } {
  const department = query.get('department') ?? 'civil_affairs';
  const role = (query.get('role') ?? 'APP_DEVELOPER').toUpperCase();
  if (!/^[a-z][a-z0-9_]{0,63}$/.test(department)) {
    return { error: 'department must be a department code: lower case letters, digits and _' };
  }
  if (!ROLES.includes(role as Role)) return { error: `role must be one of ${ROLES.join(', ')}` };
  return { department, role: role as Role };
}

const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i;

/** Headers a proxy adds for the client it forwards: present, the request came from elsewhere. */
const FORWARDED = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip', 'via'];

/**
 * Whether the request comes from a browser on the platform host: a loopback
 * peer, a loopback Host header (so a page elsewhere cannot reach it by DNS
 * rebinding), and no header of a proxy forwarding someone else's request (a
 * reverse proxy on the same host connects from loopback and, set up plainly,
 * sends a loopback Host too).
 */
export function fromThisMachine(req: IncomingMessage): boolean {
  return (
    fromLoopbackPeer(req) &&
    LOOPBACK_HOST.test(req.headers.host ?? '') &&
    FORWARDED.every((name) => req.headers[name] === undefined)
  );
}
