import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

/** Who may sign in at the test provider, and the claims their access tokens carry. */
export type TestAccounts = Record<string, { dept: string; roles: string[] }>;

export interface TestIdentityProvider {
  issuer: string;
  /** Registers the console as a client, once its callback URL is known; until then sign-ins fail. */
  registerConsole(redirectUri: string): void;
  close(): Promise<void>;
}

/** The resource indicator the console asks for, and the audience of the access tokens it gets. */
export const TEST_RESOURCE = 'urn:govdata:api';
export const TEST_AUDIENCE = 'govdata';
export const TEST_CLIENT_ID = 'govdata-console';

/**
 * A real OpenID provider (oidc-provider) on a free loopback port: the
 * authorization code flow with PKCE required, a public client, access tokens
 * as ES256 JWTs for `TEST_RESOURCE` with the `dept` and `roles` claims of the
 * account. Its sign-in page is ours (one field, the account name) instead of
 * the library's development pages, which load a web font from the internet.
 */
export async function startTestIdentityProvider(
  accounts: TestAccounts,
): Promise<TestIdentityProvider> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-idp', alg: 'ES256', use: 'sig' };
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server: Server = createServer((req, res) => {
    if (!handle) {
      res.writeHead(503).end('the provider is not ready');
      return;
    }
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    registerConsole(redirectUri) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: TEST_CLIENT_ID,
            token_endpoint_auth_method: 'none',
            redirect_uris: [redirectUri],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            id_token_signed_response_alg: 'ES256',
          },
        ],
        jwks: { keys: [jwk] },
        cookies: { keys: ['test-idp-cookie-key'] },
        scopes: ['openid', 'console'],
        features: {
          devInteractions: { enabled: false },
          resourceIndicators: {
            enabled: true,
            defaultResource: () => TEST_RESOURCE,
            useGrantedResource: () => true,
            getResourceServerInfo: () => ({
              scope: 'console',
              audience: TEST_AUDIENCE,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: 'ES256' } },
            }),
          },
        },
        interactions: {
          url: (_: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
        },
        findAccount: (_: unknown, sub: string) =>
          accounts[sub] ? { accountId: sub, claims: () => ({ sub }) } : undefined,
        extraTokenClaims: (_: unknown, token: { accountId?: string }) =>
          token.accountId ? accounts[token.accountId] : undefined,
      });
      const callback = provider.callback();
      handle = (req, res) => {
        const interaction = /^\/interaction\/([\w-]+)$/.exec(
          new URL(req.url ?? '/', issuer).pathname,
        );
        if (!interaction) return callback(req, res);
        signInPage(provider, req, res, accounts).catch((error: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
        });
      };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** GET: a one-field sign-in form. POST: signs the account in and grants the console's scopes. */
async function signInPage(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  accounts: TestAccounts,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><title>Test identity provider</title>
<form method="post"><label>Account <input name="account" id="account"></label>
<button type="submit" id="idp-sign-in">Sign in</button></form></html>`);
    return;
  }
  let body = '';
  for await (const chunk of req) body += String(chunk);
  const account = new URLSearchParams(body).get('account') ?? '';
  if (!accounts[account]) {
    await provider.interactionFinished(req, res, { error: 'access_denied' });
    return;
  }
  const grant = new provider.Grant({
    accountId: account,
    clientId: String(details.params.client_id),
  });
  grant.addOIDCScope('openid console');
  grant.addResourceScope(TEST_RESOURCE, 'console');
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: account }, consent: { grantId: await grant.save() } },
    { mergeWithLastSubmission: false },
  );
}
