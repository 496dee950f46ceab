import type { Knex } from 'knex';
import type { Catalogue } from '../../../schema/index.ts';
import type { AuditSink, LinkKeyRing, RequestIdentity } from '../../../server/index.ts';
import type { Sealer } from '../../kit/handles/index.ts';

/** One request to the cross-level subgraph: who asks (from the gateway's token) and what serves it. */
export interface CrossLevelContext {
  identity: RequestIdentity;
  composeOnly: boolean;
  db: Knex;
  keys: LinkKeyRing;
  /** Opens this platform's join handles: the key of the entity a cross-level read is about. */
  sealer: Sealer;
  audit: AuditSink;
  catalogue: () => Catalogue;
}
