export { Authenticator, FORWARDED_HEADERS } from './auth/index.ts';
export type { GatewayContext } from './auth/index.ts';
export { composeSupergraph, CompositionError } from '../schema/index.ts';
export type { SubgraphDefinition } from '../schema/index.ts';
export { startGateway } from './startGateway.ts';
export type { GatewayOptions, RunningGateway } from './startGateway.ts';
