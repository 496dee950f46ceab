export {
  ConfigError,
  DEFAULT_DATABASE_LIMITS,
  DEFAULT_TIMEOUTS,
  loadConfig,
  loadTestSettings,
  LOG_LEVELS,
} from './loadConfig.ts';
export type {
  AuditCheckpointConfig,
  AuthConfig,
  ConsoleOidcConfig,
  DatabaseConfig,
  DepartmentUsersConfig,
  DatabaseLimits,
  LogLevel,
  PlatformConfig,
  PolicyReloadConfig,
  TestSettings,
  TimeoutConfig,
  TokenVerification,
} from './loadConfig.ts';
export { DEFAULT_ADMISSION, DEFAULT_LIMITS, LIMIT_NAMES } from './limitsConfig.ts';
export type {
  AdmissionBounds,
  CallerLimits,
  InFlightLimits,
  LimitsConfig,
  OperationLimits,
  RateLimits,
} from './limitsConfig.ts';
export { DEFAULT_OBSERVABILITY } from './observabilityConfig.ts';
export type { ObservabilityConfig, TracingConfig } from './observabilityConfig.ts';
