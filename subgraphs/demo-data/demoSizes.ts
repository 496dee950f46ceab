/** The scale `npm start` seeds: 5,000 people and 500 enterprises. */
export const DEFAULT_DEMO_SCALE = 5000;

/**
 * The largest supported scale. Person keys, enterprise names and child-row
 * serials are bijections of bounded spaces; this bound keeps every one of
 * them unique (enterprise names are the tightest, about 1.04 million).
 */
export const MAX_DEMO_SCALE = 10_000_000;

/**
 * How many owners of each kind a scale seeds. Child tables (licences, credit
 * records, parcels, water accounts, inspections) have no size of their own:
 * they hold the rows that `licensesOfPerson(i)` and friends give for every
 * person and enterprise index below these counts.
 */
export interface DemoSizes {
  /** Persons 0 .. persons-1; equals the scale. */
  persons: number;
  /** Enterprises 0 .. enterprises-1; a tenth of the scale, at least one. */
  enterprises: number;
}

/** The owner counts of `scale` people; throws unless 1 <= scale <= MAX_DEMO_SCALE. */
export function demoSizes(scale: number): DemoSizes {
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_DEMO_SCALE) {
    throw new RangeError(`demo scale must be an integer in [1, ${MAX_DEMO_SCALE}], got ${scale}`);
  }
  return { persons: scale, enterprises: Math.max(1, Math.floor(scale / 10)) };
}

/** Throws unless `index` is an integer in [0, limit): row functions refuse to invent keys. */
export function checkIndex(index: number, limit: number, what: string): void {
  if (!Number.isInteger(index) || index < 0 || index >= limit) {
    throw new RangeError(`${what} index must be an integer in [0, ${limit}), got ${index}`);
  }
}
