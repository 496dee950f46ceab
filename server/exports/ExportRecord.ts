import type { GrantMask } from '../policy/index.ts';

/** How an export's records are written: one JSON object a line, or RFC 4180 CSV with a header. */
export type ExportFormat = 'ndjson' | 'csv';

/** Conditions on items, in the shape of a list filter (`{ regionCode: { startsWith: '3301' } }`). */
export type ExportFilter = Record<string, Record<string, unknown>>;

/**
 * What an export delivers, fixed when it starts: a resumed export must give
 * the same, or it is refused. Names, rules and conditions only; no value of a
 * record.
 */
export interface ExportPlan {
  dataset: string;
  format: ExportFormat;
  items: string[];
  /** Items served masked, and how (as the grants decide them before any record). */
  masks: Record<string, GrantMask>;
  /** The consumer's own conditions. */
  filter: ExportFilter;
  /** The grants' row filters the records lie within (null: every record). */
  rowFilters: ExportFilter[] | null;
  /** The grants the export runs under, oldest first. */
  grants: string[];
  /** Incremental: records changed at or after this instant (the previous export's start). */
  changedSince: string | null;
}

/**
 * What the consumer checks its file against: the plan, how many records, and
 * the SHA-256 of the file's bytes (the CSV header included). `complete` is
 * false when the export stopped early (`stoppedBecause`), to be resumed.
 */
export interface ExportManifest extends ExportPlan {
  exportId: string;
  records: number;
  bytes: number;
  sha256: string;
  complete: boolean;
  stoppedBecause: string | null;
  startedAt: string;
  /** Pass this export's id as `since` for the next incremental export: it covers changes from `startedAt`. */
  completedAt: string | null;
}

/** One stored export. */
export interface ExportRecord {
  id: string;
  consumerDepartment: string;
  consumerApplication: string | null;
  datasetCode: string;
  providerDepartment: string;
  plan: ExportPlan;
  startedAt: string;
  completedAt: string | null;
  /** Records counted against the grants' quotas so far (a resumption counts only past them). */
  charged: number;
  manifest: ExportManifest | null;
}
