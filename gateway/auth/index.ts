export { Authenticator, unauthenticated } from './Authenticator.ts';
export { TokenMemo } from './GatewayContext.ts';
export type { GatewayContext } from './GatewayContext.ts';
export { identityPlugin } from './identityPlugin.ts';
export { FORWARDED_HEADERS, SigningDataSource } from './SigningDataSource.ts';
export { requestAuditPlugin, requestEntry } from './requestAuditPlugin.ts';
