export { createGraphQLHttpServer, sendJson } from './createGraphQLHttpServer.ts';
export type {
  GraphQLHttpRequest,
  GraphQLHttpServerOptions,
  Route,
} from './createGraphQLHttpServer.ts';
export { close, listen } from './listen.ts';
export { BodyTooLargeError, readBody } from './readBody.ts';
export { startApolloServer } from './startApolloServer.ts';
export type { SubgraphApolloOptions } from './startApolloServer.ts';
