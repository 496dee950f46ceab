import {
  loadConfig,
  mintDevToken,
  type DevTokenRequest,
  type PlatformConfig,
} from '../../server/index.ts';
import {
  startPlatform,
  type PlatformOptions,
  type RunningPlatform,
} from '../../scripts/platform/index.ts';
import { fillFromTemplate } from './platformTemplate.ts';
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
  /** The configuration it was started with. */
  config: PlatformConfig;
  /** POSTs a GraphQL request to the gateway, as a client would. */
  query<TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<TData>>;
  close(): Promise<void>;
  /** A bearer token for a caller, minted with the test platform's development secret. */
  token(request: DevTokenRequest): Promise<string>;
  /** The headers of a department's application developer, with a purpose. */
  as(
    department: string,
    purpose?: string | null,
    extra?: Partial<DevTokenRequest>,
  ): Promise<Record<string, string>>;
}

export function testConfig(
  database: TestDatabase,
  overrides: Partial<PlatformConfig> = {},
): PlatformConfig {
  return {
    ...loadConfig({ DATA_DIR: database.dir }),
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

/**
 * Starts the whole platform on fresh databases of `engine`, on free ports.
 * The databases are the test's own, filled beforehand (where the platform is
 * the usual one) with a copy of what migrating and seeding make, which the
 * run makes once (see `fillFromTemplate`).
 */
export async function startTestPlatform(
  engine: Engine,
  options: PlatformOptions = {},
  configure: (config: PlatformConfig) => PlatformConfig = (config) => config,
): Promise<TestPlatform> {
  const database = createTestDatabase(engine);
  let platform: RunningPlatform;
  const config = configure(testConfig(database));
  try {
    await fillFromTemplate(database, config, options, TEST_SCALE);
    platform = await startPlatform(config, { ephemeralPorts: true, ...options });
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    ...platform,
    database,
    config,
    query: (query, variables, headers) =>
      postGraphQL(platform.gateway.url, query, variables, headers),
    async close() {
      await platform.stop();
      await database.drop();
    },
    token: (request) => mintDevToken(config.auth, request),
    async as(department, purpose = null, extra = {}) {
      const token = await mintDevToken(config.auth, {
        department,
        roles: ['APP_DEVELOPER'],
        ...extra,
      });
      return { authorization: `Bearer ${token}`, ...(purpose ? { 'x-purpose': purpose } : {}) };
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
