import type { Knex } from 'knex';
import type { RuleContext } from '../access/index.ts';
import type { JoinHandles } from '../handles/index.ts';
import type { RequestLoaders } from '../loaders/index.ts';
import type { Cursors } from './cursor.ts';

/** What every resolver of a department subgraph receives; made fresh per request. */
export interface SubgraphContext extends RuleContext {
  db: Knex;
  loaders: RequestLoaders;
  /** This request's entity handles: how entities are joined without showing their keys. */
  handles: JoinHandles;
  /** Sealed list cursors for this caller. */
  cursors: Cursors;
  /** When the request arrived (ms since the epoch), for the audit record's latency. */
  startedAt: number;
  /**
   * The gateway asked for this request's ACCESS records back, to commit them
   * with its REQUEST record (see `auditPlugin`): the fetch's hand-back nonce,
   * signed into each record. Null for every other caller.
   */
  handBackNonce: string | null;
}
