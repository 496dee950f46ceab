export { createGraphQLHttpServer } from './createGraphQLHttpServer.ts';
export { fromLoopbackPeer } from './loopbackPeer.ts';
export { newRequestId } from './newRequestId.ts';
export { sendError } from './sendError.ts';
export { sendJson } from './sendJson.ts';
export type {
  GraphQLHttpRequest,
  GraphQLHttpServerOptions,
  Route,
} from './createGraphQLHttpServer.ts';
export { close, listen, retire } from './listen.ts';
export { BodyTimeoutError, BodyTooLargeError, readBody } from './readBody.ts';
export { startApolloServer } from './startApolloServer.ts';
export type { SubgraphApolloOptions } from './startApolloServer.ts';
export { READY_CHECK_MS, readinessProblems, readinessRoute } from './readinessRoute.ts';
export type { ReadinessCheck } from './readinessRoute.ts';
