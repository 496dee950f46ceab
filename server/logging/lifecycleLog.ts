/**
 * The start, progress and stop lines of a govdata process (`[gateway] 2
 * worker(s) serving …`). For a person they are plain text. Where the process's
 * log is JSON lines — `LOG_FORMAT=json`, or `LOG_FORMAT=auto` (the default)
 * under `NODE_ENV=production`, as the container image runs — each is one JSON
 * line like the logger's (`level` 30, `time`, `pid`, `component`, `msg`), so a
 * log collector reads every line of the stream as a record. Written at once,
 * in order with the process's other output to stdout.
 */
export function lifecycleLog(
  component: string,
  env: NodeJS.ProcessEnv = process.env,
): (message: string) => void {
  let json: boolean | undefined;
  return (message) => {
    json ??=
      env.LOG_FORMAT === 'json' ||
      ((env.LOG_FORMAT ?? 'auto') === 'auto' && env.NODE_ENV === 'production');
    if (!json) {
      console.log(`[${component}] ${message}`);
      return;
    }
    const line = { level: 30, time: Date.now(), pid: process.pid, component, msg: message };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  };
}
