/**
 * The little state the web's sign-in keeps besides its signed cookies: a revocation epoch per subject (the operator,
 * each agency, and `*` for everyone) and the sign-in links already used. Every web host must see the same, so it
 * lives in PostgreSQL when `DONDOC_DATABASE_URL` is set; on the embedded default (one host) it is one JSON file in
 * the data folder. Tests use the in-memory store.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createPool, describeDatabase, migrate, type Migration, type Pool } from '../storage';

/** The subject whose epoch ends every session at once. */
export const ALL_SESSIONS = '*';

export interface SessionStore {
  /** The current epoch of a subject (0 until it is first revoked). */
  epoch(subject: string): Promise<number>;
  /** Ends every session of `subject` (or all, with {@link ALL_SESSIONS}) by moving its epoch on; returns the new one. */
  revoke(subject: string): Promise<number>;
  /** True the first time `key` is used, false ever after (until `expiresAtMs`, after which it is forgotten). */
  useOnce(key: string, expiresAtMs: number): Promise<boolean>;
  close(): Promise<void>;
}

interface StoreData {
  epochs: Record<string, number>;
  used: Record<string, number>;
}

/** Forgets used keys past their expiry (they are refused anyway: the token carrying them has expired). */
function prune(data: StoreData, nowMs: number): void {
  for (const [k, exp] of Object.entries(data.used)) if (exp <= nowMs) delete data.used[k];
}

/** In memory: one process only (tests). */
export function createMemorySessionStore(now: () => number = Date.now): SessionStore {
  const data: StoreData = { epochs: {}, used: {} };
  return {
    epoch: (s) => Promise.resolve(data.epochs[s] ?? 0),
    revoke: (s) => Promise.resolve((data.epochs[s] = (data.epochs[s] ?? 0) + 1)),
    useOnce: (key, exp) => {
      prune(data, now());
      if (key in data.used) return Promise.resolve(false);
      data.used[key] = exp;
      return Promise.resolve(true);
    },
    close: () => Promise.resolve(),
  };
}

/**
 * One JSON file in the data folder (embedded default, one web host). Writes are serialised in the process and
 * replace the file atomically (write, then rename), so a crash leaves the old or the new file, never half of one.
 */
export function createFileSessionStore(dataDir: string, now: () => number = Date.now): SessionStore {
  const file = path.join(dataDir, 'web-sessions.json');
  let queue: Promise<unknown> = Promise.resolve();
  const read = async (): Promise<StoreData> => {
    try {
      const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<StoreData>;
      return { epochs: parsed.epochs ?? {}, used: parsed.used ?? {} };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { epochs: {}, used: {} };
      throw err;
    }
  };
  const write = async (data: StoreData): Promise<void> => {
    await fs.mkdir(dataDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(data), { mode: 0o600 });
    await fs.rename(tmp, file);
  };
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    epoch: async (s) => (await read()).epochs[s] ?? 0,
    revoke: (s) =>
      serial(async () => {
        const data = await read();
        const e = (data.epochs[s] ?? 0) + 1;
        data.epochs[s] = e;
        await write(data);
        return e;
      }),
    useOnce: (key, exp) =>
      serial(async () => {
        const data = await read();
        prune(data, now());
        if (key in data.used) return false;
        data.used[key] = exp;
        await write(data);
        return true;
      }),
    close: () => queue.then(() => undefined),
  };
}

export const WEB_SESSION_MIGRATIONS: readonly Migration[] = [
  {
    id: 'web-sessions-1',
    sql: `CREATE TABLE web_session_epochs (subject text PRIMARY KEY, epoch integer NOT NULL);
          CREATE TABLE web_used_tokens (key text PRIMARY KEY, expires_at timestamptz NOT NULL)`,
  },
];

/** PostgreSQL: every web host sees the same epochs and used links. The pool is owned by the store. */
export function createPostgresSessionStore(databaseUrl: string, now: () => number = Date.now): SessionStore {
  const pool: Pool = createPool(databaseUrl, { max: 4, applicationName: 'dondoc-web' });
  let ready: Promise<void> | undefined;
  const ensure = (): Promise<void> =>
    (ready ??= migrate(pool, WEB_SESSION_MIGRATIONS, describeDatabase(databaseUrl)).then(
      () => undefined,
      (err: unknown) => {
        ready = undefined;
        throw err;
      },
    ));
  return {
    epoch: async (s) => {
      await ensure();
      const { rows } = await pool.query<{ epoch: number }>('SELECT epoch FROM web_session_epochs WHERE subject = $1', [
        s,
      ]);
      return rows[0]?.epoch ?? 0;
    },
    revoke: async (s) => {
      await ensure();
      const { rows } = await pool.query<{ epoch: number }>(
        `INSERT INTO web_session_epochs (subject, epoch) VALUES ($1, 1)
         ON CONFLICT (subject) DO UPDATE SET epoch = web_session_epochs.epoch + 1 RETURNING epoch`,
        [s],
      );
      return rows[0]?.epoch ?? 1;
    },
    useOnce: async (key, exp) => {
      await ensure();
      await pool.query('DELETE FROM web_used_tokens WHERE expires_at < $1', [new Date(now())]);
      const r = await pool.query(
        'INSERT INTO web_used_tokens (key, expires_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
        [key, new Date(exp)],
      );
      return r.rowCount === 1;
    },
    close: () => pool.end(),
  };
}
