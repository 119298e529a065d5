export { loadConfig, loadProcessConfig, isInteractive, ConfigError, envSchema } from './config';
export type { DondocConfig } from './config';
