export {
  deleteDatasetPolicy,
  insertMissingDatasetPolicies,
  selectDatasetDepartment,
  selectDatasetPolicies,
  selectDatasetPoliciesByCode,
  updateDatasetPolicy,
  upsertDatasetPolicy,
} from './datasetPolicyQueries.ts';
export type { DatasetPolicy, Grant, GrantMask, GrantStatus, RowFilter } from './Grant.ts';
export { newGrant } from './newGrant.ts';
export type { NewGrantFields } from './newGrant.ts';
export {
  insertGrant,
  insertGrants,
  addDailyUnits,
  deleteGrants,
  deleteGrantsCreatedBy,
  PROBES_BUCKET,
  readDailyUnits,
  grantUnitsUsed,
  reserveGrantUnits,
  revokeGrant,
  selectGrant,
  selectGrantList,
  selectGrants,
  selectGrantsById,
  takeRecordVerification,
  updateGrant,
} from './grantQueries.ts';
export type { DailyCounter, GrantListFilter } from './grantQueries.ts';
export {
  consistentRead,
  recordPolicyChanges,
  selectPolicyChangeHead,
  selectPolicyChangesAfter,
} from './policyChangeQueries.ts';
export type { PolicyChange, PolicySubject } from './policyChangeQueries.ts';
