import { mix32 } from './seededRandom.ts';

const ROUNDS = 4;

/**
 * A keyed bijection of [0, size) onto itself: a balanced Feistel network over
 * the smallest even number of bits covering `size`, with cycle walking to stay
 * inside the range. Distinct inputs always give distinct outputs, so keys built
 * from it (ID numbers, credit codes, serials) are unique by construction, yet
 * consecutive indices land far apart. `size` may be at most 2^32.
 *
 * Build one per (size, key) and reuse it: construction does the set-up work.
 */
export class IndexPermutation {
  private readonly half: number;
  private readonly mask: number;
  private readonly roundKeys: readonly number[];

  constructor(
    readonly size: number,
    key: number,
  ) {
    if (!Number.isInteger(size) || size < 1 || size > 2 ** 32) {
      throw new RangeError(`IndexPermutation: size must be an integer in [1, 2^32], got ${size}`);
    }
    const bits = size === 1 ? 0 : 32 - Math.clz32(size - 1);
    const halfBits = Math.max(1, Math.ceil(bits / 2));
    this.half = 2 ** halfBits;
    this.mask = this.half - 1;
    this.roundKeys = Array.from({ length: ROUNDS }, (_, round) => mix32(key + round * 0x9e3779b9));
  }

  /** The image of `value`, an integer in [0, size). */
  at(value: number): number {
    if (!Number.isInteger(value) || value < 0 || value >= this.size) {
      throw new RangeError(`IndexPermutation: value must be in [0, ${this.size}), got ${value}`);
    }
    const { half, mask, roundKeys } = this;
    let x = value;
    do {
      let left = Math.floor(x / half);
      let right = x % half;
      for (const roundKey of roundKeys) {
        const next = (left ^ (mix32((right ^ roundKey) >>> 0) & mask)) >>> 0;
        left = right;
        right = next;
      }
      x = left * half + right;
    } while (x >= this.size);
    return x;
  }
}

/** One-off form of {@link IndexPermutation}: the image of `value` under the (size, key) bijection. */
export function permuteIndex(value: number, size: number, key: number): number {
  return new IndexPermutation(size, key).at(value);
}
