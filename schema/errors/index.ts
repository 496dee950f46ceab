export { accessDenied } from './accessDenied.ts';
export type { DenialDetails } from './accessDenied.ts';
export { badUserInput } from './badUserInput.ts';
export { conflict, forbidden, notFound } from './clientErrors.ts';
export { DenialReason } from './DenialReason.ts';
export { ErrorCode } from './ErrorCode.ts';
