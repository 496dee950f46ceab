export { ConfigError, loadConfig, loadTestSettings } from './loadConfig.ts';
export type { DatabaseConfig, PlatformConfig, TestSettings } from './loadConfig.ts';
