/**
 * Deterministic randomness for the demo data: every draw is a pure function of
 * `(stream, index)` and the number of draws before it, so any row can be
 * recomputed on its own, in any order, on any machine.
 *
 * Only 32-bit integer arithmetic (`Math.imul`, shifts, xor) and exact float
 * division are used, so results are bit-identical across platforms and engines.
 * Never `Math.random`, never module state.
 */
export interface SeededRandom {
  /** The next unsigned 32-bit integer of the sequence. */
  uint32(): number;
  /** A number in [0, 1) with 32 bits of randomness. */
  float(): number;
  /** An integer in [min, max], both inclusive; `max - min` must stay below 2^32. */
  int(min: number, max: number): number;
  /** True with probability `numerator / denominator` (integers, so no float rounding leaks in). */
  chance(numerator: number, denominator: number): boolean;
  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** One value of `[value, weight]` pairs with positive integer weights, proportionally. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T;
}

/** Golden-ratio increment of splitmix32. */
const GOLDEN = 0x9e3779b9;

/**
 * A bijective 32-bit mixer (Chris Wellons' "lowbias32"). Being a bijection,
 * distinct inputs never collide, which the seeding below relies on.
 */
export function mix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x21f0aaad);
  x ^= x >>> 15;
  x = Math.imul(x, 0x735a2d97);
  x ^= x >>> 15;
  return x >>> 0;
}

/** Hashes two 32-bit integers into one; for a fixed `a` it is a bijection of `b`. */
export function hash32(a: number, b: number): number {
  return mix32((b ^ mix32(a + GOLDEN)) >>> 0);
}

/**
 * A splitmix32 generator seeded from `(stream, index)`. Streams keep the
 * draws of different tables independent: the number of licences person `i`
 * holds does not shift when the person row gains a field.
 */
export function seededRandom(stream: number, index: number): SeededRandom {
  return new SplitMix32(hash32(stream, index));
}

/** The generator behind {@link seededRandom}: one number of state, methods on the prototype. */
class SplitMix32 implements SeededRandom {
  constructor(private state: number) {}

  uint32(): number {
    this.state = (this.state + GOLDEN) | 0;
    return mix32(this.state);
  }

  float(): number {
    return this.uint32() / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(numerator: number, denominator: number): boolean {
    return this.int(0, denominator - 1) < numerator;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new RangeError('pick() needs a non-empty array');
    return item;
  }

  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of choices) total += weight;
    let ticket = this.int(0, total - 1);
    for (const [value, weight] of choices) {
      if (ticket < weight) return value;
      ticket -= weight;
    }
    throw new RangeError('weighted() needs at least one positive weight');
  }
}
