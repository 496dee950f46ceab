import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';

export interface ClusterProcessSpec {
  /** Short name in messages and the log file's name: `galera-2`, `gateway-1`. */
  name: string;
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Where its stdout and stderr go (appended: a restarted process continues it). */
  logFile: string;
}

/**
 * One process of the cluster, in a process group of its own so that stopping
 * or killing it reaches everything it started (mariadbd's state transfer
 * scripts and their rsync daemon, a gateway's cluster workers), and so that a
 * Ctrl-C in the terminal reaches the cluster script alone, which stops the
 * processes in order. It can be started again after it ended (the fault run
 * kills and restarts processes).
 */
export class ClusterProcess {
  private child: ChildProcess | undefined;
  private ended: Promise<void> = Promise.resolve();

  constructor(readonly spec: ClusterProcessSpec) {}

  get name(): string {
    return this.spec.name;
  }

  /** The process group's id (its leader's pid) while it runs. */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return (
      this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
    );
  }

  /** Starts it (again); `extraArgs` are added for this start only (`--wsrep-new-cluster`). */
  start(extraArgs: readonly string[] = []): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    const log = openSync(this.spec.logFile, 'a');
    try {
      const child = spawn(this.spec.command, [...this.spec.args, ...extraArgs], {
        cwd: this.spec.cwd,
        env: this.spec.env,
        detached: true,
        stdio: ['ignore', log, log],
      });
      this.child = child;
      this.ended = new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.once('error', () => resolve());
      });
    } finally {
      closeSync(log);
    }
  }

  /** Resolves when the process it last started has ended (at once if none runs). */
  exited(): Promise<void> {
    return this.ended;
  }

  /** Fails with the end of its log if it is not running: for waits on it to give up early. */
  assertRunning(): void {
    if (!this.running) {
      throw new Error(
        `${this.name} stopped (${this.exitDescription()}); its log ends:\n${this.logTail()}`,
      );
    }
  }

  /** SIGKILL to the whole group, as a machine failure would; resolves once the leader is gone. */
  async kill(): Promise<void> {
    const pid = this.pid;
    if (pid !== undefined) signalGroup(pid, 'SIGKILL');
    await this.ended;
    if (pid !== undefined) await waitGroupGone(pid, 5000);
  }

  /**
   * SIGTERM to the group (each process drains and stops), then SIGKILL to
   * whatever of the group is left after `graceMs`. Resolves once no process of
   * the group is left.
   */
  async stop(graceMs = 20_000): Promise<void> {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    if (this.running) signalGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
    await this.ended;
    if (!(await waitGroupGone(pid, graceMs))) signalGroup(pid, 'SIGKILL');
    clearTimeout(timer);
    await waitGroupGone(pid, 5000);
  }

  /** The last `bytes` of its log. */
  logTail(bytes = 3000): string {
    try {
      const text = readFileSync(this.spec.logFile, 'utf8');
      return text.slice(-bytes);
    } catch {
      return '(no log)';
    }
  }

  private exitDescription(): string {
    if (!this.child) return 'never started';
    return this.child.signalCode ?? `exit ${this.child.exitCode}`;
  }
}

/** Sends `signal` to process group `pgid`; a group already gone is fine. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * The live processes of group `pgid` (Linux `/proc`; zombies, which are gone
 * but not yet reaped, do not count).
 */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (command) state ppid pgrp …: the command may hold spaces and parentheses.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(entry));
    } catch {
      // the process ended while being read
    }
  }
  return members;
}

/** Whether any live process of group `pgid` is left. */
export function groupAlive(pgid: number): boolean {
  return groupMembers(pgid).length > 0;
}

/** Waits until no process of group `pgid` is left; false if some still are after `ms`. */
export async function waitGroupGone(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
