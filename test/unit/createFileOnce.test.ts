/**
 * Keys made on first use by processes starting at once on one data folder (a
 * host's workers on a fresh clone): every process must end up with the same
 * keys as the files hold, none may read a file half written, and no key one
 * process signs with may be replaced by another's.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileOnce } from '../../server/identity/createFileOnce.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'keys', 'makeKeys.ts');
/** Processes racing, rounds of the race (each on a fresh folder) and the time between rounds. */
const PROCESSES = 3;
const ROUNDS = 40;
const APART_MS = 60;

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keys-once-'));
  dirs.push(dir);
  return dir;
}

describe('keys made on first use', () => {
  it('are the same in every process started at once, and the same as the files', async () => {
    const dir = freshDir();
    // Far enough ahead for every process to have loaded its modules.
    const startAt = Date.now() + 4_000;
    const runs = await Promise.all(
      Array.from({ length: PROCESSES }, () =>
        promisify(execFile)(
          process.execPath,
          ['--import', 'tsx', FIXTURE, dir, String(startAt), String(ROUNDS), String(APART_MS)],
          { cwd: ROOT },
        ),
      ),
    );
    const held = runs.flatMap((run) =>
      run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, string | number>),
    );
    expect(held).toHaveLength(PROCESSES * ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      const folder = join(dir, String(round));
      const publicX = (file: string) =>
        (JSON.parse(readFileSync(join(folder, file), 'utf8')) as { x: string }).x;
      const files = {
        round,
        department: publicX(join('verify', 'public_security.jwk.json')),
        gateway: publicX('gateway.public.jwk'),
        gatewayPublic: publicX('gateway.public.jwk'),
        join: readFileSync(join(folder, 'join-handles.key'), 'utf8').trim(),
      };
      expect(held.filter((keys) => keys.round === round)).toEqual(Array(PROCESSES).fill(files));
    }
    // Nothing of any process's own writing is left beside the keys.
    expect(
      readdirSync(dir, { recursive: true }).filter((name) => String(name).endsWith('.tmp')),
    ).toEqual([]);
  }, 60_000);

  it('never replaces a file that is there, and says whether this call made it', () => {
    const file = join(freshDir(), 'deeper', 'key');
    expect(createFileOnce(file, 'first', 0o600)).toBe(true);
    expect(createFileOnce(file, 'second', 0o600)).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('first');
    expect(readdirSync(join(file, '..'))).toEqual(['key']);
  });
});
