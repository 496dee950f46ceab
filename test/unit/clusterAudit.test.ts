/**
 * WorkerAuditSink and writeAuditForWorkers in a real node:cluster: the fixture
 * test/fixtures/clusterAudit/auditCluster.ts runs as a primary with two
 * workers (see it for the modes). Lives here rather than next to the code
 * because server/ is outside the TypeScript project's include list.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'clusterAudit', 'auditCluster.ts');
const GONE = 'AuditUnavailableError: the audit writer (primary process) is gone';

interface Line {
  who: 'primary' | 'worker';
  event?: string;
  id?: number;
  pid?: number;
  [key: string]: unknown;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: Line[];
  output: string;
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs the fixture cluster until the primary and every worker are gone (stdout closes). */
function runCluster(mode: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, mode], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the ${mode} cluster did not finish within 25 s:\n${output}`));
    }, 25_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const lines = output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Line);
      resolve({ code, signal, lines, output });
    });
  });
}

/** Whether a process is still running (a zombie waiting to be reaped is not). */
function running(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (existsSync('/proc/self/stat')) {
    if (!existsSync(stat)) return false;
    try {
      return readFileSync(stat, 'utf8').split(') ')[1]?.[0] !== 'Z';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const primaryLine = (run: Run) => {
  const lines = run.lines.filter((l) => l.who === 'primary');
  expect(lines, run.output).toHaveLength(1);
  return lines[0]!;
};
const workerExits = (run: Run) => run.lines.filter((l) => l.who === 'worker' && l.event === 'exit');

describe.concurrent('audit records of cluster workers, written by the primary', () => {
  it('the primary writes both workers’ records in one chain of its own; each record() resolves once durable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'govdata-cluster-audit-'));
    dirs.push(dir);
    const run = await runCluster('write', { AUDIT_FIXTURE_DIR: dir });
    expect(run.code, run.output).toBe(0);
    const primary = primaryLine(run);
    const reports = primary.reports as {
      id: number;
      recorded: number;
      batches: number;
      visibleOnResolve: number;
      empty: string;
    }[];
    expect(reports.map((r) => r.id).sort()).toEqual([1, 2]);
    for (const report of reports) {
      // Every batch was in the database by the time its record() resolved.
      expect(report.visibleOnResolve).toBe(report.batches);
      expect(report.empty).toBe('resolved');
    }
    // Batches of 1, 2, 3, 1, 2, 3, 1, 2 records from each worker.
    const expected = [1, 2]
      .flatMap((w) =>
        Array.from({ length: 8 }, (_, b) =>
          Array.from({ length: 1 + (b % 3) }, (__, n) => `w${w}-${b}-${n}`),
        ),
      )
      .flat()
      .sort();
    expect(reports.reduce((sum, r) => sum + r.recorded, 0)).toBe(expected.length);
    // Of each worker's eight record() calls, made in one turn, the first (nothing else waiting)
    // crossed to the primary at once, and the seven after it together as one message.
    expect(primary.handedOver).toEqual({
      1: { messages: 2, calls: 8 },
      2: { messages: 2, calls: 8 },
    });
    expect(primary.requestIds).toEqual(expected);
    // One writer (the primary's), one chain, intact.
    expect(primary.writers).toEqual([primary.writer]);
    expect(primary.chains).toEqual([
      { writer: primary.writer, role: 'gateway', last_seq: expected.length },
    ]);
    expect(primary.verification).toMatchObject({
      ok: true,
      chains: 1,
      records: expected.length,
      problems: [],
    });
  });

  it("a batch the primary's writer refuses rejects in its worker with AuditUnavailableError; the others resolve", async () => {
    const run = await runCluster('fail');
    expect(run.code, run.output).toBe(0);
    const primary = primaryLine(run);
    const reports = primary.reports as { id: number; outcomes: Record<string, string> }[];
    expect(reports.map((r) => r.id).sort()).toEqual([1, 2]);
    for (const { id, outcomes } of reports) {
      expect(outcomes).toEqual(
        Object.fromEntries(
          Array.from({ length: 8 }, (_, b) =>
            b % 2 === 0
              ? [`w${id}-good-${b}`, 'resolved']
              : [`w${id}-bad-${b}`, 'AuditUnavailableError: disk full'],
          ),
        ),
      );
    }
    expect(primary.kept).toEqual(
      [1, 2].flatMap((w) => [0, 2, 4, 6].map((b) => `w${w}-good-${b}`)).sort(),
    );
  });

  it('a worker cut off from its primary rejects the record in flight and every later one', async () => {
    const run = await runCluster('disconnect');
    expect(run.code, run.output).toBe(0);
    expect(primaryLine(run).handedOver).toBe(2);
    const exits = workerExits(run);
    expect(exits.map((l) => l.id).sort()).toEqual([1, 2]);
    for (const exit of exits) {
      expect(exit.pending).toBe(GONE);
      expect(exit.later).toBe(GONE);
    }
  });

  it('when the primary dies, no record in flight is reported durable and the workers end', async () => {
    const run = await runCluster('exit');
    expect(run.signal, run.output).toBe('SIGKILL');
    const started = run.lines.filter((l) => l.who === 'worker' && l.event === 'started');
    expect(started.map((l) => l.id).sort()).toEqual([1, 2]);
    const exits = workerExits(run);
    expect(exits.map((l) => l.id).sort()).toEqual([1, 2]);
    for (const exit of exits) {
      // node:cluster ends a worker as soon as its primary disconnects
      // unexpectedly, before the sink's rejection can run: the record stays
      // unanswered (never 'resolved'), and the process is gone.
      expect([GONE, 'pending']).toContain(exit.pending);
      expect([GONE, undefined]).toContain(exit.later);
    }
    for (const { pid } of started) expect(running(pid!)).toBe(false);
  });
});
