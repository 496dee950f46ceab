export { accessDenied } from './accessDenied.ts';
export { admissionRefused, exportsInFlight } from './admissionRefused.ts';
export type {
  AdmissionLimitName,
  AdmissionRefusalDetails,
  ExportLimitName,
  InFlightLimitName,
} from './admissionRefused.ts';
export type { DenialDetails } from './accessDenied.ts';
export { badUserInput } from './badUserInput.ts';
export { clientSafeError, isClientError } from './clientSafeError.ts';
export type { HiddenErrorKind } from './clientSafeError.ts';
export { conflict, forbidden, notFound } from './clientErrors.ts';
export { DenialReason } from './DenialReason.ts';
export { ErrorCode } from './ErrorCode.ts';
export {
  operationLimitExceeded,
  operationNotChosen,
  operationNotTrusted,
  rateLimited,
} from './operationErrors.ts';
export type {
  OperationLimitDetails,
  OperationLimitName,
  RateLimitDetails,
  RateLimitName,
} from './operationErrors.ts';
