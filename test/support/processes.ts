import { readdirSync, readFileSync } from 'node:fs';

/**
 * The ids of `root`'s descendants, each after its parent (Linux `/proc`): a
 * launcher's platform, a gateway's cluster workers and their helpers.
 */
export function descendantsOf(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid …": comm may hold spaces, so read after its ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // It ended while we looked.
    }
  }
  const found: number[] = [];
  for (let i = -1; i < found.length; i++) {
    const parent = i < 0 ? root : found[i]!;
    for (const [pid, ppid] of parents) if (ppid === parent) found.push(pid);
  }
  return found;
}
