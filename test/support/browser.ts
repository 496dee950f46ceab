import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { loadTestSettings } from '../../server/index.ts';

/**
 * Browser tests drive Debian's chromium through playwright-core: no browser
 * is ever downloaded. Without it the browser tests are skipped loudly, and
 * under CI=true they fail instead.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumAvailable(what: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (loadTestSettings().ci) {
    throw new Error(
      `CI=true but there is no chromium at ${CHROMIUM}: .ci/run installs it (apt-get install chromium)`,
    );
  }
  console.warn(
    `\n*** No chromium at ${CHROMIUM}: SKIPPING ${what}. ` +
      'Install it (apt-get install chromium). Under CI=true this test fails instead. ***\n',
  );
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Where browser tests write their screenshots (gitignored). */
export const ARTIFACTS_DIR = join(import.meta.dirname, '..', '..', 'test-artifacts');

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A browser context that may talk to this machine only: every request to
 * another host is aborted and recorded in `outside`, and every page error,
 * console error (a blocked content security policy shows as one) and failed
 * request in `problems`, for the test to assert empty.
 */
export async function localContext(
  browser: Browser,
): Promise<{ context: BrowserContext; outside: string[]; problems: string[] }> {
  const context = await browser.newContext({ acceptDownloads: true });
  const outside: string[] = [];
  const problems: string[] = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || LOCAL_HOSTS.has(url.hostname)) {
      await route.fallback();
    } else {
      outside.push(url.href);
      await route.abort('blockedbyclient');
    }
  });
  context.on('page', (page) => watch(page, problems));
  return { context, outside, problems };
}

function watch(page: Page, problems: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error')
      problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
  page.on('requestfailed', (req) => {
    // A download's blob: request "fails" once it is handed to the download manager.
    if (!req.url().startsWith('blob:')) {
      problems.push(
        `request failed: ${req.url()} (${req.failure()?.errorText ?? 'no reason given'})`,
      );
    }
  });
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * Writes a screenshot of the page to `ARTIFACTS_DIR/<folder>/<name>.png`
 * and checks it with axe-core: no serious or critical violation. axe is
 * evaluated through the DevTools protocol, which the page's content security
 * policy does not govern, so the policy under test stays as served.
 */
export async function screenshotAndCheck(page: Page, folder: string, name: string): Promise<void> {
  const dir = join(ARTIFACTS_DIR, folder);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  // Pages of the console change by hash: axe, once loaded, stays for the next check.
  if (!(await page.evaluate<boolean>("typeof axe === 'object'"))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate<AxeViolation[]>(
    "axe.run({ resultTypes: ['violations'] }).then((result) => result.violations)",
  );
  const grave = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${name}: ${v.id} (${v.impact}) ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`,
    );
  expect(grave).toEqual([]);
}
