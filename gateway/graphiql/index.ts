export { graphiqlRoutes } from './graphiqlRoutes.ts';
export { DEV_TOKEN_PATH, devTokenRoute } from './devTokenRoute.ts';
