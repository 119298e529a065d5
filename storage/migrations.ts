/**
 * Small, forward-only schema migrations for dondoc's own tables.
 *
 * Each area owns a list of migrations with ids unique across dondoc (prefix them with the area: `mail-ledger-1`).
 * `migrate` applies the ones a database has not seen, in order, each in its own transaction together with its row
 * in `dondoc_migrations`. A transaction-level advisory lock serialises processes that start at the same moment
 * (several workers on several hosts), so each migration runs exactly once. Never edit a migration that has
 * shipped: add a new one.
 */
import type { Pool } from './postgres';

export interface Migration {
  id: string;
  /** One or more SQL statements. */
  sql: string;
}

// An arbitrary constant: the advisory lock key every dondoc process uses for migrations.
const MIGRATION_LOCK = 0x646f6e64; // "dond"

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    readonly migrationId: string,
    readonly database: string,
    cause: Error,
  ) {
    super(`Không áp dụng được thay đổi lược đồ "${migrationId}" trên ${database}: ${cause.message}`, { cause });
  }
}

/** Applies the migrations the database lacks; returns the ids it applied (empty when up to date). */
export async function migrate(
  pool: Pool,
  migrations: readonly Migration[],
  database = 'PostgreSQL',
): Promise<string[]> {
  const ids = new Set<string>();
  for (const m of migrations) {
    if (ids.has(m.id)) throw new Error(`Migration id "${m.id}" appears twice`);
    ids.add(m.id);
  }
  const applied: string[] = [];
  const client = await pool.connect();
  let broken: Error | undefined;
  // Runs fn in a transaction that holds the migration lock (released at COMMIT or ROLLBACK).
  const locked = async (fn: () => Promise<void>): Promise<void> => {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await fn();
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackErr: Error) => {
        broken = rollbackErr;
      });
      throw err;
    }
  };
  try {
    // Under the lock too: two concurrent CREATE TABLE IF NOT EXISTS can both try to create the table's type.
    await locked(async () => {
      await client.query(
        'CREATE TABLE IF NOT EXISTS dondoc_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
    }).catch((err: Error) => {
      throw new MigrationError('dondoc_migrations', database, err);
    });
    for (const m of migrations) {
      await locked(async () => {
        const done = await client.query('SELECT 1 FROM dondoc_migrations WHERE id = $1', [m.id]);
        if (done.rowCount !== 0) return;
        await client.query(m.sql);
        await client.query('INSERT INTO dondoc_migrations (id) VALUES ($1)', [m.id]);
        applied.push(m.id);
      }).catch((err: Error) => {
        throw new MigrationError(m.id, database, err);
      });
    }
  } finally {
    // A connection that could not even roll back is not given back to the pool.
    client.release(broken);
  }
  return applied;
}
