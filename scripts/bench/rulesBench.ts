import type { Knex } from 'knex';
import {
  createLogger,
  DiscardingAuditSinkForBenchmarks,
  loadOrCreateDepartmentKey,
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
import { BENCH_CONSUMER, BENCH_PURPOSE, ensureBenchGrants } from './benchGrants.ts';
import { alternate, logRounds } from './alternate.ts';
import { runAutocannon } from './runAutocannon.ts';
import { summarize, type Summary } from './summarize.ts';

export interface RulesBenchSetup {
  config: PlatformConfig;
  catalogue: Catalogue;
  platformDb: Knex;
  departmentDb: Knex;
  keys: { privateKey: PlatformKey; publicKey: PlatformKey };
  /** The subgraphs' join key: the benchmark seals the representations the gateway would send. */
  joinKey: Buffer;
  rounds: number;
  seconds: number;
  connections: number;
  log: (message: string) => void;
}

/**
 * The public-security subgraph answering the `_entities` fetch the gateway sends
 * for 100 people, with its sharing rules on (a grantee with a mask) and off,
 * alternating rounds. Both are the same code but for the shield middleware.
 */
export async function runRulesBench(setup: RulesBenchSetup): Promise<Summary[]> {
  const { config, catalogue, platformDb, departmentDb, keys, log } = setup;
  await ensureBenchGrants(platformDb);
  const policies = new PolicyStore(platformDb, createLogger(config), config.policyReload);
  // Auditing is measured by its own suite; here neither side records, so only the rules differ.
  const audit = new DiscardingAuditSinkForBenchmarks();
  await policies.start();
  const ids = (await departmentDb('persons')
    .select('id_number')
    .orderBy('id_number')
    .limit(100)) as {
    id_number: string;
  }[];
  // Handles are bound to the request id of the benchmark's context token.
  const handles = new JoinHandles(new Sealer(setup.joinKey), BENCH_REQUEST_ID);
  const body = JSON.stringify({
    query:
      'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { idNumber name gender birthDate regionCode } } }',
    variables: {
      representations: ids.map((r) => ({
        __typename: 'Person',
        joinHandle: handles.seal('Person', r.id_number),
      })),
    },
  });

  const served = {
    departmentKey: loadOrCreateDepartmentKey(config.auth.departmentKeys, 'public_security'),
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
  const servers: Record<'rules on' | 'rules off', RunningSubgraph> = {
    'rules on': await startSubgraphServer(
      buildDepartmentSubgraph(catalogue, 'public_security', { maxPageSize: config.maxPageSize }),
      { db: departmentDb, catalogue: () => catalogue, policies, audit, ...served },
    ),
    'rules off': await startSubgraphServer(
      buildDepartmentSubgraph(catalogue, 'public_security', {
        maxPageSize: config.maxPageSize,
        unsafeWithoutRules: true,
      }),
      { db: departmentDb, catalogue: () => catalogue, policies, audit, ...served },
    ),
  };
  // A benchmark of error responses measures nothing: check each answers in full first.
  for (const [name, server] of Object.entries(servers)) {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-govdata-context': await benchToken(keys.privateKey, body),
      },
      body,
    });
    const answer = (await response.json()) as {
      data?: { _entities?: unknown[] };
      errors?: unknown[];
    };
    const entities = answer.data?._entities ?? [];
    if (answer.errors || entities.length !== 100 || entities.some((e) => e === null)) {
      throw new Error(
        `${name} does not answer the benchmark query in full: ${JSON.stringify(answer).slice(0, 300)}`,
      );
    }
  }
  try {
    const results = await alternate(
      ['rules on', 'rules off'] as const,
      setup,
      async (name, seconds) =>
        runAutocannon({
          url: servers[name].url,
          body,
          // A fresh token each turn, bound to the body: valid 10 s (15 with clock tolerance).
          headers: { 'x-govdata-context': await benchToken(keys.privateKey, body) },
          connections: setup.connections,
          seconds,
        }),
      logRounds(log),
    );
    return [...results].map(([name, r]) => summarize(name, r));
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
    policies.stop();
  }
}

const BENCH_REQUEST_ID = 'bench';

/** The context token of the benchmark's grantee for `body`, valid for one round (up to 15 s). */
function benchToken(key: PlatformKey, body: string): Promise<string> {
  return signInternalToken(
    {
      caller: {
        department: BENCH_CONSUMER,
        application: null,
        user: null,
        roles: ['APP_DEVELOPER'],
      },
      purpose: BENCH_PURPOSE,
      grantId: null,
      requestId: BENCH_REQUEST_ID,
      correlationId: null,
      operationName: null,
    },
    'public_security',
    key,
    body,
  );
}
