import { spawn, type ChildProcess } from 'node:child_process';

export interface CommandProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits for a line of output matching `pattern`; fails if the process ends first or after `ms`. */
  waitForLine(pattern: RegExp, ms?: number): Promise<RegExpExecArray>;
  /** SIGTERM, then SIGKILL if it has not ended within 20 s; resolves once it has ended. */
  stop(): Promise<void>;
}

/**
 * Starts `command args` as an operator (or a container runtime) would, with
 * `env` added to this process's environment, collecting its output.
 */
export function startCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string> },
): CommandProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  let ended = false;
  void exited.then(() => (ended = true));
  return {
    child,
    output: () => output,
    exited,
    waitForLine(pattern, ms = 60_000) {
      return new Promise((resolve, reject) => {
        const look = () => {
          const match = pattern.exec(output);
          if (!match) return;
          clearTimeout(timer);
          child.stdout.off('data', look);
          resolve(match);
        };
        const timer = setTimeout(
          () => reject(new Error(`no line matching ${pattern} within ${ms} ms:\n${output}`)),
          ms,
        );
        child.stdout.on('data', look);
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(new Error(`ended (${signal ?? code}) before ${pattern}:\n${output}`));
        });
        look();
      });
    },
    async stop() {
      if (ended) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
