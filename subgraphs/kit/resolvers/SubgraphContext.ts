import type { Knex } from 'knex';
import type { RequestAccess } from '../access/index.ts';
import type { RequestLoaders } from '../loaders/index.ts';

/** What every resolver of a department subgraph receives; made fresh per request. */
export interface SubgraphContext {
  db: Knex;
  loaders: RequestLoaders;
  /**
   * The caller's rights. Null only in a subgraph built with rules disabled for a
   * benchmark; a served subgraph always has one.
   */
  access: RequestAccess | null;
  /** True when the request carries a compose credential: it may read the SDL only. */
  composeOnly: boolean;
  /** When the request arrived (ms since the epoch), for the audit record's latency. */
  startedAt: number;
}
