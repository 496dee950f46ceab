export { subgraphLogPlugin } from './subgraphLogPlugin.ts';
