import type { IncomingMessage, Server } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { Knex } from 'knex';
import type { KeyObject } from 'node:crypto';
import type { Catalogue } from '../../schema/index.ts';
import {
  AttestingAuditSink,
  type AuditSink,
  authenticateGatewayRequest,
  GatewayTokenKeys,
  close,
  createGraphQLHttpServer,
  type GraphQLHttpRequest,
  listen,
  newRequestId,
  type Logger,
  type ReadinessCheck,
  readinessRoute,
  SEALED_ANSWER_TYPE,
  sendJson,
  startApolloServer,
  subgraphOperationRules,
  traceSql,
  type PlatformKey,
  type TimeoutConfig,
} from '../../server/index.ts';
import {
  ProbeBudget,
  RequestAccess,
  type AccessSettings,
  type PolicyStore,
} from './access/index.ts';
import { auditPlugin } from './plugins/index.ts';
import { exportRoutes } from './export/index.ts';
import { subgraphLogPlugin } from './observability/index.ts';
import type { DepartmentSubgraph } from './buildDepartmentSubgraph.ts';
import { RequestLoaders } from './loaders/index.ts';
import { JoinHandles, Sealer } from './handles/index.ts';
import { Cursors, type SubgraphContext } from './resolvers/index.ts';

export interface SubgraphServerOptions {
  db: Knex;
  /**
   * The catalogue in force now, not the one the subgraph was built from: an
   * item copied from another dataset (`source`) is never shown more openly than
   * its source's entry shows it as published now, though this department's own
   * entries, and so its subgraph, did not change.
   */
  catalogue: () => Catalogue;
  policies: PolicyStore;
  /** Where the subgraph's ACCESS records go; a response leaves only once they are durable. */
  audit: AuditSink;
  /**
   * The department's audit key (see `loadOrCreateDepartmentKey`): every ACCESS
   * record the subgraph produces, committed or handed back, is signed with it.
   */
  departmentKey: KeyObject;
  /** The gateway's public key: the only signature this subgraph accepts. */
  gatewayKey: PlatformKey;
  /** The subgraphs' shared key that seals join handles and cursors (see `loadOrCreateJoinKey`). */
  joinKey: Buffer;
  /** The platform's time zone (quota days) and verification limit per record. */
  access: Pick<AccessSettings, 'timeZone' | 'verifyLimitPerRecord'> & { probeLimitPerDay: number };
  host: string;
  port: number;
  /** Where errors hidden from the gateway are logged whole, with the request id. */
  logger?: Logger;
  /** HTTP timeouts, the whole request's included (`REQUEST_TIMEOUT_MS`); the defaults otherwise. */
  timeouts?: TimeoutConfig;
  /** The subgraph's own bounds on an operation, a second line behind the gateway's limits. */
  bounds?: { depth: number; aliases: number };
  /**
   * Answers requests without a gateway token. Only the gateway benchmark sets
   * this, on a subgraph built without rules, so that gateways with no identity
   * of their own (plain Apollo Gateway, Hive Gateway) have something to call.
   */
  unsafeWithoutIdentity?: boolean;
  /**
   * What `/ready` checks (its database, the grants, the audit store): each says
   * why the subgraph cannot serve now, or null. `/ready` also turns 503 once
   * `stop()` begins.
   */
  readiness?: readonly ReadinessCheck[];
  /**
   * Listens at once and builds the subgraph's schema on its first request (or
   * `ready()`), instead of before listening: the platform starts a province's
   * hundred departments this way and builds them once its gateway serves.
   */
  buildOnFirstRequest?: boolean;
}

export interface RunningSubgraph {
  name: string;
  url: string;
  /** The subgraph being served now. */
  readonly subgraph: DepartmentSubgraph;
  /** Builds the subgraph's schema and starts serving it, if its first request has not yet. */
  ready(): Promise<void>;
  /**
   * Serves `next` from now on, without a restart: requests under way finish on
   * the schema they started with, new ones get the new schema.
   */
  replace(next: DepartmentSubgraph): Promise<void>;
  stop(): Promise<void>;
}

/** What a subgraph without identity (`unsafeWithoutIdentity`) binds its join handles to, for every request. */
export const UNGOVERNED_HANDLE_REQUEST = 'unsafe';

/**
 * Serves a department subgraph over HTTP at `/graphql`, with `/health`. Every
 * GraphQL request must carry a context token signed by the gateway for this
 * subgraph; without one the subgraph answers nothing — not `_entities`, not a
 * lookup, not introspection — with 401. Headers a client might send to imitate
 * the gateway mean nothing here: only the signature counts.
 */
export async function startSubgraphServer(
  subgraph: DepartmentSubgraph,
  options: SubgraphServerOptions,
): Promise<RunningSubgraph> {
  const { db, policies, gatewayKey } = options;
  if (options.unsafeWithoutIdentity && subgraph.rulesEnforced) {
    throw new Error("A subgraph that enforces sharing rules needs the caller's identity.");
  }
  const sealer = new Sealer(options.joinKey);
  const { timeZone, verifyLimitPerRecord, probeLimitPerDay } = options.access;
  const probes = new ProbeBudget(policies.db, probeLimitPerDay, timeZone);
  const audit = new AttestingAuditSink(options.audit, options.departmentKey);
  // The gateway's fetches come signed, or with a MAC under the key this department shares with it.
  const tokenKeys = new GatewayTokenKeys(gatewayKey, options.departmentKey);
  const plugins = [
    auditPlugin(subgraph.name, audit),
    ...(options.logger ? [subgraphLogPlugin(subgraph.name, options.logger)] : []),
  ];
  // SQL spans, children of the resolver's span (only while tracing is on).
  traceSql(db, subgraph.name);
  const apolloOptions = {
    ...(options.logger ? { logger: options.logger } : {}),
    requestIdOf: (context: SubgraphContext) => context.access?.identity.requestId ?? null,
    validationRules: options.bounds ? subgraphOperationRules(options.bounds) : [],
  };
  /** `next` served by an Apollo Server started (and its schema built) on first use. */
  const servingOf = (next: DepartmentSubgraph) => {
    let started: Promise<ApolloServer<SubgraphContext>> | undefined;
    return {
      subgraph: next,
      apollo: () =>
        (started ??= startApolloServer<SubgraphContext>(next.schema, plugins, apolloOptions)),
      stop: async () => {
        await (await started)?.stop();
      },
    };
  };
  let serving = servingOf(subgraph);
  if (!options.buildOnFirstRequest) await serving.apollo();

  const context = async (
    req: IncomingMessage,
    request: GraphQLHttpRequest,
  ): Promise<SubgraphContext> => {
    if (options.unsafeWithoutIdentity) {
      return {
        db,
        access: null,
        handles: new JoinHandles(sealer, UNGOVERNED_HANDLE_REQUEST),
        cursors: new Cursors(sealer, null),
        composeOnly: false,
        handBackNonce: null,
        startedAt: Date.now(),
        loaders: new RequestLoaders(db, null),
      };
    }
    const verified = await authenticateGatewayRequest(req, subgraph.name, tokenKeys, request.body);
    const { identity } = verified;
    // A fetch whose records go back to the gateway is answered for that gateway's eyes only
    // (a hand-back nonce comes only with a token MACed under `fetchMac`).
    const { handBackNonce } = verified;
    const mac = tokenKeys.fetchMac;
    if (handBackNonce !== null && mac) {
      request.sealAnswer = {
        type: SEALED_ANSWER_TYPE,
        seal: (answer) => mac.sealAnswer(handBackNonce, answer),
      };
    }
    const current = serving.subgraph;
    const access = current.rulesEnforced
      ? new RequestAccess(identity, policies.snapshot, policies.db, {
          catalogue: options.catalogue(),
          timeZone,
          verifyLimitPerRecord,
          probes,
        })
      : null;
    return {
      db,
      access,
      handles: new JoinHandles(sealer, identity.requestId),
      cursors: new Cursors(sealer, identity.caller?.department ?? null),
      composeOnly: verified.composeOnly,
      handBackNonce: request.sealAnswer ? handBackNonce : null,
      startedAt: Date.now(),
      loaders: new RequestLoaders(db, access),
    };
  };

  const server: Server = createGraphQLHttpServer({
    ...(options.logger ? { logger: options.logger } : {}),
    apollo: () => serving.apollo(),
    context,
    // A request refused before its token is read (401, 413, 404) still names an id; a verified
    // one is answered under the platform's id it carries (see auditPlugin).
    requestId: newRequestId,
    traceName: `subgraph ${subgraph.name}`,
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    routes: {
      '/health': (_, res) => sendJson(res, 200, { status: 'ok', subgraph: subgraph.name }),
      '/ready': readinessRoute(options.readiness ?? [], () => stopping),
      ...(options.unsafeWithoutIdentity
        ? {}
        : exportRoutes({
            subgraph: () => serving.subgraph,
            catalogue: options.catalogue,
            db,
            policies,
            settings: { timeZone, verifyLimitPerRecord, probes },
            gatewayKey,
            sealer,
            audit,
            ...(options.logger ? { logger: options.logger } : {}),
          })),
    },
  });
  const base = await listen(server, options.host, options.port);
  let stopping = false;
  return {
    name: subgraph.name,
    url: `${base}/graphql`,
    get subgraph() {
      return serving.subgraph;
    },
    async ready() {
      await serving.apollo();
    },
    async replace(next) {
      const previous = serving;
      const replacement = servingOf(next);
      await replacement.apollo();
      serving = replacement;
      // Requests already handed to the previous server finish there first.
      setTimeout(() => void previous.stop(), DRAIN_MS).unref();
    },
    async stop() {
      stopping = true;
      await close(server);
      await serving.stop();
    },
  };
}

/** How long a replaced schema keeps serving the requests that started on it. */
const DRAIN_MS = 30_000;
