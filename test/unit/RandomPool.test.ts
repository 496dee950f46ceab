import { describe, expect, it } from 'vitest';
import { RandomPool } from '../../server/identity/RandomPool.ts';

describe('RandomPool', () => {
  it('hands out strings of its size, never the same bytes twice, across refills', () => {
    const pool = new RandomPool(12, 16);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const bytes = pool.next();
      expect(bytes.length).toBe(12);
      seen.add(bytes.toString('hex'));
    }
    expect(seen.size).toBe(200);
  });

  it('draws new bytes on refill rather than cycling the old pool', () => {
    const pool = new RandomPool(8, 2);
    const first = [pool.next().toString('hex'), pool.next().toString('hex')];
    const second = [pool.next().toString('hex'), pool.next().toString('hex')];
    expect(second).not.toEqual(first);
  });

  it('refuses a size that is not a positive whole number', () => {
    for (const size of [0, -1, 1.5, Number.NaN]) {
      expect(() => new RandomPool(size)).toThrow(RangeError);
    }
  });
});
