export {
  decideApplication,
  insertApplication,
  selectApplication,
  selectApplicationOfGrant,
  selectApplications,
} from './applicationQueries.ts';
export type { ApplicationStatus, SharingApplication } from './applicationQueries.ts';
export { insertGrantChange, selectGrantChanges } from './grantChangeQueries.ts';
export type { GrantAction, GrantChange } from './grantChangeQueries.ts';
export {
  answerErrorReport,
  insertErrorReport,
  selectErrorReport,
  selectErrorReports,
} from './errorReportQueries.ts';
export type { ErrorReport, ErrorReportOutcome, ErrorReportStatus } from './errorReportQueries.ts';
export {
  countAccessRequests,
  countActiveGrants,
  countDeniedRequests,
  countExports,
  selectApplicationsReceived,
  selectErrorReportsReceived,
} from './scorecardQueries.ts';
export { countOtherLevelAccesses } from './otherLevelAccessQueries.ts';
export type { OtherLevelAccessCount } from './otherLevelAccessQueries.ts';
export type {
  AccessRequestCount,
  DatasetExportCount,
  DenialRequestCount,
  Period,
  ReceivedApplication,
  ReceivedErrorReport,
} from './scorecardQueries.ts';
export {
  insertQualityRun,
  selectLatestQualityRuns,
  selectQualityRuns,
} from './qualityRunQueries.ts';
export type { QualityRun } from './qualityRunQueries.ts';
export { selectReportedRecordKeys } from './qualityReportQueries.ts';
export {
  insertServiceUnitAuthorization,
  revokeServiceUnitAuthorization,
  selectServiceUnitAuthorization,
  selectServiceUnitAuthorizations,
  SERVICE_UNIT_DUTIES,
} from './serviceUnitQueries.ts';
export type { ServiceUnitAuthorization, ServiceUnitDuty } from './serviceUnitQueries.ts';
export {
  insertCollectionExemption,
  selectCollectionExemptions,
} from './collectionExemptionQueries.ts';
export type { CollectionExemption } from './collectionExemptionQueries.ts';
export {
  selectComplianceThresholds,
  upsertComplianceThreshold,
} from './complianceThresholdQueries.ts';
export { countAccessesInTime, selectArrivals } from './accessCountQueries.ts';
export type { AccessCountInTime, ArrivalTimes } from './accessCountQueries.ts';
