/**
 * Why a caller may not read a dataset or item: the `reason` in a denied field's
 * error extensions, and the decision recorded in the audit trail.
 */
export const DenialReason = {
  /** No credential, so nothing but the catalogue's public descriptions. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** No active grant covers this dataset (or this item) for the caller. */
  NO_GRANT: 'NO_GRANT',
  /** The grant's validity window has ended. */
  GRANT_EXPIRED: 'GRANT_EXPIRED',
  /** The grant's validity window has not begun. */
  GRANT_NOT_YET_VALID: 'GRANT_NOT_YET_VALID',
  /** The declared purpose is not one the grant allows (or none was declared). */
  PURPOSE_NOT_ALLOWED: 'PURPOSE_NOT_ALLOWED',
  /** The access mode (QUERY, VERIFY, EXPORT) is not allowed by the grant or dataset. */
  MODE_NOT_ALLOWED: 'MODE_NOT_ALLOWED',
  /** The grant's records (and verifications) for today are used up. */
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  /** This record has been verified as often today as a consumer may verify one record. */
  VERIFY_LIMIT_EXCEEDED: 'VERIFY_LIMIT_EXCEEDED',
  /**
   * The caller has looked up (or verified) as many keys it cannot read, that
   * found no record, as a department may in a day on this dataset.
   */
  PROBE_LIMIT_EXCEEDED: 'PROBE_LIMIT_EXCEEDED',
  /** The item is shown masked to the caller, so it cannot be verified, filtered on or joined through. */
  MASKED: 'MASKED',
  /** The dataset is not shared outside its provider, or has no sharing decision. */
  NOT_SHARED: 'NOT_SHARED',
} as const;

export type DenialReason = (typeof DenialReason)[keyof typeof DenialReason];
