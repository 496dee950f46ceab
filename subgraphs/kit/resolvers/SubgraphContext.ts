import type { Knex } from 'knex';
import type { RequestLoaders } from '../loaders/index.ts';

/** What every resolver of a department subgraph receives; made fresh per request. */
export interface SubgraphContext {
  db: Knex;
  loaders: RequestLoaders;
}
