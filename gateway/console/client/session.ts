/**
 * The signed-in caller as the gateway's session route tells it. The token is
 * kept in this module's memory only (never in storage or a URL); the
 * HttpOnly session cookie is what survives a reload.
 */
export interface Session {
  signedIn: boolean;
  token?: string;
  department?: string | null;
  roles?: string[];
  user?: string | null;
  expiresAt?: number | null;
}

/** Requests to the session routes: same origin, with the header only the console's own script sends. */
async function sessionRequest(path: string): Promise<Session> {
  const response = await fetch(`/console/auth/${path}`, {
    headers: { 'x-console': '1' },
    credentials: 'same-origin',
    cache: 'no-store',
  });
  const body = (await response.json()) as Session & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body;
}

export const loadSession = () => sessionRequest('session');
export const signOut = () => sessionRequest('sign-out');

/** Development sign-in: a token for the chosen department and role, minted by the gateway. */
export async function devSignIn(department: string, role: string, user: string): Promise<Session> {
  await sessionRequest(`dev?${new URLSearchParams({ department, role, user }).toString()}`);
  return loadSession();
}

export const hasRole = (session: Session, role: string) =>
  session.signedIn && (session.roles ?? []).includes(role);
