import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm run bench -- --suite fetch` (and `--suite governance`) as a newcomer
 * runs it first: on a data folder of its own, with nothing another suite set
 * up before it (the benchmark consumer's grants included), it measures every
 * contender and writes its table where `--results` says. Small and short:
 * this proves the suites run, never how fast anything is.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'govdata-bench-fetch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function bench(args: readonly string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join('scripts', 'bench.ts'), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: join(work, 'data'), DATABASE_URL: '' },
        timeout: 170_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** The rows of the table `suite` wrote to `results` that match `row`, after checking the run. */
async function tableRows(suite: string, args: readonly string[], row: RegExp): Promise<string[]> {
  const results = join(work, suite);
  const { code, output } = await bench(['--suite', suite, ...args, '--results', results]);
  expect(output).not.toMatch(/did not answer|Error/);
  expect(code).toBe(0);
  const written = readdirSync(results);
  const table = written.find((name) => name.endsWith(`-${suite}.md`));
  expect(table, written.join(', ')).toBeDefined();
  return readFileSync(join(results, table!), 'utf8')
    .split('\n')
    .filter((line) => row.test(line));
}

describe('the fetch bench suite on a fresh data folder', () => {
  it('measures the three contenders and writes its table to --results', async () => {
    const rows = await tableRows(
      'fetch',
      ['--scale', '300', '--rounds', '1', '--seconds', '1', '--connections', '2'],
      /^\| (governed|ungoverned)/,
    );
    expect(rows).toHaveLength(3);
    // Each contender answered: a CPU figure and a request rate above zero.
    for (const row of rows) {
      const [, , cpu, , rate] = row.split('|').map((cell) => cell.trim());
      expect(Number(cpu), row).toBeGreaterThan(0);
      expect(Number(rate), row).toBeGreaterThan(0);
    }
  }, 180_000);
});

describe('the governance bench suite on a fresh data folder', () => {
  it('measures both fetches governed and not and writes its table to --results', async () => {
    const rows = await tableRows(
      'governance',
      ['--scale', '300', '--blocks', '2'],
      /^\| (the single lookup|100 people)/,
    );
    expect(rows).toHaveLength(2);
    // Both sides answered every fetch (the suite stops otherwise): CPU figures above zero.
    for (const row of rows) {
      const [, , governed, ungoverned] = row.split('|').map((cell) => cell.trim());
      expect(Number(governed), row).toBeGreaterThan(0);
      expect(Number(ungoverned), row).toBeGreaterThan(0);
    }
  }, 180_000);
});
