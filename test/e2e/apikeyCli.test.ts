/**
 * `npm run apikey`: a key issued, listed and revoked from the command line,
 * and a revoke that does not happen (unknown, or already revoked) exits 1 with
 * what to do, so a script learns of it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCommand } from '../support/commandProcess.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'govdata-apikey-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function apikey(...args: string[]): Promise<{ code: number | null; output: string }> {
  const command = startCommand(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts', 'apikey.ts'), ...args],
    { cwd: ROOT, env: { DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'warn' } },
  );
  const { code } = await command.exited;
  return { code, output: command.output() };
}

describe('npm run apikey', () => {
  it('revokes an active key, and exits 1 for one that is unknown or already revoked', async () => {
    const issued = await apikey('issue', '--department', 'civil_affairs', '--app', 'relief-app');
    expect(issued.code, issued.output).toBe(0);
    const id = /API key ([0-9a-f]{16})/.exec(issued.output)![1]!;

    const revoked = await apikey('revoke', id);
    expect(revoked.code, revoked.output).toBe(0);
    expect(revoked.output).toContain(`revoked ${id}`);

    for (const again of [id, '0123456789abcdef']) {
      const refused = await apikey('revoke', again);
      expect(refused.code, refused.output).toBe(1);
      expect(refused.output).toContain(`No active key ${again}`);
      expect(refused.output).toContain('npm run apikey -- list');
      expect(refused.output).not.toMatch(/\n\s+at .+:\d+:\d+/);
    }
    const listed = await apikey('list');
    expect(listed.output).toMatch(new RegExp(`${id}\\tcivil_affairs\\trelief-app\\t`));
  }, 120_000);
});
