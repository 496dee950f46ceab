import { resolve } from 'node:path';
import { z } from 'zod';

/** Where the databases live: one file per database, or one MySQL server. */
export type DatabaseConfig = { kind: 'sqlite'; dir: string } | { kind: 'mysql'; url: URL };

/** How the gateway verifies callers' bearer tokens. */
export type TokenVerification =
  /** HS256 with a shared secret: development. The secret file is created on first use. */
  | { kind: 'secret'; secret: string | null; secretFile: string }
  /** Keys from a JWKS file or URL: production identity providers. */
  | { kind: 'jwks-file'; file: string }
  | { kind: 'jwks-url'; url: URL };

export interface AuthConfig {
  issuer: string;
  audience: string;
  tokens: TokenVerification;
  /** The gateway's Ed25519 key pair for internal context tokens (created on first use). */
  gatewayPrivateKeyFile: string;
  gatewayPublicKeyFile: string;
}

/** Everything the platform's processes are configured with, typed and checked. */
export interface PlatformConfig {
  auth: AuthConfig;
  database: DatabaseConfig;
  /** Folder holding the department folders; null for the project's own `subgraphs/`. */
  departmentsDir: string | null;
  /** Interface every server listens on. */
  host: string;
  gatewayPort: number;
  /** Department subgraphs listen on consecutive ports from here, in department order (0: any free ports). */
  subgraphPortBase: number;
  /** People in the demo data seeded on first start. */
  seedScale: number;
  /** Largest page a list query may ask for. */
  maxPageSize: number;
  /** Working days a providing department has to answer a sharing application. */
  applicationReplyWorkingDays: number;
  /** Base URI of catalogue identifiers in the DCAT-AP export. */
  catalogueBaseUri: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Signed checkpoints of the audit chains, kept outside the database (tamper evidence). */
  auditCheckpoints: AuditCheckpointConfig;
}

/** Where audit writers append their signed chain heads, and how often they sign. */
export interface AuditCheckpointConfig {
  /** Append-only JSON-lines file; default DATA_DIR/audit-checkpoints.jsonl. */
  file: string;
  /** Longest a committed audit record waits for a signed checkpoint (ms). */
  intervalMs: number;
  /** Sign at once when this many records are unsigned. */
  everyRecords: number;
}

const port = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || /^(mysql|mariadb):\/\/[^/]+\/\w+/.test(v), {
      error: 'expected mysql://user:password@host:port/database (or unset for embedded SQLite)',
    }),
  DATA_DIR: z.string().default('data'),
  DEPARTMENTS_DIR: z.string().min(1).optional(),
  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(4000),
  SUBGRAPH_PORT_BASE: port.default(4001),
  SEED_SCALE: z.coerce.number().int().min(1).max(10_000_000).default(5000),
  MAX_PAGE_SIZE: z.coerce.number().int().min(1).max(10_000).default(100),
  APPLICATION_REPLY_DAYS: z.coerce.number().int().min(1).max(60).default(5),
  CATALOGUE_BASE_URI: z.url().default('http://data.gov.example/catalogue'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JWT_ISSUER: z.string().min(1).default('govdata-dev'),
  JWT_AUDIENCE: z.string().min(1).default('govdata'),
  JWT_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  JWT_JWKS_FILE: z.string().min(1).optional(),
  JWT_JWKS_URL: z.url().optional(),
  GATEWAY_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  GATEWAY_PUBLIC_KEY_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  AUDIT_CHECKPOINT_RECORDS: z.coerce.number().int().min(1).max(1_000_000).default(1000),
});

/** Thrown when the environment does not describe a usable configuration. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * The one place that reads the environment. Everything else receives a
 * `PlatformConfig`; a bad variable fails here with its name and what is expected.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      'Invalid configuration:\n' +
        parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n'),
    );
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const keysDir = resolve(dataDir, 'keys');
  const tokens: TokenVerification = e.JWT_JWKS_URL
    ? { kind: 'jwks-url', url: new URL(e.JWT_JWKS_URL) }
    : e.JWT_JWKS_FILE
      ? { kind: 'jwks-file', file: resolve(e.JWT_JWKS_FILE) }
      : {
          kind: 'secret',
          secret: e.JWT_SECRET ?? null,
          secretFile: resolve(keysDir, 'dev-jwt-secret'),
        };
  return {
    auth: {
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      tokens,
      gatewayPrivateKeyFile: resolve(
        e.GATEWAY_PRIVATE_KEY_FILE ?? resolve(keysDir, 'gateway-signing.jwk.json'),
      ),
      gatewayPublicKeyFile: resolve(
        e.GATEWAY_PUBLIC_KEY_FILE ?? resolve(keysDir, 'gateway-verify.jwk.json'),
      ),
    },
    database: e.DATABASE_URL
      ? { kind: 'mysql', url: new URL(e.DATABASE_URL) }
      : { kind: 'sqlite', dir: dataDir },
    departmentsDir: e.DEPARTMENTS_DIR ? resolve(e.DEPARTMENTS_DIR) : null,
    host: e.HOST,
    gatewayPort: e.PORT,
    subgraphPortBase: e.SUBGRAPH_PORT_BASE,
    seedScale: e.SEED_SCALE,
    maxPageSize: e.MAX_PAGE_SIZE,
    applicationReplyWorkingDays: e.APPLICATION_REPLY_DAYS,
    catalogueBaseUri: e.CATALOGUE_BASE_URI,
    logLevel: e.LOG_LEVEL,
    auditCheckpoints: {
      file: resolve(e.AUDIT_CHECKPOINT_FILE ?? resolve(dataDir, 'audit-checkpoints.jsonl')),
      intervalMs: e.AUDIT_CHECKPOINT_INTERVAL_MS,
      everyRecords: e.AUDIT_CHECKPOINT_RECORDS,
    },
  };
}

/** Settings only the test suite reads: whether this is CI, and where MariaDB is. */
export interface TestSettings {
  ci: boolean;
  /** Server for the MySQL half of the suite; each test makes its own databases there. */
  mysqlUrl: URL;
}

export function loadTestSettings(env: NodeJS.ProcessEnv = process.env): TestSettings {
  return {
    ci: env.CI === 'true' || env.CI === '1',
    mysqlUrl: new URL(env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'),
  };
}
