export { graphiqlRoutes } from './graphiqlRoutes.ts';
export {
  DEV_TOKEN_PATH,
  devTokenRequestOf,
  devTokenRoute,
  fromThisMachine,
} from './devTokenRoute.ts';
