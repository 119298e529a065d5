/**
 * A PostgreSQL cluster of dondoc's own, in a folder: Debian's PostgreSQL binaries (installed when missing), data
 * owned by the `postgres` user when we run as root (PostgreSQL refuses to run as root), listening on 127.0.0.1
 * only, password (SCRAM) authentication for every connection, no Unix socket (nothing to collide with in /tmp).
 *
 * Folder layout: `<folder>/data` (PGDATA, mode 700) and `<folder>/postgresql.log`; `<folder>` belongs to the user
 * PostgreSQL runs as.
 */
import { execFileSync } from 'node:child_process';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { ClusterError } from './errors';
import { run, runForExit, withHeartbeat, type Progress } from './process';

const isRoot = (): boolean => process.getuid?.() === 0;

export interface PostgresFolder {
  folder: string;
  dataDir: string;
  logFile: string;
}

export function postgresFolder(folder: string): PostgresFolder {
  return { folder, dataDir: path.join(folder, 'data'), logFile: path.join(folder, 'postgresql.log') };
}

function installedBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return undefined;
  const versions = fs
    .readdirSync(base)
    .filter((v) => /^\d+$/.test(v) && fs.existsSync(path.join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : path.join(base, versions[0], 'bin');
}

let binDirCache: string | undefined;

/**
 * The folder of Debian's PostgreSQL binaries (the newest installed major version). When none is installed and we
 * are root on Debian, installs the `postgresql` package with apt-get; otherwise says how to install it.
 */
export async function ensurePostgresInstalled(progress: Progress): Promise<string> {
  binDirCache ??= installedBinDir();
  if (binDirCache !== undefined) return binDirCache;
  const hasApt = fs.existsSync('/usr/bin/apt-get');
  if (!isRoot() || !hasApt)
    throw new ClusterError(
      'Chưa cài PostgreSQL (PostgreSQL is not installed): chạy "sudo apt-get install postgresql" rồi thử lại.',
      { step: 'postgres-install', badInput: true },
    );
  const log = path.join(os.tmpdir(), 'dondoc-apt-get-postgresql.log');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  progress('Cài PostgreSQL từ Debian (apt-get install postgresql)');
  await withHeartbeat(
    'apt-get update',
    progress,
    run('apt-get', ['update'], { step: 'apt-get update', logFile: log, env }),
  );
  await withHeartbeat(
    'apt-get install postgresql',
    progress,
    run('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], {
      step: 'apt-get install postgresql',
      logFile: log,
      env,
    }),
  );
  binDirCache = installedBinDir();
  if (binDirCache === undefined)
    throw new ClusterError('Đã cài gói postgresql nhưng không thấy /usr/lib/postgresql/*/bin/initdb.', {
      step: 'postgres-install',
      logFile: log,
    });
  return binDirCache;
}

/** The command and arguments that run a PostgreSQL binary as the user that owns the data. */
function asPostgresUser(binary: string, args: readonly string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, [...args]];
}

function postgresIds(): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new ClusterError('Không có người dùng hệ thống "postgres" (cài gói postgresql sẽ tạo người dùng này).', {
      step: 'postgres-folder',
    });
  }
}

/** Whether the postgres user can do `test <flag> <target>`. */
async function postgresCan(flag: '-x' | '-w', target: string): Promise<boolean> {
  const [cmd, args] = asPostgresUser('/usr/bin/test', [flag, target]);
  return (await runForExit(cmd, args, { step: 'postgres-folder' })).code === 0;
}

/**
 * Checks that the user PostgreSQL runs as can go through `dir` (every parent must let it: /root, mode 700, does
 * not). Says which folder blocks and what to do.
 */
export async function assertPostgresCanReach(dir: string): Promise<void> {
  if (!isRoot() || (await postgresCan('-x', dir))) return;
  let blocking = dir;
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
    if (!(await postgresCan('-x', d))) blocking = d;
  }
  throw new ClusterError(
    `Người dùng postgres không vào được ${dir}: thư mục ${blocking} chặn (mode ${(fs.statSync(blocking).mode & 0o777).toString(8)}). ` +
      'Chọn --dir ở nơi khác (ví dụ /srv/dondoc hoặc /var/lib/dondoc), hoặc cho phép đi qua: chmod o+x ' +
      `${blocking}. (PostgreSQL refuses to run as root; the postgres user must reach its folder.)`,
    { step: 'postgres-folder', badInput: true },
  );
}

/** Creates the folder and gives it to the postgres user (when we are root). */
export async function preparePostgresFolder(pg: PostgresFolder): Promise<void> {
  fs.mkdirSync(pg.folder, { recursive: true, mode: 0o755 });
  if (!isRoot()) return;
  const { uid, gid } = postgresIds();
  fs.chownSync(pg.folder, uid, gid);
  if (fs.existsSync(pg.logFile)) fs.chownSync(pg.logFile, uid, gid);
  await assertPostgresCanReach(pg.folder);
}

/** Whether the data folder holds an initialised cluster. */
export function postgresInitialised(pg: PostgresFolder): boolean {
  return fs.existsSync(path.join(pg.dataDir, 'PG_VERSION'));
}

/**
 * `initdb` with a superuser `postgres` whose password is given, SCRAM authentication everywhere, UTF-8; then our
 * settings appended to postgresql.conf (the port lives there, so a plain `pg_ctl start` needs no options).
 * A half-made data folder from an interrupted run is removed first.
 */
export async function initPostgres(
  pg: PostgresFolder,
  options: { binDir: string; port: number; superuserPassword: string; maxConnections?: number },
): Promise<void> {
  if (fs.existsSync(pg.dataDir)) fs.rmSync(pg.dataDir, { recursive: true, force: true });
  const pwfile = path.join(pg.folder, '.initdb-password');
  fs.writeFileSync(pwfile, `${options.superuserPassword}\n`, { mode: 0o600 });
  try {
    if (isRoot()) {
      const { uid, gid } = postgresIds();
      fs.chownSync(pwfile, uid, gid);
    }
    const [cmd, args] = asPostgresUser(path.join(options.binDir, 'initdb'), [
      '-D',
      pg.dataDir,
      '-U',
      'postgres',
      `--pwfile=${pwfile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
    ]);
    await run(cmd, args, { step: 'initdb', logFile: pg.logFile, timeoutMs: 180_000 });
  } finally {
    fs.rmSync(pwfile, { force: true });
    // The log was opened by us for initdb's output; PostgreSQL (pg_ctl -l) appends to it as its own user.
    if (isRoot() && fs.existsSync(pg.logFile)) {
      const { uid, gid } = postgresIds();
      fs.chownSync(pg.logFile, uid, gid);
    }
  }
  const settings = [
    '',
    '# dondoc cluster',
    `port = ${options.port}`,
    "listen_addresses = '127.0.0.1'",
    "unix_socket_directories = ''",
    // Temporal opens up to ~90 connections (four services in one process); dondoc's processes add theirs.
    `max_connections = ${options.maxConnections ?? 300}`,
    '',
  ].join('\n');
  // Root may write into the postgres-owned data folder; the file keeps its owner.
  fs.appendFileSync(path.join(pg.dataDir, 'postgresql.conf'), settings);
}

/** The port in postgresql.conf's dondoc section, if any. */
export function configuredPort(pg: PostgresFolder): number | undefined {
  try {
    const conf = fs.readFileSync(path.join(pg.dataDir, 'postgresql.conf'), 'utf8');
    const ports = [...conf.matchAll(/^port = (\d+)/gm)].map((m) => Number(m[1]));
    return ports.at(-1);
  } catch {
    return undefined;
  }
}

/** Whether the PostgreSQL of this folder runs (pg_ctl status, which checks postmaster.pid's process). */
export async function postgresRunning(pg: PostgresFolder, binDir: string): Promise<boolean> {
  if (!postgresInitialised(pg)) return false;
  const [cmd, args] = asPostgresUser(path.join(binDir, 'pg_ctl'), ['status', '-D', pg.dataDir]);
  return (await runForExit(cmd, args, { step: 'pg_ctl status' })).code === 0;
}

/** Starts PostgreSQL and waits until it accepts connections (up to 60 s). */
export async function startPostgres(pg: PostgresFolder, binDir: string): Promise<void> {
  const [cmd, args] = asPostgresUser(path.join(binDir, 'pg_ctl'), [
    'start',
    '-D',
    pg.dataDir,
    '-l',
    pg.logFile,
    '-w',
    '-t',
    '60',
  ]);
  await run(cmd, args, { step: 'pg_ctl start', timeoutMs: 90_000 }).catch((err: Error) => {
    throw new ClusterError(`PostgreSQL không khởi động được (PostgreSQL did not start): ${err.message}`, {
      step: 'pg_ctl start',
      logFile: pg.logFile,
    });
  });
}

/** Stops PostgreSQL ('fast': open sessions are ended, everything committed is kept). No-op when stopped. */
export async function stopPostgres(pg: PostgresFolder, binDir: string): Promise<void> {
  if (!(await postgresRunning(pg, binDir))) return;
  const [cmd, args] = asPostgresUser(path.join(binDir, 'pg_ctl'), [
    'stop',
    '-D',
    pg.dataDir,
    '-m',
    'fast',
    '-w',
    '-t',
    '60',
  ]);
  await run(cmd, args, { step: 'pg_ctl stop', timeoutMs: 90_000 }).catch((err: Error) => {
    throw new ClusterError(`PostgreSQL không dừng được (PostgreSQL did not stop): ${err.message}`, {
      step: 'pg_ctl stop',
      logFile: pg.logFile,
    });
  });
}

export interface DatabaseSpec {
  name: string;
  owner: string;
}

export interface RoleSpec {
  name: string;
  password: string;
}

/** A postgres:// URL (user and password percent-encoded). */
export function postgresUrl(o: {
  user: string;
  password: string;
  port: number;
  database: string;
  host?: string;
}): string {
  return `postgres://${encodeURIComponent(o.user)}:${encodeURIComponent(o.password)}@${o.host ?? '127.0.0.1'}:${o.port}/${encodeURIComponent(o.database)}`;
}

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802/7677, PostgreSQL's format
 * `SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey`). Our passwords are ASCII, so SASLprep leaves them as they are.
 */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

const ident = (name: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Tên không hợp lệ cho PostgreSQL: ${name}`);
  return `"${name}"`;
};

/**
 * Creates the roles (login, no superuser) and the databases they own, when missing, and sets each role's password,
 * so the stored secrets and the database always agree. Idempotent.
 */
export async function ensureRolesAndDatabases(
  superuser: { port: number; password: string; logFile?: string },
  roles: readonly RoleSpec[],
  databases: readonly DatabaseSpec[],
): Promise<void> {
  const fail = (err: Error): never => {
    throw new ClusterError(
      `PostgreSQL 127.0.0.1:${superuser.port}: không tạo được vai trò và cơ sở dữ liệu (${err.message}).`,
      {
        step: 'postgres roles',
        logFile: superuser.logFile,
        cause: err,
      },
    );
  };
  const client = new Client({
    connectionString: postgresUrl({
      user: 'postgres',
      password: superuser.password,
      port: superuser.port,
      database: 'postgres',
    }),
    connectionTimeoutMillis: 10_000,
  });
  await client.connect().catch(fail);
  try {
    for (const role of roles) {
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role.name]);
      const verb = exists.rowCount === 0 ? 'CREATE' : 'ALTER';
      // Utility statements take no parameters. Sending the SCRAM verifier instead of the password keeps the
      // password itself out of PostgreSQL's log even if the statement were logged.
      await client.query(
        `${verb} ROLE ${ident(role.name)} WITH LOGIN NOSUPERUSER PASSWORD '${scramVerifier(role.password)}'`,
      );
    }
    for (const db of databases) {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name]);
      if (exists.rowCount === 0)
        await client.query(`CREATE DATABASE ${ident(db.name)} OWNER ${ident(db.owner)} ENCODING 'UTF8'`);
    }
  } catch (err) {
    fail(err as Error);
  } finally {
    await client.end();
  }
}
