import type { Knex } from 'knex';
import {
  authenticateGatewayRequest,
  close,
  createGraphQLHttpServer,
  listen,
  readinessRoute,
  sendJson,
  type ReadinessCheck,
  startApolloServer,
  type AttestationVerification,
  type CheckpointVerification,
  type PlatformKey,
  type Logger,
  type TimeoutConfig,
} from '../../server/index.ts';
import type { PlatformContext, PlatformSettings } from './api/PlatformContext.ts';
import { buildPlatformSubgraph } from './buildPlatformSubgraph.ts';
import type { CatalogueStore } from './catalogue/index.ts';
import type { CompositionKeys } from './registry/registrySignatures.ts';

export interface RunningPlatformSubgraph {
  name: string;
  url: string;
  typeDefs: string;
  stop(): Promise<void>;
}

/**
 * Serves the platform subgraph at `/graphql`. Like every subgraph it answers
 * only requests carrying the gateway's signed context.
 */
export async function startPlatformSubgraph(options: {
  db: Knex;
  catalogue: CatalogueStore;
  settings: PlatformSettings;
  gatewayKey: PlatformKey;
  /** Each department's own database, by department code: where bindings are checked. */
  departmentDatabases?: ReadonlyMap<string, Knex>;
  /** Where `verifyAuditChain` finds the signed audit checkpoints, and the key that signs them. */
  auditCheckpoints?: CheckpointVerification;
  /** How `verifyAuditChain` checks ACCESS records' department attestations. */
  auditAttestations?: AttestationVerification;
  /** Which stored compositions a catalogue publication's check reuses or stores (`composeShared`). */
  registryCompositions?: CompositionKeys;
  /** What `/ready` checks besides stopping (the platform database): each says why not, or null. */
  readiness?: readonly ReadinessCheck[];
  /** The process's logger (requests that fail outside GraphQL are logged there). */
  logger?: Logger;
  /** HTTP timeouts, the whole request's included (`REQUEST_TIMEOUT_MS`); the defaults otherwise. */
  timeouts?: TimeoutConfig;
  host: string;
  port: number;
}): Promise<RunningPlatformSubgraph> {
  const subgraph = buildPlatformSubgraph();
  const apollo = await startApolloServer<PlatformContext>(subgraph.schema);
  const server = createGraphQLHttpServer({
    ...(options.logger ? { logger: options.logger } : {}),
    traceName: 'subgraph platform',
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    apollo,
    context: async (req, { body }) => {
      const verified = await authenticateGatewayRequest(
        req,
        subgraph.name,
        options.gatewayKey,
        body,
      );
      return {
        identity: verified.identity,
        composeOnly: verified.composeOnly,
        db: options.db,
        catalogue: options.catalogue,
        settings: options.settings,
        auditCheckpoints: options.auditCheckpoints ?? null,
        auditAttestations: options.auditAttestations ?? null,
        registryCompositions: options.registryCompositions,
        departmentDatabases: options.departmentDatabases ?? new Map(),
        now: new Date(),
      };
    },
    routes: {
      '/health': (_, res) => sendJson(res, 200, { status: 'ok', subgraph: subgraph.name }),
      '/ready': readinessRoute(options.readiness ?? [], () => stopping),
    },
  });
  const base = await listen(server, options.host, options.port);
  let stopping = false;
  return {
    name: subgraph.name,
    url: `${base}/graphql`,
    typeDefs: subgraph.typeDefs,
    async stop() {
      stopping = true;
      await close(server);
      await apollo.stop();
    },
  };
}
