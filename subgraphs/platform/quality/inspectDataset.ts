import type { Knex } from 'knex';
import type { Catalogue, CatalogueEntry, UpdateCycle } from '../../../schema/index.ts';
import { datasetRules, type QualityRule, type SourceComparison } from './datasetRules.ts';
import { rowAdmits } from '../../kit/access/rowAdmits.ts';
import type { ComparisonScope } from './comparisonScope.ts';
import { scanInBatches } from './scanInBatches.ts';

/** A share: `passed` of `checked`; no rate when nothing was checked. */
export interface Tally {
  passed: number;
  checked: number;
}

/** How many records broke one rule of one item, and a few of their keys (never values). */
export interface RuleFailures {
  item: string;
  rule: QualityRule;
  records: number;
  sampleKeys: string[];
}

/** A copied value that differs from the authoritative record it copies. */
export interface SourceMismatch {
  /** The copy: this dataset's record and item. */
  recordKey: string;
  item: string;
  /** The authoritative record and item it differs from. */
  sourceDataset: string;
  sourceDepartment: string;
  sourceKey: string;
  sourceItem: string;
}

/** What one inspection of one dataset found. */
export interface InspectionFindings {
  dataset: string;
  department: string;
  records: number;
  /** Required values present, of required values expected. */
  completeness: Tally;
  /** Present values passing every format rule, of present values that have rules. */
  validity: Tally;
  /** Copied values equal to their authoritative record, of copied values compared. */
  consistency: Tally;
  /** 1 of 1 when the newest update is within the update cycle, 0 of 1 when older; 0 of 0 unmeasured. */
  timeliness: Tally;
  /** The newest `lastUpdated` date, when the dataset has such an item. */
  newestUpdate: string | null;
  failures: RuleFailures[];
  /** The first mismatches found (at most `maxMismatches`), each once per record and item. */
  mismatches: SourceMismatch[];
}

export interface InspectionOptions {
  batchSize: number;
  /** Failing keys kept per rule and item. */
  sampleSize: number;
  /** Mismatches kept for error reports per run. */
  maxMismatches: number;
  /** Today in the platform's time zone (YYYY-MM-DD). */
  today: string;
  /** Which source records a copy may be compared with (see `comparisonScope`). */
  scopeOf(this: void, comparison: SourceComparison): Promise<ComparisonScope>;
}

/** Oldest a dataset's newest update may be, in days, for each update cycle. */
const CYCLE_DAYS: Readonly<Record<UpdateCycle, number | null>> = {
  REAL_TIME: 1,
  DAILY: 1,
  WEEKLY: 7,
  MONTHLY: 31,
  QUARTERLY: 92,
  HALF_YEARLY: 183,
  YEARLY: 366,
  IRREGULAR: null,
};

/** Most duplicated values of one unique item an inspection keeps track of. */
const MAX_DUPLICATES = 100_000;

/**
 * Inspects a published dataset in its department's database, streaming over
 * the table in key order one batch at a time (no whole-table load): every
 * item's rules on every record, every copied item against the authoritative
 * record (read from the source department's database, one query per batch),
 * and the newest update against the update cycle.
 */
export async function inspectDataset(
  catalogue: Catalogue,
  entry: CatalogueEntry,
  databases: ReadonlyMap<string, Knex>,
  options: InspectionOptions,
): Promise<InspectionFindings> {
  const db = databaseOf(databases, entry.department);
  const rules = datasetRules(catalogue, entry);
  const keyColumns = entry.binding.key.map((k) => entry.items.find((i) => i.name === k)!.column);
  const failures = new Map<string, RuleFailures>();
  const fail = (item: string, rule: QualityRule, key: string) => {
    const id = `${item}\u0000${rule}`;
    let found = failures.get(id);
    if (!found) failures.set(id, (found = { item, rule, records: 0, sampleKeys: [] }));
    found.records++;
    if (found.sampleKeys.length < options.sampleSize) found.sampleKeys.push(key);
  };
  const duplicates = new Map<string, Set<string>>();
  for (const { item, unique } of rules.items) {
    if (unique)
      duplicates.set(item.name, await duplicatedValues(db, entry.binding.table, item.column));
  }
  const findings: InspectionFindings = {
    dataset: entry.code,
    department: entry.department,
    records: 0,
    completeness: { passed: 0, checked: 0 },
    validity: { passed: 0, checked: 0 },
    consistency: { passed: 0, checked: 0 },
    timeliness: { passed: 0, checked: 0 },
    newestUpdate: null,
    failures: [],
    mismatches: [],
  };
  const comparisons: ScopedComparison[] = [];
  for (const comparison of rules.comparisons) {
    const scope = await options.scopeOf(comparison);
    if (scope !== null) comparisons.push({ ...comparison, scope });
  }
  const columns = entry.items.map((i) => i.column);
  for await (const rows of scanInBatches(
    db,
    entry.binding.table,
    keyColumns,
    columns,
    options.batchSize,
  )) {
    findings.records += rows.length;
    for (const row of rows) {
      const key = keyColumns.map((c) => String(row[c])).join(',');
      for (const { item, required, valueRules, unique } of rules.items) {
        const value = present(row[item.column]);
        if (required) {
          findings.completeness.checked++;
          if (value === null) fail(item.name, 'REQUIRED', key);
          else findings.completeness.passed++;
        }
        if (value === null || (valueRules.length === 0 && !unique)) continue;
        findings.validity.checked++;
        let valid = true;
        for (const check of valueRules) {
          if (check.test(value)) continue;
          valid = false;
          fail(item.name, check.rule, key);
        }
        if (unique && duplicates.get(item.name)!.has(String(value))) {
          valid = false;
          fail(item.name, 'UNIQUE', key);
        }
        if (valid) findings.validity.passed++;
      }
    }
    for (const comparison of comparisons) {
      await compareWithSource(comparison, rows, keyColumns, databases, findings, fail, options);
    }
  }
  findings.failures = [...failures.values()];
  if (rules.lastUpdated) {
    findings.newestUpdate = await newestDate(db, entry.binding.table, rules.lastUpdated.column);
    const maxAge = CYCLE_DAYS[entry.updateCycle];
    if (maxAge !== null) {
      findings.timeliness.checked = 1;
      const age =
        findings.newestUpdate === null
          ? Infinity
          : daysBetween(findings.newestUpdate, options.today);
      findings.timeliness.passed = age <= maxAge ? 1 : 0;
    }
  }
  return findings;
}

/** A comparison the copying department may make, with the source records it may make it with. */
interface ScopedComparison extends SourceComparison {
  scope: NonNullable<ComparisonScope>;
}

/**
 * Compares each row's copy with the authoritative record its reference points
 * at: one query to the source's database for the batch. Only records within
 * the comparison's scope count; a reference to a record the source lacks, or
 * one outside the scope, is not compared (whether a key exists is told to
 * nobody).
 */
async function compareWithSource(
  comparison: ScopedComparison,
  rows: readonly Record<string, unknown>[],
  keyColumns: readonly string[],
  databases: ReadonlyMap<string, Knex>,
  findings: InspectionFindings,
  fail: (item: string, rule: QualityRule, key: string) => void,
  options: InspectionOptions,
): Promise<void> {
  const { item, via, source, sourceItem, sourceKey, scope } = comparison;
  const pairs = rows.flatMap((row) => {
    const copy = present(row[item.column]);
    const ref = present(row[via.column]);
    return copy === null || ref === null
      ? []
      : [
          {
            key: keyColumns.map((c) => String(row[c])).join(','),
            copy: String(copy),
            ref: String(ref),
          },
        ];
  });
  if (pairs.length === 0) return;
  // The items the scope's row filters name, read beside the value and keyed by item name.
  const filters = scope.rows === 'ALL' ? [] : scope.rows;
  const filterItems = [...new Set(filters.flatMap((f) => Object.keys(f)))].flatMap((name) => {
    const found = source.items.find((i) => i.name === name);
    return found ? [found] : [];
  });
  const sourceRows = (await databaseOf(
    databases,
    source.department,
  )(source.binding.table)
    .select({
      k: sourceKey.column,
      v: sourceItem.column,
      ...Object.fromEntries(filterItems.map((i, at) => [`f${at}`, i.column])),
    })
    .whereIn(sourceKey.column, [...new Set(pairs.map((p) => p.ref))])) as Record<string, unknown>[];
  const admitted = (row: Record<string, unknown>) =>
    scope.rows === 'ALL' ||
    scope.rows.some((filter) =>
      rowAdmits(
        filter,
        Object.fromEntries(filterItems.map((i, at) => [i.name, present(row[`f${at}`])])),
      ),
    );
  let readable = sourceRows.filter(admitted);
  if (scope.reserve) {
    // Each record compared is read from the quota; past it, none more is compared.
    readable = readable.slice(0, await scope.reserve(readable.length));
  }
  const authoritative = new Map(readable.map((r) => [String(r.k), present(r.v)]));
  for (const { key, copy, ref } of pairs) {
    const original = authoritative.get(ref);
    if (original === undefined) continue;
    findings.consistency.checked++;
    if (original !== null && String(original) === copy) {
      findings.consistency.passed++;
      continue;
    }
    fail(item.name, 'CONSISTENCY', key);
    if (findings.mismatches.length >= options.maxMismatches) continue;
    findings.mismatches.push({
      recordKey: key,
      item: item.name,
      sourceDataset: source.code,
      sourceDepartment: source.department,
      sourceKey: ref,
      sourceItem: sourceItem.name,
    });
  }
}

/** A value as the rules see it: null when missing or blank, else a trimmed string or a number. */
function present(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  const text = (typeof value === 'string' ? value : JSON.stringify(value)).trim();
  return text === '' ? null : text;
}

/** The values of `column` that more than one row holds (one grouped query). */
async function duplicatedValues(db: Knex, table: string, column: string): Promise<Set<string>> {
  const rows = (await db(table)
    .select({ v: column })
    .whereNotNull(column)
    .groupBy(column)
    .havingRaw('count(*) > 1')
    .limit(MAX_DUPLICATES)) as { v: unknown }[];
  return new Set(rows.map((r) => String(r.v)));
}

async function newestDate(db: Knex, table: string, column: string): Promise<string | null> {
  const row = (await db(table).max({ newest: column }).first()) as { newest: unknown } | undefined;
  const newest = present(row?.newest);
  return newest === null ? null : String(newest).slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round(
    (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / 86_400_000,
  );
}

function databaseOf(databases: ReadonlyMap<string, Knex>, department: string): Knex {
  const db = databases.get(department);
  if (!db) throw new Error(`the platform has no connection to ${department}'s database`);
  return db;
}
