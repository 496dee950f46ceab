export {
  COMPOSE_SCOPE,
  INTERNAL_ISSUER,
  INTERNAL_TOKEN_HEADER,
  bodyHash,
  newHandBackNonce,
  signComposeToken,
  signInternalToken,
  verifyInternalToken,
} from './internalToken.ts';
export type { VerifiedInternalToken } from './internalToken.ts';
export { loadOrCreateSigningKeys, loadSigningKey, loadVerifyKey } from './keys.ts';
export { RandomPool } from './RandomPool.ts';
export { FetchMac, GatewayTokenKeys, SEALED_ANSWER_TYPE } from './FetchMac.ts';
export {
  DepartmentVerifyKeys,
  loadDepartmentSigningKey,
  loadOrCreateDepartmentKey,
} from './departmentAuditKeys.ts';
export type { DepartmentKeyFolders } from './departmentAuditKeys.ts';
export type { PlatformKey } from './PlatformKey.ts';
export { asKeyObject } from './ed25519.ts';
export {
  DEFAULT_OFFICE_DEPARTMENTS,
  budgetHolderOf,
  DEPARTMENT_CODE,
  keyRoleProblem,
  OFFICE_ROLES,
  officeRoleProblem,
  ROLES,
} from './RequestIdentity.ts';
export type { Caller, RequestIdentity, Role } from './RequestIdentity.ts';
export {
  API_KEY_VALID_DAYS,
  findApiKeyCaller,
  issueApiKey,
  listApiKeys,
  revokeApiKey,
} from './apiKeys.ts';
export type { ApiKeyFilter, ApiKeyListing, IssuedApiKey } from './apiKeys.ts';
export { loadDevSecret } from './devSecret.ts';
export { loadJoinKey, loadOrCreateJoinKey } from './joinKey.ts';
export { mintDevToken } from './mintDevToken.ts';
export type { DevTokenRequest } from './mintDevToken.ts';
export {
  authenticateGatewayGet,
  authenticateGatewayRequest,
  getRequestBody,
} from './authenticateGatewayRequest.ts';
export { AeadKey } from './AeadKey.ts';
