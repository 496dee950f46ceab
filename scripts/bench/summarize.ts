import { cpus } from 'node:os';
import type { LoadResult } from './runAutocannon.ts';

/** The median of numbers (the middle round, robust to one noisy round). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The value at quantile `q` (0.5, 0.95, …) of `sorted`, ascending; undefined when it is empty. */
export function quantile(sorted: readonly number[], q: number): number | undefined {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export interface Summary {
  name: string;
  rounds: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  /** Median CPU milliseconds a request cost each measured server, by name, when measured. */
  cpuMsPerRequest?: Record<string, number>;
}

/** One line per contender: medians over its rounds, errors summed. */
export function summarize(name: string, results: readonly LoadResult[]): Summary {
  return {
    name,
    rounds: results.length,
    requestsPerSecond: Math.round(median(results.map((r) => r.requestsPerSecond))),
    p50: median(results.map((r) => r.p50)),
    p95: median(results.map((r) => r.p95)),
    p99: median(results.map((r) => r.p99)),
    errors: results.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
    ...cpuMedians(results),
  };
}

function cpuMedians(results: readonly LoadResult[]): Pick<Summary, 'cpuMsPerRequest'> {
  const names = new Set(results.flatMap((r) => Object.keys(r.cpuMsPerRequest ?? {})));
  if (names.size === 0) return {};
  const cpuMsPerRequest: Record<string, number> = {};
  for (const name of names) {
    const values = results.flatMap((r) => r.cpuMsPerRequest?.[name] ?? []);
    cpuMsPerRequest[name] = median(values);
  }
  return { cpuMsPerRequest };
}

/** The machine a run was made on, as recorded beside its figures. */
export function machine(): { cpu: string; cores: number; node: string } {
  const list = cpus();
  return { cpu: list[0]?.model.trim() ?? 'unknown', cores: list.length, node: process.version };
}

export function markdownTable(summaries: readonly Summary[], baseline: string): string {
  const base = summaries.find((s) => s.name === baseline)!;
  const rows = summaries.map(
    (s) =>
      `| ${s.name} | ${s.requestsPerSecond} | ${(s.requestsPerSecond / base.requestsPerSecond).toFixed(2)}× | ${s.p50} | ${s.p95.toFixed(1)} | ${s.p99} | ${s.errors} |`,
  );
  return [
    `| contender | req/s | vs ${baseline} | p50 ms | p95 ms | p99 ms | errors |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}
