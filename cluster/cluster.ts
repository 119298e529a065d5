/**
 * `dondoc cluster`: a production-shaped Temporal (the real server, on PostgreSQL) on this machine, in one folder,
 * for deployments, the multi-host tests and the benchmark. The CLI, the tests and the benchmark all use
 * {@link startCluster} and {@link stopCluster}.
 *
 * The folder (mode 755; PostgreSQL's user must be able to reach it):
 *   cluster.json         shards, namespace, every port (no secrets)
 *   secrets.json         generated passwords (mode 600)
 *   dondoc.env           TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, DONDOC_DATABASE_URL for dondoc's processes (mode 600)
 *   postgres/data        PostgreSQL's data; postgres/postgresql.log
 *   temporal/config      the server's configuration (mode 600: it holds the database password) and dynamic config
 *   temporal/temporal.log, temporal/schema.log, temporal/temporal.pid
 *
 * `up` is idempotent: on an existing folder it starts what is stopped, keeps the data, and changes nothing that
 * is running. Databases: `temporal` and `temporal_visibility` (role `temporal`), `dondoc` (role `dondoc`, for
 * dondoc's own records); the superuser `postgres` has a password of its own.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { redactDatabaseUrl } from '../storage/postgres';
import { ensureTemporalBinaries, TEMPORAL_SERVER_VERSION } from './binaries';
import { ClusterError } from './errors';
import { findFreePort, isPortFree } from './ports';
import {
  assertPostgresCanReach,
  configuredPort,
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
import { processAlive, readPidFile, sleep, withHeartbeat, type Progress } from './process';
import {
  ensureNamespace,
  runningServerPid,
  setupSchema,
  spawnServer,
  stopServer,
  temporalFolder,
  TEMPORAL_PORT_NAMES,
  waitForServer,
  writeServerConfig,
  type TemporalPorts,
} from './temporal-server';

export const DEFAULT_SHARDS = 16;
export const DEFAULT_FRONTEND_PORT = 7233;
/** PostgreSQL's ports are looked for from here: 5432 stays free for a system PostgreSQL. */
export const FIRST_POSTGRES_PORT = 5433;

interface ClusterState {
  version: 1;
  createdAt: string;
  temporalServerVersion: string;
  shards: number;
  namespace: string;
  ports: TemporalPorts & { postgres: number };
}

interface ClusterSecrets {
  postgres: string;
  temporal: string;
  dondoc: string;
}

export interface StartClusterOptions {
  /** The cluster's folder; created when missing. */
  dir: string;
  /** History shards (fixed when the cluster is created; default 16). */
  shards?: number;
  /** Ports to use when creating the cluster: Temporal's frontend (default: first free from 7233), PostgreSQL (first free from 5433). */
  ports?: { frontend?: number; postgres?: number };
  /** Default 'default'. */
  namespace?: string;
  onProgress?: Progress;
}

export interface ClusterLogs {
  temporal: string;
  schema: string;
  postgres: string;
}

export interface RunningCluster {
  dir: string;
  /** host:port of Temporal's frontend (gRPC). */
  temporalAddress: string;
  namespace: string;
  /** postgres:// URL of the `dondoc` database, with its password: a secret. */
  databaseUrl: string;
  postgresAddress: string;
  shards: number;
  logs: ClusterLogs;
  /** TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and DONDOC_DATABASE_URL, for `set -a; . file`. */
  envFile: string;
  /** What this call did: 'created' a new cluster, 'started' what was stopped, or found it 'running'. */
  outcome: 'created' | 'started' | 'running';
  /** Stops the Temporal server and PostgreSQL (the data stays). */
  stop(): Promise<void>;
}

function files(dir: string) {
  return {
    state: path.join(dir, 'cluster.json'),
    secrets: path.join(dir, 'secrets.json'),
    env: path.join(dir, 'dondoc.env'),
    lock: path.join(dir, '.lock'),
    pg: postgresFolder(path.join(dir, 'postgres')),
    temporal: temporalFolder(path.join(dir, 'temporal')),
  };
}

function readJson<T>(file: string): T | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (err) {
    throw new ClusterError(`Tệp ${file} hỏng (${(err as Error).message}).`, { step: 'state', badInput: true });
  }
}

function writeJson(file: string, value: unknown, mode = 0o644): void {
  const temp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, { mode });
  fs.renameSync(temp, file);
}

const newPassword = (): string => randomBytes(24).toString('base64url');

/** One `up` or `down` at a time per folder. A lock left by a process that died is taken over. */
async function withLock<T>(lockFile: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readPidFile(lockFile);
      if (holder !== undefined && holder !== process.pid && processAlive(holder)) {
        if (attempt < 20) {
          await sleep(500);
          continue;
        }
        throw new ClusterError(
          `Một lệnh "dondoc cluster" khác (pid ${holder}) đang làm việc trên ${path.dirname(lockFile)}.`,
          {
            step: 'lock',
            badInput: true,
          },
        );
      }
      fs.rmSync(lockFile, { force: true });
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

function validateShards(shards: number | undefined): void {
  if (shards !== undefined && !(Number.isInteger(shards) && shards >= 1 && shards <= 16384))
    throw new ClusterError(`--shards phải là số nguyên từ 1 đến 16384 (nhận: ${shards}).`, {
      step: 'options',
      badInput: true,
    });
}

async function requireFree(port: number, what: string): Promise<void> {
  if (!(await isPortFree(port)))
    throw new ClusterError(
      `Cổng ${port} (${what}) đang được chương trình khác dùng (port in use). Giải phóng cổng đó hoặc chọn cổng khác.`,
      {
        step: 'ports',
        badInput: true,
      },
    );
}

/** Ports for a new cluster: the ones asked for (which must be free), the others the first free from conventional bases. */
async function allocatePorts(asked: StartClusterOptions['ports']): Promise<ClusterState['ports']> {
  if (asked?.frontend !== undefined) await requireFree(asked.frontend, 'Temporal frontend');
  if (asked?.postgres !== undefined) await requireFree(asked.postgres, 'PostgreSQL');
  const taken = new Set<number>();
  const frontend = asked?.frontend ?? (await findFreePort(DEFAULT_FRONTEND_PORT));
  taken.add(frontend);
  const postgres = asked?.postgres ?? (await findFreePort(FIRST_POSTGRES_PORT, taken));
  taken.add(postgres);
  const ports: Partial<TemporalPorts> = { frontend };
  for (const name of TEMPORAL_PORT_NAMES) {
    if (name === 'frontend') continue;
    const port = await findFreePort(frontend + 1, taken);
    taken.add(port);
    ports[name] = port;
  }
  return { ...(ports as TemporalPorts), postgres };
}

/**
 * Before starting a stopped server: its frontend port must be free (workers are configured with it); an internal
 * port someone else took meanwhile is replaced.
 */
async function refreshInternalPorts(state: ClusterState): Promise<boolean> {
  await requireFree(state.ports.frontend, 'Temporal frontend');
  const taken = new Set<number>(Object.values(state.ports));
  let changed = false;
  for (const name of TEMPORAL_PORT_NAMES) {
    if (name === 'frontend' || (await isPortFree(state.ports[name]))) continue;
    const port = await findFreePort(state.ports.frontend + 1, taken);
    taken.add(port);
    state.ports[name] = port;
    changed = true;
  }
  return changed;
}

function envFileText(dir: string, temporalAddress: string, namespace: string, databaseUrl: string): string {
  return [
    `# dondoc cluster in ${dir}, written by "dondoc cluster up". It holds the database password: keep it private.`,
    '# Load it with: set -a; . THIS-FILE; set +a',
    `TEMPORAL_ADDRESS=${temporalAddress}`,
    `TEMPORAL_NAMESPACE=${namespace}`,
    `DONDOC_DATABASE_URL=${databaseUrl}`,
    '',
  ].join('\n');
}

function describe(dir: string, state: ClusterState, secrets: ClusterSecrets) {
  const f = files(dir);
  return {
    temporalAddress: `127.0.0.1:${state.ports.frontend}`,
    postgresAddress: `127.0.0.1:${state.ports.postgres}`,
    databaseUrl: postgresUrl({
      user: 'dondoc',
      password: secrets.dondoc,
      port: state.ports.postgres,
      database: 'dondoc',
    }),
    logs: { temporal: f.temporal.logFile, schema: f.temporal.schemaLogFile, postgres: f.pg.logFile },
    envFile: f.env,
  };
}

/**
 * Brings the cluster in `dir` up: creates it on first use (PostgreSQL, roles, databases, schema, server config,
 * namespace, search attributes), otherwise starts what is stopped. Returns where everything is.
 */
export async function startCluster(options: StartClusterOptions): Promise<RunningCluster> {
  const progress: Progress = options.onProgress ?? (() => undefined);
  const dir = path.resolve(options.dir);
  const f = files(dir);
  validateShards(options.shards);

  const state = readJson<ClusterState>(f.state);
  if (state === undefined && fs.existsSync(dir) && fs.readdirSync(dir).length > 0)
    throw new ClusterError(
      `${dir} không trống và không phải thư mục cụm dondoc (no cluster.json): chọn thư mục khác.`,
      {
        step: 'options',
        badInput: true,
      },
    );
  if (state !== undefined) {
    if (options.shards !== undefined && options.shards !== state.shards)
      throw new ClusterError(
        `Cụm ở ${dir} được tạo với ${state.shards} shard; số shard không đổi được sau khi tạo (Temporal fixes it). ` +
          'Bỏ --shards, hoặc tạo cụm mới ở thư mục khác.',
        { step: 'options', badInput: true },
      );
    if (options.ports?.frontend !== undefined && options.ports.frontend !== state.ports.frontend)
      throw new ClusterError(`Cụm ở ${dir} dùng cổng ${state.ports.frontend}; bỏ --port hoặc dùng đúng cổng đó.`, {
        step: 'options',
        badInput: true,
      });
  }
  const namespace = state?.namespace ?? options.namespace ?? 'default';
  if (state !== undefined && options.namespace !== undefined && options.namespace !== state.namespace)
    throw new ClusterError(`Cụm ở ${dir} dùng namespace "${state.namespace}".`, { step: 'options', badInput: true });

  // Everything below may take minutes the first time: tools first, then ports (checked as late as possible).
  const binaries = await ensureTemporalBinaries(progress);
  const pgBin = await ensurePostgresInstalled(progress);

  // A new cluster's ports are chosen (and a port asked for is checked) before anything is written.
  const fresh: ClusterState | undefined =
    state === undefined
      ? {
          version: 1,
          createdAt: new Date().toISOString(),
          temporalServerVersion: TEMPORAL_SERVER_VERSION,
          shards: options.shards ?? DEFAULT_SHARDS,
          namespace,
          ports: await allocatePorts(options.ports),
        }
      : undefined;
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.chmodSync(dir, 0o755);
    await assertPostgresCanReach(dir).catch((err: unknown) => {
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    });
  }

  return withLock(f.lock, async () => {
    // Another `up` may have created the cluster while this one waited for the lock.
    let current = readJson<ClusterState>(f.state);
    if (current === undefined) {
      if (fresh === undefined) throw new ClusterError(`${f.state} biến mất khi đang chạy.`, { step: 'state' });
      current = fresh;
      writeJson(f.state, current);
    }
    let secrets = readJson<ClusterSecrets>(f.secrets);
    if (secrets === undefined) {
      secrets = { postgres: newPassword(), temporal: newPassword(), dondoc: newPassword() };
      writeJson(f.secrets, secrets, 0o600);
    }
    let outcome: RunningCluster['outcome'] = postgresInitialised(f.pg) ? 'running' : 'created';

    // PostgreSQL.
    await preparePostgresFolder(f.pg);
    if (!postgresInitialised(f.pg)) {
      progress(`PostgreSQL: tạo cụm dữ liệu trong ${f.pg.dataDir}`);
      await withHeartbeat(
        'initdb',
        progress,
        initPostgres(f.pg, { binDir: pgBin, port: current.ports.postgres, superuserPassword: secrets.postgres }),
      );
    }
    const pgPort = configuredPort(f.pg);
    if (pgPort !== current.ports.postgres)
      throw new ClusterError(
        `postgresql.conf dùng cổng ${pgPort}, cluster.json ghi ${current.ports.postgres}: sửa một trong hai cho khớp.`,
        {
          step: 'postgres',
          badInput: true,
        },
      );
    if (!(await postgresRunning(f.pg, pgBin))) {
      await requireFree(current.ports.postgres, 'PostgreSQL');
      progress(`PostgreSQL: khởi động trên 127.0.0.1:${current.ports.postgres}`);
      await withHeartbeat('PostgreSQL', progress, startPostgres(f.pg, pgBin));
      if (outcome === 'running') outcome = 'started';
    }
    await ensureRolesAndDatabases(
      { port: current.ports.postgres, password: secrets.postgres, logFile: f.pg.logFile },
      [
        { name: 'temporal', password: secrets.temporal },
        { name: 'dondoc', password: secrets.dondoc },
      ],
      [
        { name: 'temporal', owner: 'temporal' },
        { name: 'temporal_visibility', owner: 'temporal' },
        { name: 'dondoc', owner: 'dondoc' },
      ],
    );

    // Temporal.
    const db = { port: current.ports.postgres, user: 'temporal', password: secrets.temporal };
    const address = `127.0.0.1:${current.ports.frontend}`;
    if (runningServerPid(f.temporal) === undefined) {
      fs.mkdirSync(f.temporal.configDir, { recursive: true });
      progress('Temporal: lược đồ temporal và temporal_visibility (sql setup-schema, update-schema)');
      await withHeartbeat('schema', progress, setupSchema(binaries.sql, f.temporal, db));
      if (await refreshInternalPorts(current)) writeJson(f.state, current);
      writeServerConfig(f.temporal, { shards: current.shards, ports: current.ports, db });
      progress(`Temporal: khởi động máy chủ v${TEMPORAL_SERVER_VERSION} (${current.shards} shard) trên ${address}`);
      const pid = spawnServer(binaries.server, f.temporal);
      await withHeartbeat('Temporal', progress, waitForServer(address, pid, f.temporal));
      if (outcome === 'running') outcome = 'started';
    }
    const registered = await ensureNamespace(address, namespace, progress).catch((err: Error) => {
      if (err instanceof ClusterError) throw err;
      throw new ClusterError(
        `Temporal ${address}: không đăng ký được namespace "${namespace}" hoặc thuộc tính tìm kiếm (${err.message}).`,
        {
          step: 'namespace',
          logFile: f.temporal.logFile,
          cause: err,
        },
      );
    });
    if (registered) {
      // Each Temporal service caches namespaces and refreshes every 2 s (system.namespaceCacheRefreshInterval);
      // wait for them all so the first workflow can use the new search attributes.
      await sleep(5_000);
    }

    const where = describe(dir, current, secrets);
    fs.writeFileSync(f.env, envFileText(dir, where.temporalAddress, namespace, where.databaseUrl), { mode: 0o600 });
    fs.chmodSync(f.env, 0o600);
    return {
      dir,
      namespace,
      shards: current.shards,
      ...where,
      outcome,
      stop: async () => {
        await stopCluster(dir);
      },
    };
  });
}

export interface StoppedCluster {
  temporal: boolean;
  postgres: boolean;
}

/** Stops the Temporal server (SIGTERM, then SIGKILL after 30 s), then PostgreSQL ('fast' shutdown). Data stays. */
export async function stopCluster(dirOption: string, onProgress: Progress = () => undefined): Promise<StoppedCluster> {
  const dir = path.resolve(dirOption);
  const f = files(dir);
  if (readJson<ClusterState>(f.state) === undefined)
    throw new ClusterError(`Không có cụm dondoc trong ${dir} (no cluster.json).`, { step: 'down', badInput: true });
  return withLock(f.lock, async () => {
    const wasRunning = runningServerPid(f.temporal) !== undefined;
    if (wasRunning) onProgress('Temporal: dừng máy chủ');
    const temporalStopped = await stopServer(f.temporal);
    let postgresStopped = false;
    const pgBin = postgresInitialised(f.pg) ? await ensurePostgresInstalled(onProgress) : undefined;
    if (pgBin !== undefined && (await postgresRunning(f.pg, pgBin))) {
      onProgress('PostgreSQL: dừng');
      await stopPostgres(f.pg, pgBin);
      postgresStopped = true;
    }
    return { temporal: temporalStopped, postgres: postgresStopped };
  });
}

export interface ClusterStatus {
  dir: string;
  exists: boolean;
  shards?: number;
  namespace?: string;
  temporal?: { address: string; running: boolean; pid?: number };
  postgres?: { address: string; running: boolean };
  /** The `dondoc` database URL with its password hidden. */
  databaseUrl?: string;
  logs?: ClusterLogs;
  envFile?: string;
}

/** What runs and where, without starting or stopping anything. */
export async function clusterStatus(dirOption: string): Promise<ClusterStatus> {
  const dir = path.resolve(dirOption);
  const f = files(dir);
  const state = readJson<ClusterState>(f.state);
  const secrets = readJson<ClusterSecrets>(f.secrets);
  if (state === undefined || secrets === undefined) return { dir, exists: false };
  const where = describe(dir, state, secrets);
  const pid = runningServerPid(f.temporal);
  const pgBin = postgresInitialised(f.pg) ? await ensurePostgresInstalled(() => undefined) : undefined;
  return {
    dir,
    exists: true,
    shards: state.shards,
    namespace: state.namespace,
    temporal: { address: where.temporalAddress, running: pid !== undefined, pid },
    postgres: { address: where.postgresAddress, running: pgBin !== undefined && (await postgresRunning(f.pg, pgBin)) },
    databaseUrl: redactDatabaseUrl(where.databaseUrl),
    logs: where.logs,
    envFile: where.envFile,
  };
}
