import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  launchChromium,
  localContext,
  screenshotAndCheck,
} from '../support/browser.ts';
import { Authenticator } from '../../gateway/index.ts';
import { rawGet as get } from '../support/rawGet.ts';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.ts';

/**
 * The web console as each kind of user meets it, in headless chromium on a
 * development platform (SQLite): the signed-out catalogue; an application
 * submitted by Civil Affairs, approved by Public Security with the phone
 * masked, and the masked value seen in "try it"; a draft saved, submitted and
 * published; a grant revoked; the audit trail downloaded as CSV. Every page is
 * screenshotted to test-artifacts/console/ and checked with axe-core; any
 * request to another machine fails the test.
 */
const SHOTS = 'console';
const METERS_YAML = readFileSync(
  join(import.meta.dirname, 'fixtures', 'water-meters.yaml'),
  'utf8',
);

const browserTests = chromiumAvailable('the web console browser tests');

describe.runIf(browserTests)(
  'the web console, each kind of user in chromium',
  { timeout: 180_000 },
  () => {
    let platform: TestPlatform;
    let base: string;
    let browser: Browser;
    const contexts: { context: BrowserContext; outside: string[]; problems: string[] }[] = [];
    let grantId = '';

    beforeAll(async () => {
      [platform, browser] = await Promise.all([
        // Publishing checks and recomposes; on a busy shared machine it can pass the 5 s default.
        startTestPlatform('sqlite', {}, (config) => ({
          ...config,
          timeouts: { ...config.timeouts, subgraphFetchMs: 30_000, requestMs: 60_000 },
        })),
        launchChromium(),
      ]);
      base = platform.gateway.url.replace(/\/graphql$/, '');
    });
    afterAll(async () => {
      // Nothing left the machine and no page reported an error, in any context.
      const outside = contexts.flatMap((c) => c.outside);
      const problems = contexts.flatMap((c) => c.problems);
      await browser?.close();
      await platform?.close();
      expect(outside).toEqual([]);
      expect(problems).toEqual([]);
    });

    async function newPage(): Promise<{ page: Page; context: BrowserContext }> {
      const local = await localContext(browser);
      contexts.push(local);
      return { page: await local.context.newPage(), context: local.context };
    }

    /** Signs in on the development form as `department`'s `role`. */
    async function signIn(page: Page, department: string, role: string, user: string) {
      await page.goto(`${base}/console#/sign-in`);
      await page.locator('#dev-department').fill(department);
      await page.locator('#dev-role').selectOption(role);
      await page.locator('#dev-user').fill(user);
      await page.locator('#dev-sign-in').click();
      await page.locator('.identity').getByText(department).waitFor();
    }

    it('shows the catalogue signed out, in Chinese first, English a click away, with DCAT-AP', async () => {
      const { page } = await newPage();
      await page.goto(`${base}/console`);
      await page.getByRole('heading', { name: '数据目录' }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
      await page.locator('tbody tr').first().waitFor();
      await screenshotAndCheck(page, SHOTS, '01-catalogue');

      await page.locator('#filter-keyword').fill('人口');
      await page.locator('#filter-sharingType').selectOption('CONDITIONAL');
      await page.locator('#catalogue-search').click();
      await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
      await page.getByRole('link', { name: 'PS-POP-001' }).waitFor();

      await page.getByRole('link', { name: 'PS-POP-001' }).click();
      await page.getByRole('heading', { name: /人口基本信息/ }).waitFor();
      expect(await page.locator('dl.facts').innerText()).toMatch(/public_security/);
      expect(await page.locator('main table').innerText()).toMatch(/idNumber/);
      await screenshotAndCheck(page, SHOTS, '02-entry');

      const downloading = page.waitForEvent('download');
      await page.locator('#download-dcat').click();
      const dcat = JSON.parse(readFileSync(await (await downloading).path(), 'utf8'));
      expect(JSON.stringify(dcat['@graph'])).toContain('PS-POP-001');
      expect(JSON.stringify(dcat['@graph'])).not.toContain('BE-LIC-001');

      await page.locator('#switch-lang').click();
      await page.getByRole('heading', { name: /Resident population/ }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(await page.locator('dl.facts').innerText()).toMatch(/Legal basis/);
      await screenshotAndCheck(page, SHOTS, '03-entry-english');
    });

    it('a developer applies, department IT approves with a mask, and "try it" shows the masked phone', async () => {
      const developer = await newPage();
      const dev = developer.page;
      await signIn(dev, 'civil_affairs', 'APP_DEVELOPER', 'alice');
      await screenshotAndCheck(dev, SHOTS, '04-signed-in');
      await dev.goto(`${base}/console#/entry/PS-POP-001`);
      await dev.locator('#apply-form').waitFor();

      // Nothing filled in: each field says what it needs, beside it.
      await dev.locator('#apply-submit').click();
      await dev.locator('#apply-items-problem').getByText('请至少选择一个信息项').waitFor();
      await dev.locator('#apply-purpose-problem').waitFor();
      await screenshotAndCheck(dev, SHOTS, '05-apply-validation');

      await dev.getByRole('checkbox', { name: /phone/ }).check();
      await dev.locator('#apply-purpose').fill('social-assistance');
      await dev.locator('#apply-scenario').fill('Call applicants for the minimum living allowance');
      await dev
        .locator('#apply-legalBasis')
        .fill('Interim Measures for Social Assistance (社会救助暂行办法)');
      await dev.locator('#apply-submit').click();
      const done = await dev.locator('#apply-done').innerText();
      const applicationId = /APP-[\w-]+/.exec(done)?.[0];
      expect(applicationId).toBeTruthy();

      await dev.getByRole('link', { name: '我的申请' }).click();
      await dev.getByRole('cell', { name: applicationId }).waitFor();
      await screenshotAndCheck(dev, SHOTS, '06-my-applications');

      // Public Security's department IT answers it, masking the middle of the phone number.
      const it = (await newPage()).page;
      await signIn(it, 'public_security', 'DEPT_IT', 'li');
      await it.getByRole('link', { name: '待答复申请' }).click();
      await it.locator(`[data-answer="${applicationId}"]`).click();
      await it.locator('#mask-phone').selectOption('KEEP_ENDS');
      await expect.poll(() => it.locator('#preview-phone').innerText()).toMatch(/^\d{3}\*+\d{4}$/);
      await it.locator('#row-item').fill('regionCode');
      await it.locator('#row-prefix').fill('3301');
      await screenshotAndCheck(it, SHOTS, '07-approval-form');
      await it.locator('#approve').click();
      grantId = /G-[0-9a-f-]{36}/.exec(await it.locator('#approved').innerText())![0];
      expect(grantId).toBeTruthy();

      // The developer's grant, and "try it": GraphiQL with the token, the purpose and the query.
      await dev.getByRole('link', { name: '我的授权' }).click();
      const tryIt = dev.locator(`[data-try-it="${grantId}"]`);
      await tryIt.waitFor();
      expect(await tryIt.getAttribute('href')).not.toMatch(/ey[A-Za-z0-9_-]{10,}\./);
      await screenshotAndCheck(dev, SHOTS, '08-my-grants');
      const [graphiql] = await Promise.all([developer.context.waitForEvent('page'), tryIt.click()]);
      await graphiql.locator('.graphiql-execute-button').waitFor();
      await expect
        .poll(() => graphiql.locator('.graphiql-editor-tool').innerText())
        .toMatch(/Bearer ey/);
      // The grant and its purpose came from the console, by way of its storage, not the link.
      expect(await tryIt.getAttribute('href')).toBe(
        `/graphiql?session=console&tryIt=${encodeURIComponent(grantId)}`,
      );
      const tools = await graphiql.locator('.graphiql-editor-tool').innerText();
      expect(tools).toContain(grantId);
      expect(tools).toMatch(/"X-Purpose": "[^"]+"/);
      const answered = graphiql.waitForResponse(
        (r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('TryIt'),
      );
      await graphiql.locator('.graphiql-execute-button').click();
      const body = (await (await answered).json()) as {
        data?: { persons?: { nodes: { phone: string | null }[] } };
      };
      const phones = body.data?.persons?.nodes.map((n) => n.phone) ?? [];
      expect(phones.length).toBeGreaterThan(0);
      for (const phone of phones) expect(phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      await graphiql.locator('.graphiql-response').getByText(phones[0]!).first().waitFor();
      await graphiql.screenshot({ path: join('test-artifacts', SHOTS, '09-try-it.png') });

      await dev.getByRole('link', { name: '我的访问记录' }).click();
      await dev.getByRole('cell', { name: 'PS-POP-001' }).first().waitFor();
      await screenshotAndCheck(dev, SHOTS, '10-my-accesses');

      // Public Security's IT sees who read its data: Civil Affairs, in a chart counted on the server.
      await it.getByRole('link', { name: '数据使用情况' }).click();
      const reads = it.locator('main table tbody tr', { hasText: 'civil_affairs' });
      await reads.first().waitFor();
      expect(Number(await reads.first().locator('td').nth(2).innerText())).toBeGreaterThan(0);
      expect(await it.locator('#reads-chart rect').count()).toBeGreaterThan(0);
      await screenshotAndCheck(it, SHOTS, '10b-who-read-my-data');

      // The token lives in an HttpOnly cookie and in memory: never in storage.
      const stored = await dev.evaluate<string>(
        'JSON.stringify({ ...localStorage, ...sessionStorage })',
      );
      expect(stored).not.toMatch(/ey[A-Za-z0-9_-]{10,}\./);
      const [session] = (await developer.context.cookies()).filter(
        (c) => c.name === 'govdata_console',
      );
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });
    });

    it('department IT saves and submits a draft, checked as typed; a reviewer publishes it', async () => {
      const it = (await newPage()).page;
      await signIn(it, 'city_water', 'DEPT_IT', 'wang');
      await it.getByRole('link', { name: '目录草稿编辑' }).click();
      await it
        .locator('#draft-document')
        .fill(METERS_YAML.replace('classification: DEPARTMENT', 'classification: NATIONAL'));
      await it
        .locator('#draft-document-problem')
        .getByText(/classification/)
        .waitFor();
      await screenshotAndCheck(it, SHOTS, '11-draft-invalid');
      await it.locator('#draft-document').fill(METERS_YAML);
      await it.locator('#draft-ok').waitFor();
      await it.locator('#draft-reason').fill('Meter readings for arrears checks');
      await it.locator('#draft-save').click();
      await it
        .locator('#draft-saved')
        .getByText(/CW-MTR-001 v1/)
        .waitFor();
      await it.locator('#draft-submit').click();
      await it.locator('#draft-submitted').getByText('已提交').waitFor();
      await screenshotAndCheck(it, SHOTS, '12-draft-submitted');

      const reviewer = (await newPage()).page;
      await signIn(reviewer, 'data_office', 'REVIEWER', 'zhao');
      await reviewer.getByRole('link', { name: '目录审核' }).click();
      await reviewer.locator('[data-review="CW-MTR-001@1"]').click();
      await reviewer.locator('pre.diff .added').first().waitFor();
      await screenshotAndCheck(reviewer, SHOTS, '13-review');
      await reviewer.locator('#publish').click();
      // Publishing checks the entry again and recomposes: on a busy machine, allow it time.
      await reviewer
        .locator('#review-decided, #review .problems')
        .first()
        .waitFor({ timeout: 90_000 });
      expect(await reviewer.locator('#review .problems').allInnerTexts()).toEqual([]);
      expect(await reviewer.locator('#review-decided').innerText()).toBe('已发布');

      await it.getByRole('link', { name: '本部门目录' }).click();
      await it.getByRole('button', { name: 'CW-MTR-001' }).click();
      await it.locator('.card').getByText('已发布').waitFor();
      await screenshotAndCheck(it, SHOTS, '14-my-entries');
      await it.getByRole('link', { name: '数据纠错' }).click();
      await it.getByRole('heading', { name: '数据纠错' }).waitFor();
      await it.locator('main table, main .empty').first().waitFor();
      await screenshotAndCheck(it, SHOTS, '14b-error-reports');

      // Every department's scorecard over time: the month's served requests of Public Security.
      await reviewer.getByRole('link', { name: '监督考核' }).click();
      await reviewer.locator('[data-scorecard="public_security"] svg rect').first().waitFor();
      const row = reviewer.locator('main table tbody tr', { hasText: 'public_security' });
      expect(Number(await row.locator('td').nth(1).innerText())).toBeGreaterThan(0);
      await screenshotAndCheck(reviewer, SHOTS, '14c-scorecards');

      // A page this role may not use: the refusal in Chinese words, the API's own as detail;
      // in English, the API's message.
      await it.goto(`${base}/console#/admin/api-keys`);
      const refusal = it.locator('main .problems').first();
      await refusal.getByText('您的账号没有执行此操作的权限').waitFor();
      expect(await refusal.locator('.message').innerText()).toMatch(/ADMIN/);
      await it.locator('#switch-lang').click();
      await refusal.getByText(/This needs the role ADMIN/).waitFor();
      expect(await refusal.innerText()).not.toMatch(/[\u4e00-\u9fff]/);
      await it.locator('#switch-lang').click();
    });

    it("an admin reads a grant's history and revokes it; the audit trail downloads as CSV; API keys; the calendar", async () => {
      const { page: admin, context: adminContext } = await newPage();
      await signIn(admin, 'data_office', 'ADMIN', 'qian');

      // A link from another site that opens GraphiQL with the admin's session and its own
      // operation: the token comes, the operation does not (one press of Run would issue a key).
      const planted = `mutation { issueApiKey(input: { department: "civil_affairs", application: "x" }) { secret } }`;
      const lured = await adminContext.newPage();
      await lured.goto(
        `${base}/graphiql?${new URLSearchParams({ session: 'console', query: planted }).toString()}`,
      );
      await expect
        .poll(() => lured.locator('.graphiql-editor-tool').innerText())
        .toMatch(/Bearer ey/);
      const editor = await lured.locator('.graphiql-query-editor').innerText();
      expect(editor).not.toContain('issueApiKey');
      expect(editor).toContain('query');
      // Nor a purpose, a grant or a "try it" query of its choosing: the victim's requests
      // would go out, and be recorded, under a purpose the victim never gave.
      await lured.waitForLoadState('networkidle');
      const tryItShaped = `# PS-POP-001: planted\nquery TryIt {\n  persons(first: 5) {\n    nodes {\n      phone\n    }\n  }\n}\n`;
      await lured.goto(
        `${base}/graphiql?${new URLSearchParams({
          session: 'console',
          purpose: 'planted-purpose',
          grant: 'G-planted',
          tryIt: 'G-planted',
          query: tryItShaped,
        }).toString()}`,
      );
      await expect
        .poll(() => lured.locator('.graphiql-editor-tool').innerText())
        .toMatch(/Bearer ey/);
      const plantedTools = await lured.locator('.graphiql-editor-tool').innerText();
      expect(plantedTools).not.toContain('planted-purpose');
      expect(plantedTools).not.toContain('G-planted');
      expect(await lured.locator('.graphiql-query-editor').innerText()).not.toContain('planted');
      // Nor by way of the browser's storage: a first link without the session leaves the
      // operation in GraphiQL's saved tabs, a second opens the session without one.
      // (Each page is left once GraphiQL's own requests are done: leaving aborts them,
      // which the page's problems would count.)
      await lured.waitForLoadState('networkidle');
      await lured.goto(`${base}/graphiql?${new URLSearchParams({ query: planted }).toString()}`);
      await expect
        .poll(() =>
          lured.evaluate(() =>
            Object.values(
              (globalThis as unknown as { localStorage: Record<string, string> }).localStorage,
            ).join('\n'),
          ),
        )
        .toContain('issueApiKey');
      await lured.waitForLoadState('networkidle');
      await lured.goto(`${base}/graphiql?session=console`);
      await expect
        .poll(() => lured.locator('.graphiql-editor-tool').innerText())
        .toMatch(/Bearer ey/);
      const restored = await lured.locator('.graphiql-query-editor').innerText();
      expect(restored).not.toContain('issueApiKey');
      expect(restored).toContain('query');
      await lured.waitForLoadState('networkidle');
      await lured.close();

      await admin.getByRole('link', { name: '授权管理' }).click();
      await admin.locator(`[data-grant="${grantId}"]`).click();
      await admin.locator('#grant-detail pre.diff').first().waitFor();
      await screenshotAndCheck(admin, SHOTS, '15-grant-history');

      // Someone changes the grant while the admin's page shows it: the admin's edit is refused
      // (optimistic concurrency), and the page says so in words instead of overwriting.
      const asAdmin = {
        authorization: `Bearer ${await platform.token({ department: 'data_office', roles: ['ADMIN'] })}`,
      };
      const shown = await platform.query<{ grant: Record<string, unknown> & { version: number } }>(
        'query($id: ID!) { grant(id: $id) { version items purposes modes validFrom validUntil } }',
        { id: grantId },
        asAdmin,
      );
      const { version, ...conditions } = shown.data!.grant;
      const changed = await platform.query(
        `mutation($id: ID!, $v: Int!, $c: GrantConditionsInput!) {
          updateGrant(id: $id, expectedVersion: $v, conditions: $c, reason: "Quota set by the office") { version }
        }`,
        {
          id: grantId,
          v: version,
          c: {
            ...conditions,
            masks: [{ item: 'phone', rule: 'KEEP_ENDS', first: 3, last: 4 }],
            rowFilter: [{ item: 'regionCode', startsWith: '3301' }],
            dailyQuota: 500,
          },
        },
        asAdmin,
      );
      expect(changed.errors).toBeUndefined();
      await admin.locator('#edit-reason').fill('Longer validity');
      await admin.locator('#grant-save').click();
      await admin.getByText(/他人已修改此授权/).waitFor();
      await screenshotAndCheck(admin, SHOTS, '15b-grant-conflict');
      await admin.getByRole('button', { name: '重新加载' }).click();
      await admin
        .locator('#grant-edit-title')
        .getByText(`v${version + 1}`)
        .waitFor();
      await admin.locator('#revoke').click();
      await admin
        .locator('#revoke-reason-problem, .problems')
        .getByText(/reason/)
        .first()
        .waitFor();
      await admin.locator('#revoke-reason').fill('The relief programme ended');
      await admin.locator('#revoke').click();
      // Revoking takes effect at once; on a busy machine, allow it time (and show any refusal).
      await expect
        .poll(
          async () =>
            (await admin.locator('#revoked').count()) > 0
              ? 'revoked'
              : (await admin.locator('#grant-detail > .problems').allInnerTexts()).join(' '),
          { timeout: 90_000 },
        )
        .toBe('revoked');
      expect(await admin.locator('#revoked').innerText()).toBe('已撤销');
      const grant = await platform.query<{ grant: { status: string } }>(
        'query($id: ID!) { grant(id: $id) { status } }',
        { id: grantId },
        {
          authorization: `Bearer ${await platform.token({ department: 'data_office', roles: ['ADMIN'] })}`,
        },
      );
      expect(grant.data?.grant.status).toBe('REVOKED');

      await admin.getByRole('link', { name: '审计日志' }).click();
      await admin.locator('main tbody tr').first().waitFor();
      await admin.locator('#audit-verify').click();
      await admin.locator('#chain-result').waitFor();
      await screenshotAndCheck(admin, SHOTS, '16-audit');
      const downloading = admin.waitForEvent('download');
      await admin.locator('#audit-csv').click();
      const download = await downloading;
      expect(download.suggestedFilename()).toBe('audit.csv');
      const csv = readFileSync(await download.path(), 'utf8');
      expect(csv.split('\n')[0]).toMatch(/requestId/);
      expect(csv).toContain('PS-POP-001');

      // API keys: what is missing is said beside each field; the secret is shown once, copied.
      await adminContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
      await admin.getByRole('link', { name: 'API 密钥' }).click();
      await admin.locator('#issue-key-submit').click();
      await admin
        .locator('#key-department-problem')
        .getByText(/department/)
        .waitFor();
      await admin.locator('#key-application-problem').waitFor();
      await admin.locator('#key-department').fill('civil_affairs');
      await admin.locator('#key-application').fill('relief-app');
      await admin.locator('#key-label').fill('relief desk');
      await admin.locator('#issue-key-submit').click();
      const secret = await admin.locator('#issued-secret').inputValue();
      expect(secret).toMatch(/^gdk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      await admin.locator('#copy-secret').click();
      await admin.locator('#copied').getByText('已复制到剪贴板').waitFor();
      expect(await admin.evaluate<string>('navigator.clipboard.readText()')).toBe(secret);
      const keyId = secret.slice(4, 20);
      await admin.locator(`[data-revoke-key="${keyId}"]`).waitFor();
      await screenshotAndCheck(admin, SHOTS, '17-api-keys');
      const withKey = await platform.query(
        '{ sharingApplications { id } }',
        {},
        { 'x-api-key': secret },
      );
      expect(withKey.errors).toBeUndefined();
      await admin.locator('#hide-secret').click();
      expect(await admin.content()).not.toContain(secret.slice(21));
      // Revoking asks first.
      await admin.locator(`[data-revoke-key="${keyId}"]`).click();
      await admin.locator('#confirm-revoke-key').click();
      await admin.locator('main tr', { hasText: keyId }).getByText('已撤销').waitFor();
      expect(await admin.content()).not.toContain(secret.slice(21));

      // The working-day calendar: a holiday added next year, refused first with the API's words.
      await admin.getByRole('link', { name: '工作日历' }).click();
      await admin.locator('table.month button.day').first().waitFor();
      await screenshotAndCheck(admin, SHOTS, '18-calendar');
      const year = Number(await admin.locator('#calendar-year').innerText());
      const day = `${year + 1}-03-03`;
      await admin.locator('#calendar-date').fill(day);
      await admin.locator('#calendar-name').fill('节'.repeat(65));
      await admin.locator('#calendar-save').click();
      await admin.locator('#calendar-name-problem').getByText(/name/).waitFor();
      await admin.locator('#calendar-name').fill('测试假日');
      await admin.locator('#calendar-save').click();
      await admin.locator(`button.day.holiday[data-date="${day}"]`).waitFor();
      await admin.locator(`[data-remove-day="${day}"]`).click();
      await admin.locator('#calendar-done').getByText('已删除').waitFor();
      await admin.locator(`button.day[data-date="${day}"]:not(.holiday)`).waitFor();
    });
  },
);

describe("the web console's sign-in routes, attacked directly", () => {
  let platform: TestPlatform;
  let base: string;
  const FROM_CONSOLE = { 'sec-fetch-site': 'same-origin', 'x-console': '1' };

  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
    base = platform.gateway.url.replace(/\/graphql$/, '');
  });
  afterAll(() => platform?.close());

  it('serves the page under a strict policy: no inline script or style, nothing from elsewhere', async () => {
    const page = await get(base, '/console');
    expect(page.status).toBe(200);
    const policy = String(page.headers['content-security-policy']);
    expect(policy).toMatch(/default-src 'none'/);
    expect(policy).toMatch(/script-src 'self'(;|$)/);
    expect(policy).toMatch(/style-src 'self'(;|$)/);
    expect(policy).toMatch(/frame-ancestors 'none'/);
    expect(policy).not.toMatch(/unsafe|https?:/);
    expect(page.body).not.toMatch(/<script>|<style|style=|https?:\/\//);
    const script = await get(base, '/console/console.js');
    expect(script.status).toBe(200);
    expect(script.body).not.toMatch(
      /https?:\/\/(?!www\.w3\.org)[\w.-]+\.[a-z]{2,}\/[\w/-]*\.(js|css|woff2?)/,
    );
  });

  it('mints a development session only for the console script on this machine, in an HttpOnly cookie', async () => {
    // A cross-site page (no same-origin fetch metadata, no X-Console) gets nothing.
    expect((await get(base, '/console/auth/dev?department=civil_affairs')).status).toBe(403);
    expect(
      (
        await get(base, '/console/auth/dev?department=civil_affairs', {
          'sec-fetch-site': 'cross-site',
          'x-console': '1',
        })
      ).status,
    ).toBe(403);
    // DNS rebinding: the page's host is another name for this machine.
    const rebound = await get(base, '/console/auth/dev', {
      ...FROM_CONSOLE,
      host: 'attacker.example',
    });
    expect(rebound.status).toBe(403);
    expect(rebound.headers['set-cookie']).toBeUndefined();
    // Bad department codes and roles are refused, with words.
    expect((await get(base, "/console/auth/dev?department=x';--", FROM_CONSOLE)).status).toBe(400);
    expect((await get(base, '/console/auth/dev?role=ROOT', FROM_CONSOLE)).status).toBe(400);
    expect((await get(base, '/console/auth/dev?user=%3Cscript%3E', FROM_CONSOLE)).status).toBe(400);

    const signedIn = await get(
      base,
      '/console/auth/dev?department=civil_affairs&role=ADMIN',
      FROM_CONSOLE,
    );
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).not.toMatch(/ey[A-Za-z0-9_-]{10,}\./);
    const cookie = String((signedIn.headers['set-cookie'] as string[])[0]);
    expect(cookie).toMatch(/^govdata_console=ey/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/console;/);
    const session = cookie.split(';')[0]!;

    // Only the console's own script reads the session back.
    expect((await get(base, '/console/auth/session', { cookie: session })).status).toBe(403);
    const read = await get(base, '/console/auth/session', { ...FROM_CONSOLE, cookie: session });
    expect(JSON.parse(read.body)).toMatchObject({
      signedIn: true,
      department: 'civil_affairs',
      roles: ['ADMIN'],
    });
    expect(read.headers['cache-control']).toBe('no-store');

    // The API never takes the cookie as a credential: a forged cross-site POST is anonymous.
    const viaCookie = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: session },
      body: JSON.stringify({ query: '{ grants { id } }' }),
    });
    const answer = (await viaCookie.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(answer.errors?.[0]?.extensions?.code).toMatch(/UNAUTHENTICATED|FORBIDDEN/);

    // A forged cookie is only as good as its signature: the gateway refuses it.
    const forged = `govdata_console=${session.split('=')[1]!.replace(/\.[^.]+$/, '.AAAA')}`;
    const forgedRead = JSON.parse(
      (await get(base, '/console/auth/session', { ...FROM_CONSOLE, cookie: forged })).body,
    ) as { token?: string };
    const refused = await platform.query(
      '{ grants { id } }',
      {},
      { authorization: `Bearer ${forgedRead.token ?? 'x'}` },
    );
    expect(refused.status).toBe(401);

    const out = await get(base, '/console/auth/sign-out', { ...FROM_CONSOLE, cookie: session });
    expect(String((out.headers['set-cookie'] as string[])[0])).toMatch(/Max-Age=0/);
  });

  it('signs the token itself out: a copy taken while signed in no longer works, here or at another gateway', async () => {
    const signedIn = await get(
      base,
      '/console/auth/dev?department=data_office&role=REVIEWER&user=zhao',
      FROM_CONSOLE,
    );
    const session = String((signedIn.headers['set-cookie'] as string[])[0]).split(';')[0]!;
    const { token } = JSON.parse(
      (await get(base, '/console/auth/session', { ...FROM_CONSOLE, cookie: session })).body,
    ) as { token: string };
    const copied = { authorization: `Bearer ${token}` };
    const query = '{ catalogueEntries(first: 1) { nodes { code } } }';
    expect((await platform.query(query, {}, copied)).errors).toBeUndefined();
    // Another gateway of the platform, which has already verified the token.
    const other = Authenticator.create(platform.config.auth, platform.platformDb);
    other.signedOut.start();
    try {
      expect((await other.verifyToken(token)).user).toBe('zhao');

      await get(base, '/console/auth/sign-out', { ...FROM_CONSOLE, cookie: session });
      const refused = await platform.query(query, {}, copied);
      expect(refused.status).toBe(401);
      expect(refused.errors?.[0]?.message).toContain('signed out');
      await other.signedOut.poll();
      await expect(other.verifyToken(token)).rejects.toThrow(/signed out/);
      // Nor re-encoded: the signature's last character with its spare bits changed, or padded.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const last = alphabet.indexOf(token.at(-1)!);
      for (const variant of [`${token.slice(0, -1)}${alphabet[last ^ 1]}`, `${token}=`]) {
        const answer = await platform.query(query, {}, { authorization: `Bearer ${variant}` });
        expect(answer.status, variant.slice(-4)).toBe(401);
      }
      // A process that follows no sign-outs (the command line's --admin-token) reads them once.
      const command = Authenticator.create(platform.config.auth, platform.platformDb);
      await expect(command.verifyToken(token)).rejects.toThrow(/signed out/);
      // Only a token this platform verifies is recorded, never whatever a cookie holds.
      const count = async () =>
        Number((await platform.platformDb('signed_out_tokens').count({ n: '*' }))[0]!.n);
      const recorded = await count();
      const forged = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(43)}`;
      await get(base, '/console/auth/sign-out', {
        ...FROM_CONSOLE,
        cookie: `govdata_console=${forged}`,
      });
      const unsigned = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ exp: 253402300799 })).toString('base64url')}.x`;
      await get(base, '/console/auth/sign-out', {
        ...FROM_CONSOLE,
        cookie: `govdata_console=${unsigned}`,
      });
      expect(await count()).toBe(recorded);
      // Only the token's hash is kept, and only that token is refused.
      const rows = await platform.platformDb('signed_out_tokens').select('token_sha256');
      expect(JSON.stringify(rows)).not.toContain(token.slice(0, 20));
      const again = await get(
        base,
        '/console/auth/dev?department=data_office&role=REVIEWER&user=zhao',
        FROM_CONSOLE,
      );
      const next = String((again.headers['set-cookie'] as string[])[0]).split(';')[0]!;
      const fresh = JSON.parse(
        (await get(base, '/console/auth/session', { ...FROM_CONSOLE, cookie: next })).body,
      ) as { token: string };
      expect(fresh.token).not.toBe(token);
      const answered = await platform.query(query, {}, { authorization: `Bearer ${fresh.token}` });
      expect(answered.errors).toBeUndefined();
    } finally {
      other.signedOut.stop();
    }
  });
});
