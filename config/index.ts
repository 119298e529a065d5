export { loadConfig, loadProcessConfig, isInteractive, ConfigError, envSchema, checkLedgerForCluster } from './config';
export type { DondocConfig } from './config';
