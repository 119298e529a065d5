export {
  clusterStatus,
  DEFAULT_SHARDS,
  startCluster,
  stopCluster,
  type ClusterStatus,
  type RunningCluster,
  type StartClusterOptions,
  type StoppedCluster,
} from './cluster';
export { ClusterError } from './errors';
export {
  ensurePostgresInstalled,
  ensureRolesAndDatabases,
  initPostgres,
  postgresFolder,
  postgresInitialised,
  postgresRunning,
  postgresUrl,
  preparePostgresFolder,
  startPostgres,
  stopPostgres,
} from './postgres';
