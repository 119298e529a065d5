/**
 * The mail ledger ({@link SentLedger}, see mail/ledger.ts for how sending uses it) in PostgreSQL, for deployments
 * where workers run on more than one host: every worker sees the same rows, whichever host it runs on.
 *
 * HOW IT WORKS
 * One row per digest id in `mail_sent_ledger`. `claim` is an `INSERT … ON CONFLICT (key) DO NOTHING`: the primary
 * key lets exactly one inserter win, across connections, processes and hosts (PostgreSQL arbitrates; the losers
 * read the row and answer 'sent' or 'claimed'). `markSent` writes `sent_at` and the delivery record in one
 * statement (an update of the claimed row; an insert if nobody claimed, as the file ledger allows), so a reader
 * sees the whole record or none. `get` reads it.
 *
 * THE REMAINING WINDOW (the same as the file ledger's: at-least-once, not exactly-once)
 * SMTP has no transaction with this database. If the worker dies, or PostgreSQL becomes unreachable, after the mail
 * server answered 250 and before markSent committed, the retry finds 'claimed'; it cannot know whether the message
 * went, and sends again with the same Message-ID, which mail clients and many servers collapse. The window is the
 * time of one UPDATE after each send; with PostgreSQL down it lasts until the activity's retries give up or
 * PostgreSQL returns. A crash after markSent committed is safe: the retry finds 'sent' and sends nothing.
 *
 * The table is created on first use (storage/migrations.ts); the database itself and its role come from the
 * deployment (`dondoc cluster up` creates both).
 */
import path from 'node:path';
import type { DondocConfig } from '../config';
import { createFileLedger, type ClaimResult, type SentInfo, type SentLedger } from '../mail/ledger';
import { migrate, type Migration } from './migrations';
import { createPool, describeDatabase, type Pool } from './postgres';

export const SENT_LEDGER_MIGRATIONS: readonly Migration[] = [
  {
    id: 'mail-ledger-1',
    sql: `CREATE TABLE mail_sent_ledger (
            key        text PRIMARY KEY,
            claimed_at timestamptz NOT NULL DEFAULT now(),
            sent_at    timestamptz,
            info       jsonb,
            CHECK ((sent_at IS NULL) = (info IS NULL))
          )`,
  },
];

/**
 * A ledger over a PostgreSQL pool (the caller owns the pool). The table is created by the first call; a failed
 * creation (PostgreSQL unreachable) is tried again by the next call.
 */
export function createPostgresLedger(pool: Pool, database = 'PostgreSQL'): SentLedger {
  let ready: Promise<void> | undefined;
  const ensureSchema = (): Promise<void> =>
    (ready ??= migrate(pool, SENT_LEDGER_MIGRATIONS, database).then(
      () => undefined,
      (err: unknown) => {
        ready = undefined;
        throw err;
      },
    ));

  async function get(key: string): Promise<SentInfo | undefined> {
    await ensureSchema();
    const { rows } = await pool.query<{ info: SentInfo }>(
      'SELECT info FROM mail_sent_ledger WHERE key = $1 AND sent_at IS NOT NULL',
      [key],
    );
    return rows[0]?.info;
  }

  return {
    async claim(key): Promise<ClaimResult> {
      await ensureSchema();
      const inserted = await pool.query('INSERT INTO mail_sent_ledger (key) VALUES ($1) ON CONFLICT (key) DO NOTHING', [
        key,
      ]);
      if (inserted.rowCount === 1) return 'new';
      // Someone inserted first (their row is committed: ON CONFLICT waited for it). Read what it says now.
      const { rows } = await pool.query<{ sent: boolean }>(
        'SELECT sent_at IS NOT NULL AS sent FROM mail_sent_ledger WHERE key = $1',
        [key],
      );
      return rows[0]?.sent ? 'sent' : 'claimed';
    },

    async markSent(key, info) {
      await ensureSchema();
      await pool.query(
        `INSERT INTO mail_sent_ledger (key, sent_at, info) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET sent_at = EXCLUDED.sent_at, info = EXCLUDED.info`,
        [key, info.sentAt, JSON.stringify(info)],
      );
    },

    get,
  };
}

/** A ledger and what it needs to be let go. */
export interface SentLedgerStore extends SentLedger {
  /** 'postgres' when DONDOC_DATABASE_URL is set, 'file' otherwise (one host only). */
  readonly kind: 'postgres' | 'file';
  /** Where the ledger is, without secrets: host:port/database, or the folder. */
  readonly location: string;
  /** Closes the database pool (nothing to do for files). */
  close(): Promise<void>;
}

/**
 * The ledger this configuration asks for: PostgreSQL when `DONDOC_DATABASE_URL` is set (shared by every host),
 * otherwise files under `<DONDOC_DATA_DIR>/mail-ledger` (the embedded single-host default).
 */
export function createSentLedger(config: Pick<DondocConfig, 'database' | 'dataDir'>): SentLedgerStore {
  const url = config.database.url;
  if (url !== undefined) {
    const pool = createPool(url, { applicationName: 'dondoc-mail-ledger' });
    const location = describeDatabase(url);
    return { kind: 'postgres', location, ...createPostgresLedger(pool, location), close: () => pool.end() };
  }
  const dir = path.join(config.dataDir, 'mail-ledger');
  return { kind: 'file', location: dir, ...createFileLedger(dir), close: () => Promise.resolve() };
}
