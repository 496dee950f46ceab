export { Authenticator, unauthenticated } from './Authenticator.ts';
export type { GatewayContext } from './GatewayContext.ts';
export { identityPlugin } from './identityPlugin.ts';
export { FORWARDED_HEADERS, SigningDataSource } from './SigningDataSource.ts';
export {
  errorCode,
  failedDecision,
  refusedEntry,
  requestAuditPlugin,
  requestDecision,
  requestEntry,
} from './requestAuditPlugin.ts';
