/**
 * `govdata keys init`: an operator's keys made before a first deployment,
 * where the configuration puts them; a second run keeps every key (replacing
 * one would cut off whoever holds it), and secrets are readable by their owner
 * only.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCommand } from '../support/commandProcess.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'govdata-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function keysInit(...args: string[]): Promise<{ code: number | null; output: string }> {
  const command = startCommand(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts', 'govdata.ts'), 'keys', 'init', ...args],
    { cwd: ROOT, env: { DATA_DIR: dir, LOG_LEVEL: 'warn' } },
  );
  const { code } = await command.exited;
  return { code, output: command.output() };
}

describe('govdata keys init', () => {
  const keys = join(dir, 'keys');
  const secrets = [
    join(keys, 'gateway-signing.jwk.json'),
    join(keys, 'join-handles.key'),
    join(keys, 'department-signing', 'city_water.jwk.json'),
    join(keys, 'department-signing', 'public_security.jwk.json'),
    join(keys, 'department-signing', 'platform_registry.jwk.json'),
  ];

  it('makes every key, secrets readable by their owner only, and keeps them on a second run', async () => {
    const first = await keysInit();
    expect(first.code, first.output).toBe(0);
    for (const file of secrets) {
      expect(first.output).toContain(`made  ${file}`);
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
    }
    expect(first.output).toContain(join(keys, 'department-verify', 'city_water.jwk.json'));
    expect(first.output).toContain(join(keys, 'department-verify', 'platform_registry.jwk.json'));
    const before = secrets.map((file) => readFileSync(file, 'utf8'));

    const second = await keysInit('--department', 'city_water');
    expect(second.code, second.output).toBe(0);
    expect(second.output).toContain(`kept  ${secrets[0]}`);
    expect(second.output).not.toContain('made');
    expect(secrets.map((file) => readFileSync(file, 'utf8'))).toEqual(before);
  }, 60_000);

  it('refuses a department that is not in the catalogue, naming those that are, as every command does', async () => {
    const refused = await keysInit('--department', 'nope');
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(
      /nope is not a department of the platform; its departments are: .*city_water/,
    );
    const both = await keysInit(
      '--department',
      'nope',
      '--department',
      'city_water',
      '--department',
      'nada',
    );
    expect(both.code).toBe(1);
    expect(both.output).toContain('nope, nada are not departments of the platform');
  }, 60_000);
});
