import { availableParallelism } from 'node:os';

/** The default number of workers: one per core the process may use. */
export function defaultWorkerCount(): number {
  return availableParallelism();
}

/**
 * Parses a `--workers` value: a whole number from 1 to 64, or the default
 * (one per core) when absent.
 */
export function parseWorkerCount(value: string | undefined): number {
  if (value === undefined) return defaultWorkerCount();
  const count = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(count) || count < 1 || count > 64) {
    throw new Error(`--workers takes a whole number from 1 to 64 (got ${value})`);
  }
  return count;
}
