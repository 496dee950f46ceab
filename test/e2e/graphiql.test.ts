import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../support/browser.ts';
import { rawGet as get } from '../support/rawGet.ts';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.ts';

/**
 * GraphiQL as a newcomer meets it: a development platform, a browser, and
 * nothing typed but a press of "Use a development token" and Run. Drives
 * Debian's chromium through playwright-core (see ../support/browser.ts).
 */
describe('GraphiQL on a development platform', () => {
  let platform: TestPlatform;
  let base: string;

  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
    base = platform.gateway.url.replace(/\/graphql$/, '/');
  });
  afterAll(() => platform?.close());

  it.runIf(chromiumAvailable('the GraphiQL browser test'))(
    'runs its default query with a development token, with data and no console errors',
    async () => {
      await inGraphiQL(base, async (page) => {
        expect(await page.locator('#platform-bar').innerText()).toMatch(/npm run token/);

        await page.locator('#dev-token').click();
        await page.getByText(/token for civil_affairs/).waitFor();
        expect(await page.locator('.graphiql-editor-tool').innerText()).toMatch(/Bearer ey/);

        const answered = page.waitForResponse(
          (r) =>
            r.url().endsWith('/graphql') &&
            (r.request().postData() ?? '').includes('PersonWithRecords'),
        );
        await page.locator('.graphiql-execute-button').click();
        const response = await answered;
        expect(response.status()).toBe(200);
        const body = (await response.json()) as {
          data?: { person?: { name?: string; licenses?: unknown[] } | null };
          errors?: unknown[];
        };
        expect(body.errors).toBeUndefined();
        expect(body.data?.person?.name).toBeTruthy();
        expect(body.data?.person?.licenses?.length).toBeGreaterThan(0);
        await page.locator('.graphiql-response').getByText(body.data!.person!.name!).waitFor();
        // GraphiQL's history keeps each run's headers; a token among them stays in memory.
        const stored = await page.evaluate<string>('JSON.stringify(localStorage)');
        expect(stored).toContain('PersonWithRecords');
        expect(stored).not.toMatch(/Bearer ey/);
      });
    },
  );

  it('mints development tokens only for a browser on this machine', async () => {
    const minted = await get(
      base,
      '/graphiql/dev-token?department=civil_affairs&role=APP_DEVELOPER',
    );
    expect(minted.status).toBe(200);
    expect(minted.headers['cache-control']).toBe('no-store');
    const { token } = JSON.parse(minted.body) as { token: string };
    const answer = await platform.query(
      'query($id: String!) { person(idNumber: $id) { name } }',
      { id: '330106196310216243' },
      { authorization: `Bearer ${token}`, 'x-purpose': 'social-assistance' },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.person).toMatchObject({ name: expect.any(String) });

    // A page on another host name (DNS rebinding to this machine) is refused.
    const rebound = await get(base, '/graphiql/dev-token', { host: 'attacker.example:80' });
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toMatch(/ey[A-Za-z0-9_-]{10,}\./);
    expect(JSON.parse(rebound.body)).toMatchObject({
      error: expect.stringMatching(/npm run token/),
    });

    // A reverse proxy on this machine forwarding someone else's request: loopback peer and, set
    // up plainly, a loopback Host, but a header saying whom it forwards for.
    const proxies: Record<string, string>[] = [
      { 'x-forwarded-for': '203.0.113.7' },
      { forwarded: 'for=203.0.113.7' },
      { 'x-real-ip': '203.0.113.7' },
      { via: '1.1 nginx' },
    ];
    for (const forwarded of proxies) {
      const proxied = await get(base, '/graphiql/dev-token', forwarded);
      expect(proxied.status).toBe(403);
      expect(proxied.body).not.toMatch(/ey[A-Za-z0-9_-]{10,}\./);
    }

    const badRole = await get(base, '/graphiql/dev-token?role=ROOT');
    expect(badRole.status).toBe(400);
  });

  it("serves a page whose policy allows GraphiQL's inline fonts and no inline script", async () => {
    const page = await get(base, '/');
    const policy = String(page.headers['content-security-policy']);
    expect(policy).toMatch(/font-src 'self' data:/);
    expect(policy).toMatch(/script-src 'self'(;|$)/);
    expect(page.body).toContain('"purpose":"social-assistance"');
    expect(page.body).toContain('330106196310216243');
  });
});

describe('GraphiQL on a platform that trusts an identity provider', () => {
  let platform: TestPlatform;
  let base: string;

  beforeAll(async () => {
    const { publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' };
    platform = await startTestPlatform('sqlite', {}, (config) => {
      const file = join(config.database.kind === 'sqlite' ? config.database.dir : '.', 'jwks.json');
      writeFileSync(file, JSON.stringify({ keys: [jwk] }));
      return { ...config, auth: { ...config.auth, tokens: { kind: 'jwks-file', file } } };
    });
    base = platform.gateway.url.replace(/\/graphql$/, '/');
  });
  afterAll(() => platform?.close());

  it('has no development token route and no button, and says how to get a token', async () => {
    expect((await get(base, '/graphiql/dev-token?department=civil_affairs')).status).toBe(404);
    const page = await get(base, '/');
    expect(page.body).toContain('"devTokens":null');
    expect(page.body).toMatch(/identity provider/);
  });

  it.runIf(chromiumAvailable('the GraphiQL browser test'))(
    'runs its default query, the catalogue, at a press of Run without a token, with no console errors',
    async () => {
      await inGraphiQL(base, async (page) => {
        expect(await page.locator('.graphiql-editor-tool').innerText()).not.toMatch(/X-Purpose/);
        const answered = page.waitForResponse(
          (r) =>
            r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('Catalogue'),
        );
        await page.locator('.graphiql-execute-button').click();
        const response = await answered;
        expect(response.status()).toBe(200);
        const body = (await response.json()) as {
          data?: { catalogueEntries?: { nodes: { code: string }[] } };
          errors?: unknown[];
        };
        expect(body.errors).toBeUndefined();
        expect(body.data?.catalogueEntries?.nodes.length).toBeGreaterThan(0);
        // The response editor draws only the lines in view: the first entry is among them.
        const first = body.data!.catalogueEntries!.nodes[0]!.code;
        await page.locator('.graphiql-response').getByText(first).first().waitFor();
      });
    },
  );

  it("opens with the catalogue, which it answers to anyone, not the demo's person or purpose", async () => {
    const page = await get(base, '/');
    expect(page.body).not.toContain('330106196310216243');
    expect(page.body).toContain('"purpose":null');
    const config = JSON.parse(
      /<script id="graphiql-config" type="application\/json">(.*?)<\/script>/s.exec(page.body)![1]!,
    ) as { query: string; variables: string };
    // Run as the page would run it, with no token: answered, with entries.
    const response = await platform.query(config.query, JSON.parse(config.variables), {});
    expect(response.errors).toBeUndefined();
    const entries = (response.data as { catalogueEntries: { nodes: { code: string }[] } })
      .catalogueEntries.nodes;
    expect(entries.map((e) => e.code)).toContain('PS-POP-001');
  });
});

/**
 * Opens GraphiQL at `base` in Chromium, runs `use` on the page once it can run, and fails if
 * the page logged an error, threw, or a request of it failed meanwhile.
 */
async function inGraphiQL(base: string, use: (page: Page) => Promise<void>): Promise<void> {
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error')
        problems.push(`console: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
    await page.goto(base);
    await page.locator('.graphiql-execute-button').waitFor();
    await use(page);
    expect(problems).toEqual([]);
  } finally {
    await browser?.close();
  }
}
