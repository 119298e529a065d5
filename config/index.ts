export { loadConfig, ConfigError, envSchema } from './config';
export type { DondocConfig } from './config';
