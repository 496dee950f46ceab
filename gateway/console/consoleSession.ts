import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeJwt } from 'jose';

/**
 * The console's session: the caller's bearer token in an HttpOnly cookie, so
 * no script can read it from storage and it never appears in a URL. The page
 * asks `/console/auth/session` for it (a same-origin request with the
 * `X-Console` header) and keeps it in memory only, sending it to `/graphql`
 * as any client sends a token — the gateway itself never reads the cookie, so
 * a cross-site form cannot spend it (no ambient credential on the API).
 */
export const SESSION_COOKIE = 'govdata_console';

/** The path every console cookie is scoped to; the API at /graphql never receives them. */
export const CONSOLE_COOKIE_PATH = '/console';

/** The cookie with `name` in the request, or null. */
export function cookieOf(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return null;
}

/** A Set-Cookie value: HttpOnly always, Secure when the console is served over HTTPS. */
export function cookie(
  req: IncomingMessage,
  name: string,
  value: string,
  options: { maxAgeSeconds: number; sameSite: 'Strict' | 'Lax'; path?: string },
): string {
  const secure = isHttps(req) ? '; Secure' : '';
  return (
    `${name}=${value}; Path=${options.path ?? CONSOLE_COOKIE_PATH}; Max-Age=${options.maxAgeSeconds}` +
    `; HttpOnly; SameSite=${options.sameSite}${secure}`
  );
}

/** Starts a session holding `token` until it expires (SameSite=Strict: no cross-site request carries it). */
export function startSession(req: IncomingMessage, res: ServerResponse, token: string): void {
  const expiresAt = decodeJwt(token).exp ?? Math.floor(Date.now() / 1000) + 3600;
  const maxAgeSeconds = Math.max(0, expiresAt - Math.floor(Date.now() / 1000));
  res.appendHeader(
    'set-cookie',
    cookie(req, SESSION_COOKIE, token, { maxAgeSeconds, sameSite: 'Strict' }),
  );
}

export function endSession(req: IncomingMessage, res: ServerResponse): void {
  res.appendHeader(
    'set-cookie',
    cookie(req, SESSION_COOKIE, '', { maxAgeSeconds: 0, sameSite: 'Strict' }),
  );
}

/** Who the session's token names (read, not verified: the gateway verifies it on every request). */
export interface SessionView {
  token: string;
  department: string | null;
  roles: string[];
  user: string | null;
  expiresAt: number | null;
}

export function sessionOf(req: IncomingMessage): SessionView | null {
  const token = cookieOf(req, SESSION_COOKIE);
  if (!token) return null;
  try {
    const claims = decodeJwt(token);
    if (claims.exp !== undefined && claims.exp * 1000 <= Date.now()) return null;
    return {
      token,
      department: typeof claims.dept === 'string' ? claims.dept : null,
      roles: Array.isArray(claims.roles) ? claims.roles.filter((r) => typeof r === 'string') : [],
      user: typeof claims.sub === 'string' ? claims.sub : null,
      expiresAt: claims.exp ?? null,
    };
  } catch {
    return null;
  }
}

/**
 * Whether a request that reads or changes the session comes from the console's
 * own script: the browser says it is same-origin (Sec-Fetch-Site, which pages
 * cannot forge) and it carries `X-Console`, a header no cross-site form or
 * image can send and a cross-site script could send only after a CORS
 * preflight the gateway never grants.
 */
export function fromConsoleScript(req: IncomingMessage): boolean {
  return req.headers['sec-fetch-site'] === 'same-origin' && req.headers['x-console'] === '1';
}

function isHttps(req: IncomingMessage): boolean {
  return (
    ('encrypted' in req.socket && req.socket.encrypted === true) ||
    req.headers['x-forwarded-proto'] === 'https'
  );
}
