import type { Grant } from './Grant.ts';

/** What a caller decides about a new grant; the rest is bookkeeping. */
export type NewGrantFields = Pick<
  Grant,
  | 'id'
  | 'consumerDepartment'
  | 'datasetCode'
  | 'items'
  | 'purposes'
  | 'modes'
  | 'validFrom'
  | 'validUntil'
> &
  Partial<
    Pick<
      Grant,
      'consumerApplication' | 'masks' | 'rowFilter' | 'dailyQuota' | 'verifyLimitPerRecord'
    >
  >;

/**
 * A new, active grant at version 1, created by `createdBy` at `at`: no
 * application limit, masks, row filter or quota unless given.
 */
export function newGrant(fields: NewGrantFields, createdBy: string, at: Date = new Date()): Grant {
  const now = at.toISOString();
  return {
    consumerApplication: null,
    masks: {},
    rowFilter: null,
    dailyQuota: null,
    verifyLimitPerRecord: null,
    ...fields,
    status: 'ACTIVE',
    revokedAt: null,
    revokedBy: null,
    revokedReason: null,
    version: 1,
    createdAt: now,
    createdBy,
    updatedAt: now,
  };
}
