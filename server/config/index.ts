export { ConfigError, loadConfig, loadTestSettings } from './loadConfig.ts';
export type {
  AuditCheckpointConfig,
  AuthConfig,
  DatabaseConfig,
  PlatformConfig,
  TestSettings,
  TokenVerification,
} from './loadConfig.ts';
