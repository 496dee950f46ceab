import {
  compileSafePattern,
  dataElement,
  type Catalogue,
  type CatalogueEntry,
  type CatalogueItem,
} from '../../../schema/index.ts';
import { CHECK_DIGIT_VALIDATORS } from './checkDigits.ts';

/** The rules an inspection counts failures of. */
export const QUALITY_RULES = [
  'REQUIRED',
  'PATTERN',
  'ENUMERATION',
  'RANGE',
  'CHECK_DIGIT',
  'UNIQUE',
  'CONSISTENCY',
] as const;
export type QualityRule = (typeof QUALITY_RULES)[number];

/** A rule a present value must pass. */
export interface ValueRule {
  rule: Exclude<QualityRule, 'REQUIRED' | 'UNIQUE' | 'CONSISTENCY'>;
  test(this: void, value: string | number): boolean;
}

/** What an inspection checks of one item. */
export interface ItemRules {
  item: CatalogueItem;
  /** Every record must have a value (declared, or the item is not nullable). */
  required: boolean;
  /** Rules a present value must pass: the item's own and those its element implies. */
  valueRules: ValueRule[];
  /** No two records share a value: keys, and items declared unique. */
  unique: boolean;
}

/**
 * An item copied from another dataset's item, with the reference (in this
 * dataset) to the record it copies: a licence's holder name against the
 * population record its holder ID number points at.
 */
export interface SourceComparison {
  item: CatalogueItem;
  via: CatalogueItem;
  source: CatalogueEntry;
  sourceItem: CatalogueItem;
  sourceKey: CatalogueItem;
}

/** Everything an inspection of one dataset checks. */
export interface DatasetRules {
  entry: CatalogueEntry;
  items: ItemRules[];
  comparisons: SourceComparison[];
  /** The item whose newest date says how fresh the dataset is; null when none does. */
  lastUpdated: CatalogueItem | null;
}

/**
 * The quality rules of a published dataset: declared in its catalogue entry
 * (`quality:`), implied by the data element each item carries (pattern,
 * values, check character), and implied by its copies (an item with a source
 * and a reference to the source's record is compared with that record).
 */
export function datasetRules(catalogue: Catalogue, entry: CatalogueEntry): DatasetRules {
  const items = entry.items.map((item) => itemRules(item));
  const comparisons: SourceComparison[] = [];
  for (const item of entry.items) {
    if (!item.source || item.references) continue;
    const [code = '', name = ''] = item.source.split('.');
    const source = catalogue.entry(code);
    const sourceItem = source?.items.find((i) => i.name === name);
    const via = entry.items.find((i) => i.references?.type === source?.binding.type);
    if (!source || !sourceItem || !via || source.binding.key.length !== 1) continue;
    const sourceKey = source.items.find((i) => i.name === source.binding.key[0]);
    if (sourceKey) comparisons.push({ item, via, source, sourceItem, sourceKey });
  }
  return {
    entry,
    items,
    comparisons,
    lastUpdated: entry.items.find((i) => i.quality?.lastUpdated) ?? null,
  };
}

function itemRules(item: CatalogueItem): ItemRules {
  const element = dataElement(item.element);
  const quality = item.quality ?? {};
  const valueRules: ValueRule[] = [];
  for (const source of [element?.pattern, quality.pattern]) {
    if (source === undefined) continue;
    const pattern = compileSafePattern(source);
    // The catalogue refused invalid patterns; one here cannot pass anything.
    valueRules.push({
      rule: 'PATTERN',
      test: 'problem' in pattern ? () => false : (v) => pattern.test(String(v)),
    });
  }
  for (const values of [element?.enumeration, quality.enumeration]) {
    if (values === undefined) continue;
    const allowed = new Set(values);
    valueRules.push({ rule: 'ENUMERATION', test: (v) => allowed.has(String(v)) });
  }
  if (quality.range) {
    const { min, max } = quality.range;
    valueRules.push({
      rule: 'RANGE',
      test: (v) => (min === undefined || !below(v, min)) && (max === undefined || !below(max, v)),
    });
  }
  if (element?.checkDigit) {
    const valid = CHECK_DIGIT_VALIDATORS[element.checkDigit];
    valueRules.push({ rule: 'CHECK_DIGIT', test: (v) => valid(String(v)) });
  }
  return {
    item,
    required: quality.required ?? !item.nullable,
    valueRules,
    unique: item.isKey || (quality.unique ?? false),
  };
}

/** a < b: as numbers when a bound is a number (MySQL returns decimals as text), else as text (dates). */
function below(a: string | number, b: string | number): boolean {
  return typeof a === 'number' || typeof b === 'number' ? Number(a) < Number(b) : a < b;
}
