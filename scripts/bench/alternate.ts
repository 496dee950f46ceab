import type { LoadResult } from './runAutocannon.ts';

/** The warm-up round's length: enough for plan caches, JIT and connection pools. */
const WARM_UP_SECONDS = 3;

/**
 * Runs a warm-up round, then `rounds` rounds in which the contenders take
 * turns (A B C A B C …), so drift on the machine touches them all alike.
 * `run` gets each turn's length in seconds; warm-up results are dropped.
 */
export async function alternate<Name extends string>(
  names: readonly Name[],
  schedule: { rounds: number; seconds: number },
  run: (name: Name, seconds: number) => Promise<LoadResult>,
  report: (name: Name, round: number, result: LoadResult) => void,
): Promise<Map<Name, LoadResult[]>> {
  const results = new Map<Name, LoadResult[]>(names.map((n) => [n, []]));
  for (let round = 0; round <= schedule.rounds; round++) {
    for (const name of names) {
      const seconds = round === 0 ? Math.min(WARM_UP_SECONDS, schedule.seconds) : schedule.seconds;
      const result = await run(name, seconds);
      if (round === 0) continue;
      results.get(name)!.push(result);
      report(name, round, result);
    }
  }
  return results;
}

/** Logs each round's throughput and median latency (`indent` nests it under a heading). */
export function logRounds(
  log: (message: string) => void,
  indent = '',
): (name: string, round: number, result: LoadResult) => void {
  return (name, round, result) =>
    log(
      `${indent}round ${round} ${name}: ${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50} ms`,
    );
}
