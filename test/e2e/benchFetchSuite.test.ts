import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm run bench -- --suite fetch` as a newcomer runs it first: on a data
 * folder of its own, with nothing another suite set up before it (the
 * benchmark consumer's grants included), it measures all three contenders and
 * writes its table where `--results` says. Small and short: this proves the
 * suite runs, never how fast anything is.
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

describe('the fetch bench suite on a fresh data folder', () => {
  it('measures the three contenders and writes its table to --results', async () => {
    const results = join(work, 'results');
    const { code, output } = await bench([
      '--suite',
      'fetch',
      '--scale',
      '300',
      '--rounds',
      '1',
      '--seconds',
      '1',
      '--connections',
      '2',
      '--results',
      results,
    ]);
    expect(output).not.toMatch(/did not answer|Error/);
    expect(code).toBe(0);
    const written = readdirSync(results);
    const table = written.find((name) => name.endsWith('-fetch.md'));
    expect(table, written.join(', ')).toBeDefined();
    const rows = readFileSync(join(results, table!), 'utf8')
      .split('\n')
      .filter((line) => /^\| (governed|ungoverned)/.test(line));
    expect(rows).toHaveLength(3);
    // Each contender answered: a CPU figure and a request rate above zero.
    for (const row of rows) {
      const [, , cpu, , rate] = row.split('|').map((cell) => cell.trim());
      expect(Number(cpu), row).toBeGreaterThan(0);
      expect(Number(rate), row).toBeGreaterThan(0);
    }
  }, 180_000);
});
