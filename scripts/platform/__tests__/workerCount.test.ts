import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultWorkerCount, parseWorkerCount } from '../workerCount.ts';

describe('parseWorkerCount', () => {
  it('defaults to one worker per core the process may use', () => {
    expect(parseWorkerCount(undefined)).toBe(availableParallelism());
    expect(defaultWorkerCount()).toBe(availableParallelism());
  });

  it('takes a whole number from 1 to 64', () => {
    expect(parseWorkerCount('1')).toBe(1);
    expect(parseWorkerCount('2')).toBe(2);
    expect(parseWorkerCount('64')).toBe(64);
  });

  it.each(['0', '65', '-1', '1.5', 'abc', '', 'NaN', 'Infinity', '2 workers'])(
    'refuses %j, saying what it takes and what it got',
    (value) => {
      expect(() => parseWorkerCount(value)).toThrow(
        `--workers takes a whole number from 1 to 64 (got ${value})`,
      );
    },
  );
});
