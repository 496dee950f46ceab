import type { Knex } from 'knex';
import {
  asKeyObject,
  createLogger,
  DepartmentVerifyKeys,
  DiscardingAuditSinkForBenchmarks,
  FetchMac,
  SEALED_ANSWER_TYPE,
  loadOrCreateDepartmentKey,
  newHandBackNonce,
  signInternalToken,
  type PlatformConfig,
  type PlatformKey,
} from '../../server/index.ts';
import { PolicyStore } from '../../subgraphs/kit/access/index.ts';
import { JoinHandles, Sealer } from '../../subgraphs/kit/handles/index.ts';
import {
  buildDepartmentSubgraph,
  startSubgraphServer,
  type RunningSubgraph,
} from '../../subgraphs/kit/index.ts';
import type { Catalogue } from '../../schema/index.ts';
import { benchIdentity, ensureBenchGrants } from './benchGrants.ts';

/** The department whose subgraph the in-process suites (rules, governance) serve and load. */
export const DEPARTMENT = 'public_security';

/** What a suite serving public_security in the bench process needs. */
export interface PublicSecuritySetup {
  config: PlatformConfig;
  catalogue: Catalogue;
  platformDb: Knex;
  /** public_security's database. */
  departmentDb: Knex;
  keys: { privateKey: PlatformKey; publicKey: PlatformKey };
  /** The subgraphs' join key: the benchmark seals the representations the gateway would send. */
  joinKey: Buffer;
  log: (message: string) => void;
}

/** Which of governance a served subgraph keeps: all, identity without rules, or none. */
export type Governance = 'governed' | 'rules off' | 'ungoverned';

/**
 * public_security's subgraph served in this process, once per `kinds`, over the
 * same database and grants (the benchmark consumer's, made here), recording
 * nothing (the audit suite measures that; a handed-back record is still made
 * and signed). Stop them with `stop`.
 */
export async function servePublicSecurity<K extends string>(
  setup: PublicSecuritySetup,
  kinds: Record<K, Governance>,
): Promise<{ servers: Record<K, RunningSubgraph>; stop: () => Promise<void> }> {
  const { config, catalogue, platformDb, departmentDb, keys } = setup;
  await ensureBenchGrants(platformDb);
  const policies = new PolicyStore(platformDb, createLogger(config), config.policyReload);
  await policies.start();
  const served = {
    db: departmentDb,
    catalogue: () => catalogue,
    policies,
    audit: new DiscardingAuditSinkForBenchmarks(),
    departmentKey: loadOrCreateDepartmentKey(config.auth.departmentKeys, DEPARTMENT),
    gatewayKey: keys.publicKey,
    joinKey: setup.joinKey,
    access: {
      timeZone: config.timeZone,
      verifyLimitPerRecord: config.verifyLimitPerRecord,
      probeLimitPerDay: config.probeLimitPerDay,
    },
    host: '127.0.0.1',
    port: 0,
  };
  const servers = {} as Record<K, RunningSubgraph>;
  for (const [name, kind] of Object.entries(kinds) as [K, Governance][]) {
    const subgraph = buildDepartmentSubgraph(catalogue, DEPARTMENT, {
      maxPageSize: config.maxPageSize,
      unsafeWithoutRules: kind !== 'governed',
    });
    servers[name] = await startSubgraphServer(subgraph, {
      ...served,
      unsafeWithoutIdentity: kind === 'ungoverned',
    });
  }
  return {
    servers,
    stop: async () => {
      await Promise.all(Object.values<RunningSubgraph>(servers).map((s) => s.stop()));
      policies.stop();
    },
  };
}

/** The request id the entities fetch's handles are sealed for, and its tokens name. */
export const ENTITIES_REQUEST_ID = 'bench-entities';

/**
 * The `_entities` fetch a page of 100 people makes of public_security: the
 * first 100 people by ID number, as sealed handles bound to the fetch's
 * request (`requestId`; a subgraph without identity binds them to
 * `UNGOVERNED_HANDLE_REQUEST`).
 */
export async function entitiesBody(
  departmentDb: Knex,
  joinKey: Buffer,
  requestId = ENTITIES_REQUEST_ID,
): Promise<string> {
  const people = (await departmentDb('persons')
    .select('id_number')
    .orderBy('id_number')
    .limit(100)) as { id_number: string }[];
  const handles = new JoinHandles(new Sealer(joinKey), requestId);
  return JSON.stringify({
    query:
      'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { idNumber name gender birthDate regionCode } } }',
    variables: {
      representations: people.map((p) => ({
        __typename: 'Person',
        joinHandle: handles.seal('Person', p.id_number),
      })),
    },
  });
}

/** The MAC key our gateway shares with `department` (its tokens' key, as the gateway makes them). */
export function benchFetchMac(
  config: PlatformConfig,
  gatewayKey: PlatformKey,
  department: string,
): FetchMac {
  const mac = FetchMac.between(
    asKeyObject(gatewayKey),
    new DepartmentVerifyKeys(config.auth.departmentKeys.verifyDir).departmentKey(department),
  );
  if (!mac) throw new Error("the gateway's and the department's keys are not both Ed25519");
  return mac;
}

/** One benchmark fetch's context token, and how its answer is read. */
export interface BenchFetch {
  token: string;
  /** The answer's text, opened as the gateway opens it when the subgraph sealed it. */
  read(response: { headers: Record<string, unknown>; body: BodyReadable }): Promise<string>;
}

/** What undici's response body offers that the benchmark reads. */
interface BodyReadable {
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * A context token for one of the benchmark consumer's fetches of `department`,
 * bound to `body` and asking for its ACCESS records back, as the gateway makes one.
 */
export async function benchFetchToken(
  key: FetchMac | PlatformKey,
  department: string,
  body: string,
  requestId: string,
  operationName: string | null = null,
): Promise<BenchFetch> {
  const handBackNonce = newHandBackNonce();
  const token = await signInternalToken(
    benchIdentity(requestId, operationName),
    department,
    key,
    body,
    { handBackNonce },
  );
  return {
    token,
    async read(response) {
      if (response.headers['content-type'] !== SEALED_ANSWER_TYPE) return response.body.text();
      if (!(key instanceof FetchMac)) throw new Error('a sealed answer to a signed fetch');
      const sealed = Buffer.from(await response.body.arrayBuffer());
      return key.openAnswer(handBackNonce, sealed);
    },
  };
}
