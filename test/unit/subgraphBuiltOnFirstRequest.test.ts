import { generateKeyPairSync } from 'node:crypto';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type * as ApolloSubgraph from '@apollo/subgraph';
import knex from 'knex';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadPlatformCatalogue } from '../../scripts/platform/index.ts';
import { DiscardingAuditSinkForBenchmarks } from '../../server/index.ts';
import type { PolicyStore } from '../../subgraphs/kit/access/index.ts';
import {
  buildDepartmentSubgraph,
  departmentTypeDefs,
  startSubgraphServer,
} from '../../subgraphs/kit/index.ts';

vi.mock('@apollo/subgraph', async (importOriginal) => {
  const original = await importOriginal<typeof ApolloSubgraph>();
  return { ...original, buildSubgraphSchema: vi.fn(original.buildSubgraphSchema) };
});

/**
 * A department's subgraph gives its SDL at once and builds its executable
 * schema (Apollo's subgraph schema, the resolvers, the rules) only when that is
 * first read: at a province's size the schemas are most of the start-up's
 * time and memory, and the platform builds them once its gateway serves. A
 * server started with `buildOnFirstRequest` listens before its schema is built
 * and builds it once, whichever comes first: a request or `ready()`.
 */
const OPTIONS = { maxPageSize: 100 };
const catalogue = loadPlatformCatalogue();
const built = vi.mocked(buildSubgraphSchema);
const db = knex({
  client: 'better-sqlite3',
  connection: { filename: ':memory:' },
  useNullAsDefault: true,
});
afterAll(() => db.destroy());

describe('a department subgraph built on first use', () => {
  it('gives its SDL at once and builds its schema once, when first read', () => {
    built.mockClear();
    const subgraph = buildDepartmentSubgraph(catalogue, 'public_security', OPTIONS);
    expect(subgraph.typeDefs).toBe(departmentTypeDefs(catalogue, 'public_security', OPTIONS));
    expect(built).not.toHaveBeenCalled();
    const schema = subgraph.schema;
    expect(schema.getQueryType()?.name).toBe('Query');
    expect(subgraph.schema).toBe(schema);
    expect(built).toHaveBeenCalledTimes(1);
  });

  it('is served before it is built, and built once by its first request', async () => {
    const subgraph = buildDepartmentSubgraph(catalogue, 'city_water', {
      ...OPTIONS,
      unsafeWithoutRules: true,
    });
    built.mockClear();
    const running = await startSubgraphServer(subgraph, {
      db,
      catalogue: () => catalogue,
      policies: { db } as unknown as PolicyStore,
      audit: new DiscardingAuditSinkForBenchmarks(),
      departmentKey: generateKeyPairSync('ed25519').privateKey,
      gatewayKey: generateKeyPairSync('ed25519').publicKey,
      joinKey: Buffer.alloc(32, 1),
      access: { timeZone: 'Asia/Shanghai', verifyLimitPerRecord: 10, probeLimitPerDay: 10 },
      host: '127.0.0.1',
      port: 0,
      unsafeWithoutIdentity: true,
      buildOnFirstRequest: true,
    });
    try {
      expect(built).not.toHaveBeenCalled();
      const health = await fetch(running.url.replace('/graphql', '/health'));
      expect(health.status).toBe(200);
      expect(built).not.toHaveBeenCalled();
      const ask = () =>
        fetch(running.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ _service { sdl } }' }),
        }).then((res) => res.json() as Promise<{ data: { _service: { sdl: string } } }>);
      const [first, second] = await Promise.all([ask(), ask()]);
      expect(first.data._service.sdl).toContain('type Query');
      expect(second).toEqual(first);
      await running.ready();
      expect(built).toHaveBeenCalledTimes(1);
    } finally {
      await running.stop();
    }
  });
});
