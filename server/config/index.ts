export { ConfigError, loadConfig, loadTestSettings } from './loadConfig.ts';
export type {
  AuthConfig,
  DatabaseConfig,
  PlatformConfig,
  TestSettings,
  TokenVerification,
} from './loadConfig.ts';
