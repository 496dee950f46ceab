import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleOidcConfig } from '../../server/index.ts';
import {
  chromiumAvailable,
  launchChromium,
  localContext,
  screenshotAndCheck,
} from '../support/browser.ts';
import { rawGet } from '../support/rawGet.ts';
import {
  startTestIdentityProvider,
  TEST_AUDIENCE,
  TEST_CLIENT_ID,
  TEST_RESOURCE,
  type TestIdentityProvider,
} from '../support/testIdentityProvider.ts';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.ts';

/**
 * Signing in to the console with OpenID Connect, against a real provider
 * (oidc-provider) on this machine: authorization code with PKCE, the
 * provider's access token verified by the gateway through the provider's
 * JWKS like any caller's. A platform with an identity provider offers no
 * development sign-in.
 */
describe('the web console signed in through an OpenID provider', () => {
  let idp: TestIdentityProvider;
  let platform: TestPlatform;
  let base: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    idp = await startTestIdentityProvider({
      alice: { dept: 'civil_affairs', roles: ['APP_DEVELOPER'] },
    });
    const oidc: ConsoleOidcConfig = {
      issuer: new URL(idp.issuer),
      clientId: TEST_CLIENT_ID,
      clientSecret: null,
      // The gateway's port is known once it listens; the callback is set then.
      redirectUri: new URL('http://127.0.0.1/console/auth/callback'),
      scope: 'openid console',
      resource: TEST_RESOURCE,
    };
    platform = await startTestPlatform('sqlite', {}, (config) => ({
      ...config,
      auth: {
        ...config.auth,
        issuer: idp.issuer,
        audience: TEST_AUDIENCE,
        tokens: { kind: 'jwks-url', url: new URL(`${idp.issuer}/jwks`) },
      },
      consoleOidc: oidc,
    }));
    base = platform.gateway.url.replace(/\/graphql$/, '');
    oidc.redirectUri = new URL(`${base}/console/auth/callback`);
    idp.registerConsole(oidc.redirectUri.href);
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
    await idp?.close();
  });

  it.runIf(chromiumAvailable('the console OpenID sign-in browser test'))(
    'signs in with the provider and reads through the gateway with its access token',
    async () => {
      browser = await launchChromium();
      const { context, outside, problems } = await localContext(browser);
      const page = await context.newPage();
      await page.goto(`${base}/console#/sign-in`);
      await page.locator('#oidc-sign-in').waitFor();
      expect(await page.locator('#dev-sign-in').count()).toBe(0);
      await screenshotAndCheck(page, 'console', '00-sign-in-oidc');

      await page.locator('#oidc-sign-in').click();
      await page.locator('#account').fill('alice');
      await page.locator('#idp-sign-in').click();
      await page.locator('.identity').getByText('civil_affairs').waitFor();
      expect(new URL(page.url()).pathname).toBe('/console');
      expect(page.url()).not.toMatch(/code=|ey[A-Za-z0-9_-]{10,}\./);

      // The provider's token works at the gateway: Civil Affairs's demo grants are listed.
      await page.getByRole('link', { name: '我的授权' }).click();
      await page.locator('main tbody tr').first().waitFor();
      const [session] = (await context.cookies()).filter((c) => c.name === 'govdata_console');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

      expect(outside).toEqual([]);
      expect(problems).toEqual([]);
    },
    // A browser on a busy two-core machine: room beyond the default minute.
    180_000,
  );

  it('refuses a callback that no sign-in here started, and has no development sign-in', async () => {
    const answer = await rawGet(base, '/console/auth/callback?code=stolen&state=guessed');
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/console#/sign-in?problem=no-sign-in-under-way');
    const dev = await fetch(`${base}/console/auth/dev?department=civil_affairs`, {
      headers: { 'sec-fetch-site': 'same-origin', 'x-console': '1' },
    });
    expect(dev.status).toBe(404);
  });
});
