import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import {
  applicationProblem,
  DEFAULT_ADMISSION,
  DEFAULT_LIMITS,
  parseKeyedLimits,
  parseLimitList,
  roleProblem,
  type LimitsConfig,
} from './limitsConfig.ts';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../../schema/dates/index.ts';
import { DEFAULT_OFFICE_DEPARTMENTS, DEPARTMENT_CODE } from '../identity/RequestIdentity.ts';
import { LOG_LEVELS, type LogLevel } from './logLevels.ts';
import type { ObservabilityConfig } from './observabilityConfig.ts';

/** Where the databases live: one file per database, or one MySQL server. */
export type DatabaseConfig = (
  | { kind: 'sqlite'; dir: string }
  | { kind: 'mysql'; url: URL; departmentUsers?: DepartmentUsersConfig }
) & {
  /** How long waiting for the database may take; `DEFAULT_DATABASE_LIMITS` when absent. */
  limits?: DatabaseLimits;
  /**
   * The one database this configuration names (`DEPARTMENT_DATABASE_URL`): the
   * SQLite file, or the MySQL URL's database as it is, whatever name it is
   * opened under (that name then only labels its metrics).
   */
  only?: string;
};

/**
 * How department subgraphs connect on MySQL: each as its own database user with
 * rights on its own database only (see `ensureDepartmentUser`). Absent: every
 * database is reached as the DATABASE_URL user.
 */
export interface DepartmentUsersConfig {
  /**
   * `managed`: the platform creates each user (its DATABASE_URL user needs
   * CREATE USER and GRANT OPTION) with a generated password kept in
   * `secretsDir`. `given`: operators created the users and put their passwords
   * there; the platform only connects as them.
   */
  mode: 'managed' | 'given';
  /** One password file per user (default DATA_DIR/keys). */
  secretsDir: string;
  /** The host part of the users (`%`: any host the server accepts). */
  host: string;
}

/** Bounds on waiting for a database: no request waits on storage for longer. */
export interface DatabaseLimits {
  /** Longest a statement waits on a lock held elsewhere before failing with UNAVAILABLE. */
  lockTimeoutMs: number;
  /** Longest a query waits for a connection from the pool. */
  acquireTimeoutMs: number;
  /** MySQL connections per database and process (SQLite always uses one). */
  poolMin: number;
  poolMax: number;
}

export const DEFAULT_DATABASE_LIMITS: DatabaseLimits = {
  lockTimeoutMs: 2000,
  acquireTimeoutMs: 2000,
  poolMin: 0,
  poolMax: 10,
};

/** Timeouts of the HTTP servers and of the gateway's work, in milliseconds. */
export interface TimeoutConfig {
  /** A subgraph fetch unanswered by then is abandoned: its part of the answer is an UNAVAILABLE error. */
  subgraphFetchMs: number;
  /** A GraphQL request unanswered by then is answered 503 UNAVAILABLE. */
  requestMs: number;
  /** A client must have sent its request headers within this. */
  headersMs: number;
  /** ...and its whole request body within this, counted from the headers. */
  bodyMs: number;
  /**
   * A response the client stops reading (nothing could be sent for this long)
   * is dropped with its connection: an unread answer holds memory, and at the
   * gateway its room among the requests in flight.
   */
  sendMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: number;
  /** On SIGTERM or Ctrl-C, requests under way get this long to finish. */
  shutdownMs: number;
}

export const DEFAULT_TIMEOUTS: TimeoutConfig = {
  subgraphFetchMs: 5000,
  requestMs: 15_000,
  headersMs: 10_000,
  bodyMs: 5000,
  sendMs: 10_000,
  // Longer than common load balancers' 60 s idle timeout, so the balancer
  // closes an idle connection first and never sends on one being closed.
  keepAliveMs: 65_000,
  shutdownMs: 10_000,
};

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
  /**
   * The subgraphs' shared 256-bit key (XChaCha20-Poly1305) that seals join handles and list cursors
   * (created on first use). Subgraph hosts need it; the gateway never does.
   */
  joinKeyFile: string;
  /** The gateway's Ed25519 key pair for internal context tokens (created on first use). */
  gatewayPrivateKeyFile: string;
  gatewayPublicKeyFile: string;
  /**
   * Department audit keys (see `DepartmentKeyFolders`): each department host's
   * Ed25519 private key that signs its ACCESS records, and every department's
   * public key, with which the gateway and `audit:verify` check them. Each
   * folder holds `<department>.jwk.json`; `npm start` makes both on first use.
   */
  departmentKeys: { signingDir: string; verifyDir: string };
  /**
   * The departments whose credentials may carry the office roles (REVIEWER,
   * ADMIN); such a role claimed for any other department is refused.
   */
  officeDepartments: readonly string[];
}

/** Everything the platform's processes are configured with, typed and checked. */
export interface PlatformConfig {
  auth: AuthConfig;
  database: DatabaseConfig;
  /**
   * A department's own database when its subgraph is served alone (`govdata
   * serve`); null: beside the platform's, as `npm start` keeps it.
   */
  departmentDatabase: DatabaseConfig | null;
  /**
   * What a department's own host (`govdata serve --department`), the platform
   * subgraph run alone (`govdata serve --platform`) and a gateway of its own
   * (`npm run gateway`) accept of their platform database credential on
   * MySQL: `least`, no right beyond their role's (`HOST_RIGHTS`,
   * `PLATFORM_SUBGRAPH_RIGHTS`, `GATEWAY_RIGHTS`), else they refuse to start;
   * `any`, they start and log the wider right. Default `least` with
   * `NODE_ENV=production`, else `any`.
   */
  platformDbRights: 'least' | 'any';
  /** The URL the gateway reaches a subgraph served alone at (a load balancer's); null: its own address. */
  subgraphUrl: string | null;
  /** The URL the gateway reaches the cross-level subgraph of `govdata serve --platform` at; null: its own address. */
  crossLevelSubgraphUrl: string | null;
  /** HTTP, subgraph fetch, request and shutdown timeouts. */
  timeouts: TimeoutConfig;
  /** What runs the gateway's query plans (`GATEWAY_EXECUTOR`): ours, or Apollo Gateway's own. */
  gatewayExecutor: 'govdata' | 'apollo';
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
  /** Minutes between scheduled quality inspections of every published dataset; 0: none scheduled. */
  qualityInspectionMinutes: number;
  /** Base URI of catalogue identifiers in the DCAT-AP export. */
  catalogueBaseUri: string;
  logLevel: LogLevel;
  /** Log format, Prometheus metrics and OpenTelemetry trace export. */
  observability: ObservabilityConfig;
  /** Signed checkpoints of the audit chains, kept outside the database (tamper evidence). */
  auditCheckpoints: AuditCheckpointConfig;
  /**
   * Longest a gateway's audit commit waits for other requests under way to
   * record too and share it (ms; 0: commits at once). A lone request never waits.
   */
  auditGroupWaitMs: number;
  /** Operation limits, per-consumer rates, the response cap and trusted documents. */
  limits: LimitsConfig;
  /** The platform's IANA time zone: quota days and civil dates are its days. */
  timeZone: string;
  /** Verifications of one record a consumer department may make per day (a grant may set fewer). */
  verifyLimitPerRecord: number;
  /** Lookups and verifications by keys the caller cannot read that may find nothing, per day and dataset. */
  probeLimitPerDay: number;
  /** How people sign in to the web console with the organisation's OpenID provider; null: not offered. */
  consoleOidc: ConsoleOidcConfig | null;
  /**
   * The development sign-in (GraphiQL's development token, the console's
   * development form) as `DEV_SIGN_IN` says; null when it says nothing, for
   * each program to decide (`npm start` on, a gateway of its own off). Never
   * with `NODE_ENV=production`, nor without the development secret.
   */
  devSignIn: boolean | null;
  /** How each process keeps its sharing rules current (see `PolicyStore`). */
  policyReload: PolicyReloadConfig;
}

/** How often a process reads the grants' change log, and everything. */
export interface PolicyReloadConfig {
  /** A grant or sharing decision changed anywhere is in force here within this (ms). */
  intervalMs: number;
  /** Everything is read again this often, whatever the change log says (ms). */
  fullReloadMs: number;
}

/**
 * The web console's OpenID Connect client (authorization code with PKCE). The
 * access token the provider issues for `resource` is what the console sends to
 * the gateway, so it must verify under `auth` (issuer, audience, JWKS) and
 * carry the `dept` and `roles` claims.
 */
export interface ConsoleOidcConfig {
  issuer: URL;
  clientId: string;
  /** Null for a public client (PKCE alone). */
  clientSecret: string | null;
  /** The console's callback as registered with the provider: https://host/console/auth/callback. */
  redirectUri: URL;
  scope: string;
  /** The resource indicator (RFC 8707) asked for, so the access token's audience is the gateway's. */
  resource: string | null;
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
/** A duration setting: whole milliseconds, from 1 ms to one hour. */
const milliseconds = (fallback: number) =>
  z.coerce.number().int().min(1).max(3_600_000).default(fallback);

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || /^(mysql|mariadb):\/\/[^/]+\/\w+/.test(v), {
      error: 'expected mysql://user:password@host:port/database (or unset for embedded SQLite)',
    }),
  DEPARTMENT_DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => !v || /^(mysql|mariadb):\/\/[^/]+\/\w+/.test(v) || /^sqlite:.+/.test(v), {
      error: 'expected mysql://user:password@host:port/database or sqlite:path/to/file.sqlite',
    }),
  SUBGRAPH_URL: z.url().optional(),
  CROSSLEVEL_SUBGRAPH_URL: z.url().optional(),
  DATA_DIR: z.string().default('data'),
  DEPARTMENTS_DIR: z.string().min(1).optional(),
  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(4000),
  SUBGRAPH_PORT_BASE: port.default(4001),
  SEED_SCALE: z.coerce.number().int().min(1).max(10_000_000).default(5000),
  MAX_PAGE_SIZE: z.coerce.number().int().min(1).max(10_000).default(100),
  APPLICATION_REPLY_DAYS: z.coerce.number().int().min(1).max(60).default(5),
  QUALITY_INSPECTION_MINUTES: z.coerce.number().int().min(0).max(525_600).default(1440),
  CATALOGUE_BASE_URI: z.url().default('http://data.gov.example/catalogue'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty', 'auto']).default('auto'),
  NODE_ENV: z.string().optional(),
  METRICS: z.enum(['on', 'off']).default('on'),
  DEV_SIGN_IN: z.enum(['on', 'off']).optional(),
  METRICS_TOKEN: z
    .string()
    .regex(
      /^[\x21-\x7e]{32,512}$/,
      'use 32 to 512 printable characters, no spaces (e.g. openssl rand -hex 32)',
    )
    .optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  OTEL_SERVICE_NAME: z.string().min(1).max(200).default('govdata'),
  STORAGE_TIMEOUT_MS: milliseconds(DEFAULT_DATABASE_LIMITS.lockTimeoutMs),
  DB_ACQUIRE_TIMEOUT_MS: milliseconds(DEFAULT_DATABASE_LIMITS.acquireTimeoutMs),
  DB_POOL_MIN: z.coerce.number().int().min(0).max(1000).default(DEFAULT_DATABASE_LIMITS.poolMin),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(DEFAULT_DATABASE_LIMITS.poolMax),
  DEPARTMENT_DB_USERS: z.enum(['managed', 'given']).default('managed'),
  DEPARTMENT_DB_SECRETS_DIR: z.string().min(1).optional(),
  DEPARTMENT_DB_HOST: z.string().min(1).max(255).default('%'),
  PLATFORM_DB_RIGHTS: z.enum(['least', 'any']).optional(),
  SUBGRAPH_TIMEOUT_MS: milliseconds(DEFAULT_TIMEOUTS.subgraphFetchMs),
  GATEWAY_EXECUTOR: z.enum(['govdata', 'apollo']).default('govdata'),
  REQUEST_TIMEOUT_MS: milliseconds(DEFAULT_TIMEOUTS.requestMs),
  HTTP_HEADERS_TIMEOUT_MS: milliseconds(DEFAULT_TIMEOUTS.headersMs),
  HTTP_BODY_TIMEOUT_MS: milliseconds(DEFAULT_TIMEOUTS.bodyMs),
  HTTP_SEND_TIMEOUT_MS: milliseconds(DEFAULT_TIMEOUTS.sendMs),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: milliseconds(DEFAULT_TIMEOUTS.keepAliveMs),
  SHUTDOWN_TIMEOUT_MS: milliseconds(DEFAULT_TIMEOUTS.shutdownMs),
  JWT_ISSUER: z.string().min(1).default('govdata-dev'),
  JWT_AUDIENCE: z.string().min(1).default('govdata'),
  JWT_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  JWT_JWKS_FILE: z.string().min(1).optional(),
  JWT_JWKS_URL: z.url().optional(),
  CONSOLE_OIDC_ISSUER: z.url().optional(),
  CONSOLE_OIDC_CLIENT_ID: z.string().min(1).default('govdata-console'),
  CONSOLE_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  CONSOLE_OIDC_REDIRECT_URI: z.url().optional(),
  CONSOLE_OIDC_SCOPE: z.string().min(1).default('openid'),
  CONSOLE_OIDC_RESOURCE: z.string().min(1).optional(),
  GATEWAY_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  JOIN_KEY_FILE: z.string().min(1).optional(),
  TIME_ZONE: z
    .string()
    .default(DEFAULT_TIME_ZONE)
    .refine(isTimeZone, { error: 'expected an IANA time zone such as Asia/Shanghai' }),
  OFFICE_DEPARTMENTS: z
    .string()
    .optional()
    .transform((text) =>
      text === undefined
        ? [...DEFAULT_OFFICE_DEPARTMENTS]
        : text
            .split(',')
            .map((code) => code.trim())
            .filter((code) => code !== ''),
    )
    .refine((codes) => codes.length > 0 && codes.every((code) => DEPARTMENT_CODE.test(code)), {
      error:
        'expected department codes separated by commas (lower-case letters, digits and _, starting with a letter)',
    }),
  VERIFY_LIMIT_PER_RECORD: z.coerce.number().int().min(1).max(1000).default(5),
  PROBE_LIMIT_PER_DAY: z.coerce.number().int().min(1).max(10_000_000).default(1000),
  GATEWAY_PUBLIC_KEY_FILE: z.string().min(1).optional(),
  DEPARTMENT_SIGNING_KEYS_DIR: z.string().min(1).optional(),
  DEPARTMENT_VERIFY_KEYS_DIR: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  AUDIT_CHECKPOINT_RECORDS: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  AUDIT_GROUP_WAIT_MS: z.coerce.number().int().min(0).max(100).default(2),
  LIMITS_ANONYMOUS: limitText(parseLimitList),
  LIMITS_AUTHENTICATED: limitText(parseLimitList),
  LIMITS_ROLES: limitText((text) => parseKeyedLimits(text, roleProblem)),
  LIMITS_APPLICATIONS: limitText((text) => parseKeyedLimits(text, applicationProblem)),
  RESPONSE_MAX_BYTES: z.coerce.number().int().min(1000).max(1_000_000_000).default(8_000_000),
  TRUSTED_DOCUMENTS_FILE: z.string().min(1).optional(),
  SUBGRAPH_MAX_DEPTH: z.coerce.number().int().min(2).max(1000).default(16),
  SUBGRAPH_MAX_ALIASES: z.coerce.number().int().min(1).max(100_000).default(100),
  ADMISSION_IN_FLIGHT: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(DEFAULT_ADMISSION.inFlight),
  ADMISSION_COST_IN_FLIGHT: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000_000)
    .default(DEFAULT_ADMISSION.costInFlight),
  ADMISSION_QUEUED: z.coerce.number().int().min(0).max(1_000_000).default(DEFAULT_ADMISSION.queued),
  ADMISSION_QUEUE_WAIT_MS: milliseconds(DEFAULT_ADMISSION.queueWaitMs),
  POLICY_RELOAD_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  POLICY_FULL_RELOAD_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
});

/** An optional variable in one of the limit syntaxes, checked by `parse`. */
function limitText<T>(parse: (text: string) => T) {
  return z
    .string()
    .optional()
    .superRefine((text, ctx) => {
      if (text === undefined) return;
      try {
        parse(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    });
}

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
  if (e.DB_POOL_MIN > e.DB_POOL_MAX) {
    throw new ConfigError(
      'Invalid configuration:\n  DB_POOL_MIN: must not be larger than DB_POOL_MAX',
    );
  }
  const databaseLimits: DatabaseLimits = {
    lockTimeoutMs: e.STORAGE_TIMEOUT_MS,
    acquireTimeoutMs: e.DB_ACQUIRE_TIMEOUT_MS,
    poolMin: e.DB_POOL_MIN,
    poolMax: e.DB_POOL_MAX,
  };
  if (e.CONSOLE_OIDC_ISSUER && !e.CONSOLE_OIDC_REDIRECT_URI) {
    throw new ConfigError(
      'Invalid configuration:\n  CONSOLE_OIDC_REDIRECT_URI: required with CONSOLE_OIDC_ISSUER ' +
        '(the console callback registered with the provider, e.g. https://data.example.gov/console/auth/callback)',
    );
  }
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
      joinKeyFile: resolve(e.JOIN_KEY_FILE ?? resolve(keysDir, 'join-handles.key')),
      gatewayPrivateKeyFile: resolve(
        e.GATEWAY_PRIVATE_KEY_FILE ?? resolve(keysDir, 'gateway-signing.jwk.json'),
      ),
      gatewayPublicKeyFile: resolve(
        e.GATEWAY_PUBLIC_KEY_FILE ?? resolve(keysDir, 'gateway-verify.jwk.json'),
      ),
      officeDepartments: e.OFFICE_DEPARTMENTS,
      departmentKeys: {
        signingDir: resolve(
          e.DEPARTMENT_SIGNING_KEYS_DIR ?? resolve(keysDir, 'department-signing'),
        ),
        verifyDir: resolve(e.DEPARTMENT_VERIFY_KEYS_DIR ?? resolve(keysDir, 'department-verify')),
      },
    },
    database: e.DATABASE_URL
      ? {
          kind: 'mysql',
          url: new URL(e.DATABASE_URL),
          limits: databaseLimits,
          departmentUsers: {
            mode: e.DEPARTMENT_DB_USERS,
            secretsDir: resolve(e.DEPARTMENT_DB_SECRETS_DIR ?? keysDir),
            host: e.DEPARTMENT_DB_HOST,
          },
        }
      : { kind: 'sqlite', dir: dataDir, limits: databaseLimits },
    departmentDatabase: e.DEPARTMENT_DATABASE_URL
      ? ownDatabase(e.DEPARTMENT_DATABASE_URL, databaseLimits)
      : null,
    platformDbRights: e.PLATFORM_DB_RIGHTS ?? (e.NODE_ENV === 'production' ? 'least' : 'any'),
    subgraphUrl: e.SUBGRAPH_URL ?? null,
    crossLevelSubgraphUrl: e.CROSSLEVEL_SUBGRAPH_URL ?? null,
    departmentsDir: e.DEPARTMENTS_DIR ? resolve(e.DEPARTMENTS_DIR) : null,
    host: e.HOST,
    gatewayPort: e.PORT,
    subgraphPortBase: e.SUBGRAPH_PORT_BASE,
    seedScale: e.SEED_SCALE,
    maxPageSize: e.MAX_PAGE_SIZE,
    applicationReplyWorkingDays: e.APPLICATION_REPLY_DAYS,
    qualityInspectionMinutes: e.QUALITY_INSPECTION_MINUTES,
    catalogueBaseUri: e.CATALOGUE_BASE_URI,
    logLevel: e.LOG_LEVEL,
    observability: {
      logFormat: e.LOG_FORMAT,
      production: e.NODE_ENV === 'production',
      metrics: e.METRICS === 'on',
      metricsToken: e.METRICS_TOKEN ?? null,
      tracing: e.OTEL_EXPORTER_OTLP_ENDPOINT
        ? {
            endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
            sampleRatio: e.OTEL_TRACES_SAMPLER_ARG,
            serviceName: e.OTEL_SERVICE_NAME,
          }
        : null,
    },
    gatewayExecutor: e.GATEWAY_EXECUTOR,
    timeouts: {
      subgraphFetchMs: e.SUBGRAPH_TIMEOUT_MS,
      requestMs: e.REQUEST_TIMEOUT_MS,
      headersMs: e.HTTP_HEADERS_TIMEOUT_MS,
      bodyMs: e.HTTP_BODY_TIMEOUT_MS,
      sendMs: e.HTTP_SEND_TIMEOUT_MS,
      keepAliveMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      shutdownMs: e.SHUTDOWN_TIMEOUT_MS,
    },
    auditCheckpoints: {
      file: resolve(e.AUDIT_CHECKPOINT_FILE ?? resolve(dataDir, 'audit-checkpoints.jsonl')),
      intervalMs: e.AUDIT_CHECKPOINT_INTERVAL_MS,
      everyRecords: e.AUDIT_CHECKPOINT_RECORDS,
    },
    auditGroupWaitMs: e.AUDIT_GROUP_WAIT_MS,
    limits: {
      anonymous: { ...DEFAULT_LIMITS.anonymous, ...parseLimitList(e.LIMITS_ANONYMOUS ?? '') },
      authenticated: {
        ...DEFAULT_LIMITS.authenticated,
        ...parseLimitList(e.LIMITS_AUTHENTICATED ?? ''),
      },
      roles: parseKeyedLimits(e.LIMITS_ROLES ?? '', roleProblem),
      applications: parseKeyedLimits(e.LIMITS_APPLICATIONS ?? '', applicationProblem),
      responseMaxBytes: e.RESPONSE_MAX_BYTES,
      trustedDocumentsFile: e.TRUSTED_DOCUMENTS_FILE ? resolve(e.TRUSTED_DOCUMENTS_FILE) : null,
      subgraph: { depth: e.SUBGRAPH_MAX_DEPTH, aliases: e.SUBGRAPH_MAX_ALIASES },
      admission: {
        inFlight: e.ADMISSION_IN_FLIGHT,
        costInFlight: e.ADMISSION_COST_IN_FLIGHT,
        queued: e.ADMISSION_QUEUED,
        queueWaitMs: e.ADMISSION_QUEUE_WAIT_MS,
      },
    },
    timeZone: e.TIME_ZONE,
    verifyLimitPerRecord: e.VERIFY_LIMIT_PER_RECORD,
    probeLimitPerDay: e.PROBE_LIMIT_PER_DAY,
    devSignIn:
      e.NODE_ENV === 'production'
        ? false
        : e.DEV_SIGN_IN === undefined
          ? null
          : e.DEV_SIGN_IN === 'on',
    consoleOidc: e.CONSOLE_OIDC_ISSUER
      ? {
          issuer: new URL(e.CONSOLE_OIDC_ISSUER),
          clientId: e.CONSOLE_OIDC_CLIENT_ID,
          clientSecret: e.CONSOLE_OIDC_CLIENT_SECRET ?? null,
          redirectUri: new URL(e.CONSOLE_OIDC_REDIRECT_URI!),
          scope: e.CONSOLE_OIDC_SCOPE,
          resource: e.CONSOLE_OIDC_RESOURCE ?? null,
        }
      : null,
    policyReload: {
      intervalMs: e.POLICY_RELOAD_MS,
      fullReloadMs: e.POLICY_FULL_RELOAD_SECONDS * 1000,
    },
  };
}

/** The one database `DEPARTMENT_DATABASE_URL` names: a MySQL database, or a SQLite file. */
function ownDatabase(url: string, limits: DatabaseLimits): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const file = resolve(url.slice('sqlite:'.length));
    return { kind: 'sqlite', dir: dirname(file), only: file, limits };
  }
  const parsed = new URL(url);
  return { kind: 'mysql', url: parsed, only: parsed.pathname.replace(/^\//, ''), limits };
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
