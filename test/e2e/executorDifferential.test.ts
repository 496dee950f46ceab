import { randomUUID } from 'node:crypto';
import { Supergraph } from '@apollo/federation-internals';
import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertGrant, newGrant, type PlatformConfig } from '../../server/index.ts';
import {
  startGatewayProcess,
  type RunningGatewayProcess,
} from '../../scripts/platform/startGatewayProcess.ts';
import { availableEngines } from '../support/testDatabase.ts';
import {
  generateOperations,
  type CorpusOperation,
  type CorpusRoot,
} from '../support/operationCorpus.ts';
import {
  postGraphQL,
  startTestPlatform,
  testConfig,
  type GraphQLResponse,
  type TestPlatform,
} from '../support/testPlatform.ts';

/**
 * Acceptance (issue 20): our query-plan executor answers exactly as Apollo
 * Gateway's. A generated corpus of operations over the demo supergraph —
 * lookups and pages, fields across every department's entities, aliases
 * (`__proto__` among them), fragments, variables, `@skip`/`@include`, keys that match nothing — is sent
 * by several callers (each department, an anonymous caller, consumers holding
 * grants with masked items) to two gateways in front of the same subgraphs:
 * the platform's own (our executor) and one running Apollo's executor
 * (`GATEWAY_EXECUTOR=apollo`). Data, errors, their paths and codes must be
 * identical, key order included; only the request id, sealed values (join
 * handles, cursors: made afresh for every answer) and the order of errors
 * (parallel fetches finish in any order, under either executor) may differ.
 */

const ENGINES = await availableEngines();
const OPERATIONS = 500;
const PURPOSE = 'audit';
/** Consumers given grants with a masked and a withheld item on every conditional dataset. */
const GRANTEES = ['natural_resources', 'city_water'];

/** Per-consumer rates lifted: the corpus sends far more than a consumer's share per second. */
const unlimited = (config: PlatformConfig): PlatformConfig => ({
  ...config,
  limits: {
    ...config.limits,
    anonymous: { ...config.limits.anonymous, requestsPerSecond: 1e6, costPerSecond: 1e9 },
    authenticated: { ...config.limits.authenticated, requestsPerSecond: 1e6, costPerSecond: 1e9 },
  },
});

describe.each(ENGINES)('our executor against Apollo Gateway executor (%s)', (engine) => {
  let platform: TestPlatform;
  let apollo: RunningGatewayProcess;
  let schema: GraphQLSchema;
  let roots: CorpusRoot[];
  let callers: { name: string; headers: Record<string, string> }[];

  beforeAll(async () => {
    platform = await startTestPlatform(engine, {}, unlimited);
    apollo = await startGatewayProcess(
      { ...unlimited(testConfig(platform.database)), gatewayExecutor: 'apollo' },
      { port: 0 },
    );
    const sdl = await platform.registry.compose();
    schema = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
    for (const department of GRANTEES) {
      for (const entry of platform.catalogue.entries) {
        if (entry.sharing.type !== 'CONDITIONAL' || entry.department === department) continue;
        // Every item but the last (withheld), the one before it masked.
        const items = entry.items.map((i) => i.name).slice(0, -1);
        const masked = items[items.length - 1];
        await insertGrant(
          platform.platformDb,
          newGrant(
            {
              id: randomUUID(),
              consumerDepartment: department,
              datasetCode: entry.code,
              items,
              masks: masked ? { [masked]: { rule: 'REDACT' } } : {},
              purposes: [PURPOSE],
              modes: ['QUERY'],
              validFrom: '2020-01-01T00:00:00.000Z',
              validUntil: '2099-12-31T23:59:59.999Z',
            },
            'executorDifferential.test',
          ),
        );
      }
    }
    await platform.policies.reload();
    callers = [{ name: 'anonymous', headers: {} }];
    for (const department of platform.catalogue.departments) {
      callers.push({ name: department.code, headers: await platform.as(department.code, PURPOSE) });
    }
    roots = await corpusRoots(platform, sdl, schema);
  });

  afterAll(async () => {
    await apollo?.stop();
    await platform?.close();
  });

  it(`answers ${OPERATIONS} generated operations exactly as Apollo's executor`, async () => {
    const corpus = generateOperations(schema, roots, OPERATIONS, engine === 'sqlite' ? 20 : 21);
    const differences: string[] = [];
    const seen = { data: 0, errors: 0, crossing: 0 };
    let next = 0;
    const worker = async () => {
      while (next < corpus.length) {
        const index = next++;
        const operation = corpus[index]!;
        const caller = callers[index % callers.length]!;
        let theirs: GraphQLResponse;
        let ours: GraphQLResponse;
        let tries = 0;
        do {
          [theirs, ours] = await Promise.all([
            send(apollo.gateway.url, operation, caller.headers),
            send(platform.gateway.url, operation, caller.headers),
          ]);
          // A database too busy to answer in time is the machine's doing, not the executor's: asked again.
        } while (++tries < 4 && (unavailable(theirs) || unavailable(ours)));
        const expected = comparable(theirs);
        const actual = comparable(ours);
        if (expected !== actual) {
          let at = 0;
          while (expected[at] === actual[at]) at++;
          differences.push(
            `${caller.name}: ${operation.query}\n apollo: …${expected.slice(at - 200, at + 300)}\n ours:   …${actual.slice(at - 200, at + 300)}`,
          );
        }
        if (theirs.data && Object.values(theirs.data).some((v) => v !== null)) seen.data++;
        if (theirs.errors?.length) seen.errors++;
        if (
          /\{[^}]*(licenses|creditRecords|utilityAccounts|landParcels|holder|person|enterprise)\b/.test(
            operation.query,
          )
        )
          seen.crossing++;
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(differences.slice(0, 3)).toEqual([]);
    // The corpus exercised what it is for: answers with data, with errors (denials), across subgraphs.
    expect(seen.data).toBeGreaterThan(OPERATIONS / 4);
    expect(seen.errors).toBeGreaterThan(OPERATIONS / 10);
    expect(seen.crossing).toBeGreaterThan(OPERATIONS / 4);
  }, 300_000);
});

async function send(
  url: string,
  operation: CorpusOperation,
  headers: Record<string, string>,
): Promise<GraphQLResponse> {
  return postGraphQL(url, operation.query, operation.variables, headers);
}

/** Opaque values made afresh for every answer (sealed join handles, page cursors), under any alias. */
const SEALED = /^[A-Za-z0-9_-]{40,}$/;

/** Whether a storage timeout left some part of the answer out. */
function unavailable(response: GraphQLResponse): boolean {
  return (response.errors ?? []).some((e) => e.extensions?.code === 'UNAVAILABLE');
}

/** A request id in a message (the operators' log reference). */
const REQUEST_ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * A response as JSON: what names the request itself (its id) left out, sealed
 * values reduced to whether they were given, and errors in a fixed order
 * (parallel fetches finish in any order, under either executor).
 */
function comparable(response: GraphQLResponse): string {
  const errors = response.errors
    ?.map((e) =>
      JSON.stringify(e, (key, value: unknown) => (key === 'requestId' ? undefined : value)),
    )
    .map((e) => e.replace(REQUEST_ID, '(request id)'))
    .sort();
  return JSON.stringify(
    { status: response.status, data: response.data, errors },
    (_, value: unknown) => (typeof value === 'string' && SEALED.test(value) ? '(sealed)' : value),
  );
}

/**
 * The root fields the corpus starts from: every department's lookups (with a
 * few real keys, read by the providing department) and pages; the platform's
 * own fields (audit, grants...) change as the corpus runs, so they are left out.
 */
async function corpusRoots(
  platform: TestPlatform,
  sdl: string,
  schema: GraphQLSchema,
): Promise<CorpusRoot[]> {
  const query = sdl.slice(sdl.indexOf('type Query'));
  const owner = new Map<string, string>();
  for (const match of query
    .slice(0, query.indexOf('\n}'))
    .matchAll(/^\s+(\w+)(?:\([^)]*\))?: .*@join__field\(graph: (\w+)\)/gm)) {
    owner.set(match[1]!, match[2]!.toLowerCase());
  }
  const fields = schema.getQueryType()!.getFields();
  const roots: CorpusRoot[] = [];
  for (const [name, department] of owner) {
    const field = fields[name];
    if (!field || department === 'platform' || name.startsWith('verify')) continue;
    const type = getNamedType(field.type);
    if (!isObjectType(type)) continue;
    const keyArgument = field.args.length === 1 ? field.args[0]!.name : null;
    if (!keyArgument) {
      roots.push({ field: name });
      continue;
    }
    const page = Object.entries(fields).find(
      ([, f]) => getNamedType(f.type).name === `${type.name}Connection`,
    );
    if (!page) continue;
    const answer = await platform.query<Record<string, { nodes: Record<string, string>[] }>>(
      `{ ${page[0]}(first: 4) { nodes { ${keyArgument} } } }`,
      {},
      await platform.as(department, PURPOSE),
    );
    const values = (answer.data?.[page[0]]?.nodes ?? [])
      .map((n) => n[keyArgument]!)
      .filter(Boolean);
    if (values.length > 0) roots.push({ field: name, key: { argument: keyArgument, values } });
  }
  return roots;
}
