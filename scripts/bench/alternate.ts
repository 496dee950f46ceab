import type { LoadResult } from './runAutocannon.ts';

/** One warm-up turn's length. */
const WARM_UP_SECONDS = 3;
/**
 * Requests each contender serves in warm-up before anything is measured, and
 * the most warm-up time it gets: plan caches, connection pools, the database's
 * page cache and V8's optimising tiers need requests, not seconds — a heavy
 * operation at 40 req/s was still getting faster after three 5 s rounds.
 */
const WARM_UP_REQUESTS = 1000;
const WARM_UP_MAX_SECONDS = 24;

/** The pause before each measured turn, for the previous contender's background work to end. */
const SETTLE_MS = 1000;
/**
 * An unmeasured turn each contender runs right before each measured one. In
 * rounds of reversed order (A B, B A) the last of a round runs again first in
 * the next, still hot, while the other has been idle for two turns: with
 * nothing between, the hot turn served 10–20% more requests (a 16-round run
 * of the observability suite, every round the same way), whichever side it
 * was. After this turn both sides start measured turns equally warm.
 */
const REWARM_SECONDS = 2;

/** How `alternate` schedules its turns, as the reports state it. */
export function alternatingRounds(rounds: number, seconds: number): string {
  return `${rounds} alternating rounds of ${seconds} s after a warm-up (each measured turn right after a ${REWARM_SECONDS} s unmeasured one)`;
}

/**
 * Warms each contender up (3 s turns until it has served 1,000 requests, at
 * most 24 s), then runs `rounds` rounds in which the contenders take turns,
 * in reverse order every other round (A B C, C B A, A B C …), so drift on the
 * machine touches them all alike and none always follows the same one (whose
 * log flushes, span exports, audit commits and garbage collection can spill
 * into the next turn). Each measured turn starts after a 1 s pause and a 2 s
 * unmeasured turn of its own (`REWARM_SECONDS`). `run` gets each turn's length
 * in seconds; warm-up results are dropped.
 */
export async function alternate<Name extends string>(
  names: readonly Name[],
  schedule: { rounds: number; seconds: number },
  run: (name: Name, seconds: number) => Promise<LoadResult>,
  report: (name: Name, round: number, result: LoadResult) => void,
): Promise<Map<Name, LoadResult[]>> {
  const results = new Map<Name, LoadResult[]>(names.map((n) => [n, []]));
  const turn = Math.min(WARM_UP_SECONDS, schedule.seconds);
  for (const name of names) {
    let served = 0;
    for (let spent = 0; served < WARM_UP_REQUESTS && spent < WARM_UP_MAX_SECONDS; spent += turn) {
      served += (await run(name, turn)).requestsPerSecond * turn;
    }
  }
  for (let round = 1; round <= schedule.rounds; round++) {
    for (const name of round % 2 === 1 ? names : [...names].reverse()) {
      await new Promise((settled) => setTimeout(settled, SETTLE_MS));
      await run(name, Math.min(REWARM_SECONDS, schedule.seconds));
      const result = await run(name, schedule.seconds);
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
