/**
 * The Temporal server process of a cluster: its configuration (written here, from the module's
 * development-postgres12.yaml with archival off and every port chosen), its schema (the `sql` tool), the process
 * in the background with a pid file, and the namespace and dondoc's search attributes.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import YAML from 'yaml';
import { SEARCH_ATTRIBUTE_TYPES } from '../workflows/definitions';
import { ClusterError } from './errors';
import { processAlive, processCommandLine, readPidFile, run, sleep, tailFile, type Progress } from './process';

/** Every port the server listens on (all on 127.0.0.1). */
export interface TemporalPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
  metrics: number;
}

export const TEMPORAL_PORT_NAMES: readonly (keyof TemporalPorts)[] = [
  'frontend',
  'frontendHttp',
  'frontendMembership',
  'history',
  'historyMembership',
  'matching',
  'matchingMembership',
  'worker',
  'workerMembership',
  'metrics',
];

export interface TemporalFolder {
  root: string;
  configDir: string;
  configFile: string;
  dynamicConfigFile: string;
  logFile: string;
  schemaLogFile: string;
  pidFile: string;
}

/** The `--env` name: the server reads `<root>/config/<env>.yaml`. */
const ENV_NAME = 'dondoc';

export function temporalFolder(root: string): TemporalFolder {
  const configDir = path.join(root, 'config');
  return {
    root,
    configDir,
    configFile: path.join(configDir, `${ENV_NAME}.yaml`),
    dynamicConfigFile: path.join(configDir, 'dynamicconfig.yaml'),
    logFile: path.join(root, 'temporal.log'),
    schemaLogFile: path.join(root, 'schema.log'),
    pidFile: path.join(root, 'temporal.pid'),
  };
}

export interface TemporalDatabase {
  port: number;
  user: string;
  password: string;
}

/** The server configuration (YAML). It holds the database password: written with mode 600. */
export function renderServerConfig(o: {
  shards: number;
  ports: TemporalPorts;
  db: TemporalDatabase;
  logLevel?: string;
}): string {
  const sql = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `127.0.0.1:${o.db.port}`,
      connectProtocol: 'tcp',
      user: o.db.user,
      password: o.db.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (grpcPort: number, membershipPort: number, extra: Record<string, number> = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra },
  });
  const config = {
    log: { stdout: true, level: o.logLevel ?? 'info', format: 'json' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      // Fixed when the database is first used: the server refuses another value afterwards.
      numHistoryShards: o.shards,
      datastores: { 'postgres-default': sql('temporal', 20), 'postgres-visibility': sql('temporal_visibility', 10) },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      pprof: { port: 0 },
      metrics: {
        prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${o.ports.metrics}` },
      },
    },
    services: {
      frontend: rpc(o.ports.frontend, o.ports.frontendMembership, { httpPort: o.ports.frontendHttp }),
      history: rpc(o.ports.history, o.ports.historyMembership),
      matching: rpc(o.ports.matching, o.ports.matchingMembership),
      worker: rpc(o.ports.worker, o.ports.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${o.ports.frontend}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    // With providers configured and archival off, the server fails validation: no providers, archival off.
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    dynamicConfigClient: { filepath: 'config/dynamicconfig.yaml', pollInterval: '10s' },
  };
  return YAML.stringify(config);
}

/** Dynamic configuration: updates on, no version check (no internet), ids the SQL visibility columns hold. */
export function renderDynamicConfig(): string {
  const value = (v: unknown) => [{ value: v }];
  return YAML.stringify({
    'frontend.enableUpdateWorkflowExecution': value(true),
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted': value(true),
    'frontend.enableServerVersionCheck': value(false),
    // SQL visibility stores workflow ids in varchar(255).
    'limit.maxIDLength': value(255),
  });
}

export function writeServerConfig(folder: TemporalFolder, o: Parameters<typeof renderServerConfig>[0]): void {
  fs.mkdirSync(folder.configDir, { recursive: true });
  fs.writeFileSync(folder.configFile, renderServerConfig(o), { mode: 0o600 });
  fs.chmodSync(folder.configFile, 0o600);
  fs.writeFileSync(folder.dynamicConfigFile, renderDynamicConfig());
}

/**
 * Creates (first time) and updates the schema of `temporal` and `temporal_visibility` with the server's `sql`
 * tool; both steps are no-ops when the schema is current, so this runs on every `up` and also upgrades the schema
 * when the server version moves on. The password goes through the environment, not the command line.
 */
export async function setupSchema(sqlTool: string, folder: TemporalFolder, db: TemporalDatabase): Promise<void> {
  const env = { ...process.env, SQL_PASSWORD: db.password };
  const common = ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(db.port), '-u', db.user];
  for (const [database, schema] of [
    ['temporal', 'postgresql/v12/temporal'],
    ['temporal_visibility', 'postgresql/v12/visibility'],
  ] as const) {
    const opts = { step: `schema ${database}`, env, logFile: folder.schemaLogFile, timeoutMs: 300_000 };
    await run(sqlTool, [...common, '--db', database, 'setup-schema', '-v', '0.0'], opts);
    await run(sqlTool, [...common, '--db', database, 'update-schema', '--schema-name', schema], opts);
  }
}

/**
 * The pid of this folder's running server, or undefined. A pid file whose process is gone, or is some other
 * program (the pid was reused after a reboot), is stale: it is removed and never signalled.
 */
export function runningServerPid(folder: TemporalFolder): number | undefined {
  const pid = readPidFile(folder.pidFile);
  if (pid === undefined) return undefined;
  if (isServerOf(pid, folder)) return pid;
  fs.rmSync(folder.pidFile, { force: true });
  return undefined;
}

/** Whether pid is a live Temporal server started for this folder (a zombie has an empty command line). */
function isServerOf(pid: number, folder: TemporalFolder): boolean {
  if (!processAlive(pid)) return false;
  const argv = processCommandLine(pid);
  // Without /proc we cannot tell; trust the pid file.
  if (argv === undefined) return !fs.existsSync('/proc/self');
  const root = argv.indexOf('--root');
  return root >= 0 && argv[root + 1] === folder.root && argv.includes('start');
}

const START_MARKER = '--- dondoc cluster up: starting the Temporal server';

/** What the server wrote since it was last started: its errors when there are any, else its last lines. */
function lastStartLog(folder: TemporalFolder): string {
  const text = tailFile(folder.logFile, 400);
  const since = text.lastIndexOf(START_MARKER);
  const lines = (since >= 0 ? text.slice(since) : text)
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '');
  const errors = lines.filter((l) => /"level":"(error|fatal|dpanic|panic)"|^panic:|Unable to|^Error/i.test(l));
  const shown = (errors.length > 0 ? errors : lines).slice(-8);
  return shown.length > 0 ? shown.join('\n') : '(nhật ký trống — the log is empty)';
}

/** Starts the server in the background (it outlives this process), its output appended to temporal.log. */
export function spawnServer(serverBinary: string, folder: TemporalFolder): number {
  const log = fs.openSync(folder.logFile, 'a');
  try {
    fs.writeSync(log, `${START_MARKER} ${new Date().toISOString()}\n`);
    const child = spawn(
      serverBinary,
      ['--root', folder.root, '--config', 'config', '--env', ENV_NAME, '--allow-no-auth', 'start'],
      { cwd: folder.root, detached: true, stdio: ['ignore', log, log] },
    );
    if (child.pid === undefined)
      throw new ClusterError(`Không chạy được ${serverBinary}`, { step: 'temporal start', logFile: folder.logFile });
    child.unref();
    fs.writeFileSync(folder.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    fs.closeSync(log);
  }
}

/**
 * Waits until the frontend answers and persistence works (the system namespace can be read). Fails early with the
 * end of the log when the process exits.
 */
export async function waitForServer(
  address: string,
  pid: number,
  folder: TemporalFolder,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (!isServerOf(pid, folder)) {
      fs.rmSync(folder.pidFile, { force: true });
      throw new ClusterError(
        `Máy chủ Temporal dừng khi khởi động (the server exited while starting):\n${lastStartLog(folder)}`,
        {
          step: 'temporal start',
          logFile: folder.logFile,
        },
      );
    }
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 2_000 });
      await connection.workflowService.describeNamespace({ namespace: 'temporal-system' });
      return;
    } catch (err) {
      last = (err as Error).message;
    } finally {
      await connection?.close();
    }
    await sleep(300);
  }
  throw new ClusterError(`Máy chủ Temporal không trả lời sau ${timeoutMs / 1000} s (${last}).`, {
    step: 'temporal start',
    logFile: folder.logFile,
  });
}

/** Stops the server: SIGTERM, then SIGKILL after `graceMs`. No-op when it is not running. */
export async function stopServer(folder: TemporalFolder, graceMs = 30_000): Promise<boolean> {
  const pid = runningServerPid(folder);
  if (pid === undefined) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isServerOf(pid, folder) && Date.now() < deadline) await sleep(100);
  if (isServerOf(pid, folder)) {
    process.kill(pid, 'SIGKILL');
    while (isServerOf(pid, folder)) await sleep(100);
  }
  fs.rmSync(folder.pidFile, { force: true });
  return true;
}

const TYPE = temporal.api.enums.v1.IndexedValueType;
const INDEXED_TYPE = {
  Keyword: TYPE.INDEXED_VALUE_TYPE_KEYWORD,
  KeywordList: TYPE.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  Datetime: TYPE.INDEXED_VALUE_TYPE_DATETIME,
} as const;

/** Calls fn until it stops failing with NOT_FOUND (5), for up to `timeoutMs`. */
async function whileNotFound<T>(fn: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if ((err as { code?: number }).code !== 5 || Date.now() > deadline) throw err;
      await sleep(250);
    }
  }
}

/** How long closed workflows stay readable. */
export const RETENTION_DAYS = 30;

/**
 * Registers the namespace and dondoc's search attributes when missing (through the SDK's workflow and operator
 * services). Returns whether anything was added. A search attribute that exists with another type is an error.
 */
export async function ensureNamespace(address: string, namespace: string, progress: Progress): Promise<boolean> {
  const connection = await Connection.connect({ address });
  try {
    let changed = false;
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } catch {
      progress(`Tạo namespace "${namespace}" (lưu ${RETENTION_DAYS} ngày)`);
      try {
        await connection.workflowService.registerNamespace({
          namespace,
          workflowExecutionRetentionPeriod: msToTs(`${RETENTION_DAYS} days`),
        });
      } catch (err) {
        // 6 = ALREADY_EXISTS: another `up` got there first.
        if ((err as { code?: number }).code !== 6) throw err;
      }
      changed = true;
    }
    // A namespace just written reaches each service's namespace cache within its refresh interval (2 s).
    const existing =
      (await whileNotFound(() => connection.operatorService.listSearchAttributes({ namespace }))).customAttributes ??
      {};
    const missing: Record<string, temporal.api.enums.v1.IndexedValueType> = {};
    for (const [name, type] of Object.entries(SEARCH_ATTRIBUTE_TYPES)) {
      const want = INDEXED_TYPE[type];
      const have = existing[name];
      if (have === undefined || have === null) missing[name] = want;
      else if (have !== want)
        throw new ClusterError(
          `Thuộc tính tìm kiếm ${name} đã có với kiểu khác (${TYPE[have]}, cần ${type}) trên namespace ${namespace}.`,
          { step: 'search attributes', badInput: true },
        );
    }
    if (Object.keys(missing).length > 0) {
      progress(`Đăng ký thuộc tính tìm kiếm: ${Object.keys(missing).join(', ')}`);
      await whileNotFound(() =>
        connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing }),
      );
      changed = true;
    }
    return changed;
  } finally {
    await connection.close();
  }
}
