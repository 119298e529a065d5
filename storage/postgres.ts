/**
 * PostgreSQL access for the records dondoc keeps outside Temporal (the mail ledger now; evidence files later).
 *
 * One pool per process and database URL. The pool survives a PostgreSQL restart: a connection the server closed
 * is dropped from the pool (its 'error' event is handled here, so it cannot crash the process) and the next query
 * opens a new one. A query while PostgreSQL is down fails within the connection timeout instead of waiting; the
 * caller (an activity) retries.
 */
import { Pool, type PoolConfig } from 'pg';

export type { Pool, PoolClient } from 'pg';

export interface PoolOptions {
  /** Most connections this process opens (default 10). */
  max?: number;
  /** How long to wait for a connection before failing, in ms (default 10 000). */
  connectionTimeoutMillis?: number;
  /** Shown in pg_stat_activity, to tell dondoc's processes apart. */
  applicationName?: string;
  /** Called when an idle connection fails (PostgreSQL restarted or went away); the pool replaces it on next use. */
  onIdleError?: (err: Error) => void;
}

/**
 * The URL with its password replaced by `***`, for logs and messages. Works on strings that are not URLs too
 * (returns a placeholder), so it can be used on anything that came from configuration.
 */
export function redactDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return '(URL cơ sở dữ liệu không hợp lệ, không hiển thị)';
  }
}

/** host:port/database of a URL, never its user or password. */
export function describeDatabase(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return '(URL cơ sở dữ liệu không hợp lệ)';
  }
}

/** A connection pool over a database URL (postgres://user:password@host:port/database). */
export function createPool(databaseUrl: string, options: PoolOptions = {}): Pool {
  const config: PoolConfig = {
    connectionString: databaseUrl,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: options.applicationName ?? 'dondoc',
  };
  const pool = new Pool(config);
  // Without a listener, an idle connection closed by the server (a restart, a failover) is an uncaught 'error'
  // event and ends the process. The pool has already discarded that connection.
  pool.on('error', (err) => options.onIdleError?.(err));
  return pool;
}
