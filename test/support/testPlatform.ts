import type { PlatformConfig } from '../../server/index.ts';
import { startPlatform, type PlatformOptions, type RunningPlatform } from '../../scripts/platform/index.ts';
import { createTestDatabase, type Engine, type TestDatabase } from './testDatabase.ts';

/** People in the test data: small enough to seed in a moment, big enough for several pages. */
export const TEST_SCALE = 400;

export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestPlatform extends RunningPlatform {
  database: TestDatabase;
  /** POSTs a GraphQL request to the gateway, as a client would. */
  query<TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<TData>>;
  close(): Promise<void>;
}

export function testConfig(database: TestDatabase, overrides: Partial<PlatformConfig> = {}): PlatformConfig {
  return {
    database: database.config,
    host: '127.0.0.1',
    gatewayPort: 0,
    subgraphPortBase: 0,
    seedScale: TEST_SCALE,
    maxPageSize: 100,
    logLevel: 'silent',
    ...overrides,
  };
}

/** Starts the whole platform on fresh databases of `engine`, on free ports. */
export async function startTestPlatform(engine: Engine, options: PlatformOptions = {}): Promise<TestPlatform> {
  const database = createTestDatabase(engine);
  let platform: RunningPlatform;
  try {
    platform = await startPlatform(testConfig(database), { ephemeralPorts: true, ...options });
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    ...platform,
    database,
    query: (query, variables, headers) => postGraphQL(platform.gateway.url, query, variables, headers),
    async close() {
      await platform.stop();
      await database.drop();
    },
  };
}

export async function postGraphQL<TData>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status'>;
  return { status: response.status, ...body };
}
