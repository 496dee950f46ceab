export { graphiqlRoutes } from './graphiqlRoutes.ts';
