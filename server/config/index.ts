export {
  ConfigError,
  DEFAULT_DATABASE_LIMITS,
  DEFAULT_TIMEOUTS,
  loadConfig,
  loadTestSettings,
} from './loadConfig.ts';
export { LOG_LEVELS } from './logLevels.ts';
export type { LogLevel } from './logLevels.ts';
export type {
  AuditCheckpointConfig,
  AuthConfig,
  ConsoleOidcConfig,
  DatabaseConfig,
  DepartmentUsersConfig,
  DatabaseLimits,
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
