import type { Knex } from 'knex';
import type { RequestAccess } from '../access/index.ts';
import type { JoinHandles } from '../handles/index.ts';
import type { RequestLoaders } from '../loaders/index.ts';
import type { Cursors } from './cursor.ts';

/** What every resolver of a department subgraph receives; made fresh per request. */
export interface SubgraphContext {
  db: Knex;
  loaders: RequestLoaders;
  /**
   * The caller's rights. Null only in a subgraph built with rules disabled for a
   * benchmark; a served subgraph always has one.
   */
  access: RequestAccess | null;
  /** This request's entity handles: how entities are joined without showing their keys. */
  handles: JoinHandles;
  /** Sealed list cursors for this caller. */
  cursors: Cursors;
  /** True when the request carries a compose credential: it may read the SDL only. */
  composeOnly: boolean;
  /** When the request arrived (ms since the epoch), for the audit record's latency. */
  startedAt: number;
}
