import { z } from 'zod';
import { MAX_PATTERN_LENGTH } from '../elements/index.ts';

const bound = z.union([z.number(), z.string().max(32)]);

/**
 * Quality rules an item declares beyond those its data element implies (an
 * element's pattern, values and check character apply to every item that
 * carries it). Inspections count the records that break each rule.
 */
export const itemQualitySchema = z.strictObject({
  /** Every record has a value (default: the item is not nullable). */
  required: z.boolean().optional(),
  /** A whole-value pattern in RE2 syntax (linear-time matching; no back-references). */
  pattern: z
    .string()
    .min(1)
    .max(MAX_PATTERN_LENGTH, { error: `a pattern has at most ${MAX_PATTERN_LENGTH} characters` })
    .optional(),
  /** The only values allowed. */
  enumeration: z
    .array(z.string().max(200))
    .min(1, { error: 'list the allowed values' })
    .max(500, { error: 'at most 500 values' })
    .optional(),
  /** Bounds of a number or a date (YYYY-MM-DD), inclusive. */
  range: z.strictObject({ min: bound.optional(), max: bound.optional() }).optional(),
  /** No two records share a value (keys are unique anyway). */
  unique: z.boolean().optional(),
  /**
   * The item's date says when its record last changed: the newest such date,
   * against the entry's update cycle, is the dataset's timeliness.
   */
  lastUpdated: z.boolean().optional(),
});

export type ItemQuality = z.output<typeof itemQualitySchema>;
