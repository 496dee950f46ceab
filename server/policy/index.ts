export {
  deleteDatasetPolicy,
  insertMissingDatasetPolicies,
  selectDatasetPolicies,
  updateDatasetPolicy,
  upsertDatasetPolicy,
} from './datasetPolicyQueries.ts';
export type { DatasetPolicy, Grant, GrantMask, GrantStatus, RowFilter } from './Grant.ts';
export { newGrant } from './newGrant.ts';
export type { NewGrantFields } from './newGrant.ts';
export {
  countRecordVerification,
  insertGrant,
  reserveGrantUnits,
  revokeGrant,
  selectGrant,
  selectGrants,
  updateGrant,
} from './grantQueries.ts';
