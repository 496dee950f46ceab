import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `contents` to `file` unless it exists, so that processes starting at
 * once on one data folder (a host's workers, two platforms) agree on one file:
 * the contents go to a file of this call's own beside it, which is then linked
 * to the name. A link never replaces a file and appears whole, so each process
 * either makes the file or finds another's, and none reads one half written or
 * keeps a key that another process's write has replaced. Returns whether this
 * call made it.
 */
export function createFileOnce(file: string, contents: string, mode: number): boolean {
  if (existsSync(file)) return false;
  mkdirSync(dirname(file), { recursive: true });
  const own = `${file}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(own, contents, { mode, flag: 'wx' });
  try {
    linkSync(own, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(own, { force: true });
  }
}
