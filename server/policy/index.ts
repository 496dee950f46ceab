export {
  deleteDatasetPolicy,
  insertMissingDatasetPolicies,
  selectDatasetDepartment,
  selectDatasetPolicies,
  updateDatasetPolicy,
  upsertDatasetPolicy,
} from './datasetPolicyQueries.ts';
export type { DatasetPolicy, Grant, GrantMask, GrantStatus, RowFilter } from './Grant.ts';
export { newGrant } from './newGrant.ts';
export type { NewGrantFields } from './newGrant.ts';
export {
  insertGrant,
  addDailyUnits,
  PROBES_BUCKET,
  readDailyUnits,
  reserveGrantUnits,
  revokeGrant,
  selectGrant,
  selectGrantList,
  selectGrants,
  takeRecordVerification,
  updateGrant,
} from './grantQueries.ts';
export type { DailyCounter, GrantListFilter } from './grantQueries.ts';
