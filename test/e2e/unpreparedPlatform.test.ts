/**
 * Commands and processes that work on a platform already set up, run where it
 * is not (a folder never migrated, or a command run from another directory, so
 * that `DATA_DIR`'s default `data` is not the platform's): each stops with what
 * to do — never a failed SQL statement — and leaves no database behind.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCommand } from '../support/commandProcess.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'govdata-unprepared-'));
  dirs.push(dir);
  return dir;
}

async function run(script: string, args: string[], dataDir: string) {
  const command = startCommand(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts', script), ...args],
    {
      cwd: ROOT,
      env: { DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
    },
  );
  const { code } = await command.exited;
  return { code, output: command.output() };
}

const COMMANDS: [string, string, string[]][] = [
  ['govdata subgraph check', 'govdata.ts', ['subgraph', 'check', '--department', 'city_water']],
  ['govdata quality run', 'govdata.ts', ['quality', 'run', '--dataset', 'PS-POP-001']],
  ['audit:verify', 'auditVerify.ts', ['--chains-only']],
];

describe('a platform that is not set up', () => {
  it.each(COMMANDS)(
    '%s on a folder with no platform database says how to set it up, and creates nothing',
    async (_name, script, args) => {
      const dir = freshDir();
      const { code, output } = await run(script, args, dir);
      expect(code, output).toBe(1);
      expect(output).toContain('No platform database at');
      expect(output).toContain('npm run migrate');
      expect(output).not.toMatch(/\bselect\b|no such table/i);
      expect(readdirSync(dir)).toEqual([]);
    },
    60_000,
  );

  it('a platform database never migrated: the command names the migrations not applied', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'platform.sqlite'), ''); // an empty SQLite database
    const { code, output } = await run('govdata.ts', COMMANDS[0]![2], dir);
    expect(code, output).toBe(1);
    expect(output).toMatch(/The platform database is not set up: \d+ migration\(s\) not applied/);
    expect(output).not.toMatch(/\bselect\b|no such table/i);
    expect(existsSync(join(dir, 'platform.sqlite'))).toBe(true);
  }, 60_000);
});
