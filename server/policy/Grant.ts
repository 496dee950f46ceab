import type { SharingMode, SharingType } from '../../schema/index.ts';

/** How one item is masked under a grant (see the kit's masking rules). */
export type GrantMask =
  | { rule: 'KEEP_ENDS'; first: number; last: number }
  | { rule: 'SURNAME_ONLY' }
  | { rule: 'YEAR_ONLY' }
  | { rule: 'REDACT' };

/** A row condition, in the shape of a list filter: `{ regionCode: { startsWith: '3301' } }`. */
export type RowFilter = Record<
  string,
  { eq?: string | number; in?: (string | number)[]; startsWith?: string }
>;

export type GrantStatus = 'ACTIVE' | 'REVOKED';

/** A sharing grant: a consumer may read a dataset under these conditions. */
export interface Grant {
  id: string;
  consumerDepartment: string;
  /** Only this application of the department, or any when null. */
  consumerApplication: string | null;
  datasetCode: string;
  /** Items the consumer may read; key items too are read only when listed here. */
  items: string[];
  /** Items returned masked, and how. */
  masks: Record<string, GrantMask>;
  rowFilter: RowFilter | null;
  purposes: string[];
  modes: SharingMode[];
  /** ISO 8601 instants; the grant holds from validFrom up to validUntil. */
  validFrom: string;
  validUntil: string;
  /**
   * Records returned plus verifications made per civil day in the platform's
   * time zone, or null for no limit.
   */
  dailyQuota: number | null;
  /** Verifications of one record per civil day; null for the platform default. */
  verifyLimitPerRecord: number | null;
  status: GrantStatus;
  revokedAt: string | null;
  revokedBy: string | null;
  revokedReason: string | null;
  /** Increases with every change; edits name the version they change. */
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

/** The sharing decision in force for a dataset. */
export interface DatasetPolicy {
  code: string;
  department: string;
  sharingType: SharingType;
  modes: SharingMode[];
}
