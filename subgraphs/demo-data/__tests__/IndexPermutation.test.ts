import { describe, expect, it } from 'vitest';
import { IndexPermutation, permuteIndex } from '../index.ts';

describe('IndexPermutation', () => {
  it('is a bijection of [0, size) for awkward sizes', () => {
    for (const size of [1, 2, 3, 7, 64, 1000, 4097, 65_537]) {
      const permutation = new IndexPermutation(size, 42);
      const seen = new Set<number>();
      for (let value = 0; value < size; value += 1) seen.add(permutation.at(value));
      expect(seen.size).toBe(size);
      expect(Math.min(...seen)).toBe(0);
      expect(Math.max(...seen)).toBe(size - 1);
    }
  });

  it('depends on the key and scatters consecutive values', () => {
    const a = new IndexPermutation(1_000_000_000, 1);
    const b = new IndexPermutation(1_000_000_000, 2);
    expect([0, 1, 2, 3].map((v) => a.at(v))).not.toEqual([0, 1, 2, 3].map((v) => b.at(v)));
    expect(Math.abs(a.at(1) - a.at(0))).toBeGreaterThan(1000);
  });

  it('agrees with the one-off form and refuses values outside the range', () => {
    expect(permuteIndex(12_345, 100_000, 7)).toBe(new IndexPermutation(100_000, 7).at(12_345));
    expect(() => new IndexPermutation(10, 0).at(10)).toThrow(RangeError);
    expect(() => new IndexPermutation(10, 0).at(-1)).toThrow(RangeError);
    expect(() => new IndexPermutation(0, 0)).toThrow(RangeError);
    expect(() => new IndexPermutation(2 ** 32 + 1, 0)).toThrow(RangeError);
  });
});
