export { AdmissionGate, AdmissionRefusal } from './AdmissionGate.ts';
export { AnonymousShares } from './AnonymousShares.ts';
export type { Admission, AdmissionRequest } from './AdmissionGate.ts';
export { admissionPlugin } from './admissionPlugin.ts';
export type { AdmissionOptions } from './admissionPlugin.ts';
export { consumerKey, limitsFor } from './callerLimits.ts';
export { ConsumerRateLimiter, takeShare } from './ConsumerRateLimiter.ts';
export type { ReserveUnits } from './ConsumerRateLimiter.ts';
export { countTokens, DocumentMeasures, measureDocument } from './measureOperation.ts';
export type { DocumentMeasure } from './measureOperation.ts';
export {
  estimateCost,
  OperationCosts,
  UNPAGED_LIST_SIZE,
  VERIFICATION_COST,
} from './operationCost.ts';
export { operationLimitsPlugin } from './operationLimitsPlugin.ts';
export type { OperationLimitsOptions } from './operationLimitsPlugin.ts';
export { SerializedResponses } from './SerializedResponses.ts';
export { sharedRateCount } from './sharedRateCount.ts';
export { TrustedDocuments } from './TrustedDocuments.ts';
