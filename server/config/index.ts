export {
  ConfigError,
  DEFAULT_DATABASE_LIMITS,
  DEFAULT_TIMEOUTS,
  loadConfig,
  loadTestSettings,
} from './loadConfig.ts';
export type {
  AuditCheckpointConfig,
  AuthConfig,
  DatabaseConfig,
  DepartmentUsersConfig,
  DatabaseLimits,
  PlatformConfig,
  TestSettings,
  TimeoutConfig,
  TokenVerification,
} from './loadConfig.ts';
