import { DEMO_REFERENCE_DAY } from './demoReferenceDate.ts';
import type { SeededRandom } from './seededRandom.ts';

/**
 * A day uniformly in [from, to], with both ends clamped to before the demo's
 * reference date and `from` clamped to `to`, so a late lower bound (someone
 * who only just came of age) still gives a valid day rather than an error.
 */
export function randomDay(random: SeededRandom, from: number, to: number): number {
  const last = Math.min(to, DEMO_REFERENCE_DAY - 1);
  return random.int(Math.min(from, last), last);
}

/**
 * A day in the `windowDays` before the reference date, but not before
 * `notBefore`: how current records are dated, so that a record kind valid for
 * N years is expired about once in N+1 rows, not almost always.
 */
export function recentDay(random: SeededRandom, notBefore: number, windowDays: number): number {
  return randomDay(
    random,
    Math.max(notBefore, DEMO_REFERENCE_DAY - windowDays),
    DEMO_REFERENCE_DAY,
  );
}
