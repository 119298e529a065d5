/**
 * Where evidence files live: PostgreSQL when `DONDOC_DATABASE_URL` is set (every web host sees the same files), the
 * data folder in the embedded default. Files are content-addressed: the id is the SHA-256 of the bytes (base64url),
 * so storing the same file twice stores it once and an id cannot be guessed from another. Only the reference
 * (id, name, type, size, sha256) goes into the task workflow; who may read a file is decided by the web door.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DondocConfig } from '../config';
import { checkEvidence } from '../domain/evidence';
import type { EvidenceFile } from '../domain/lifecycle/inputs';
import { migrate, type Migration } from './migrations';
import { createPool, describeDatabase, type Pool } from './postgres';

export const EVIDENCE_MIGRATIONS: readonly Migration[] = [
  {
    id: 'evidence-1',
    sql: `CREATE TABLE evidence_files (
            id         text PRIMARY KEY,
            type       text NOT NULL,
            size       integer NOT NULL,
            bytes      bytea NOT NULL,
            stored_at  timestamptz NOT NULL DEFAULT now()
          )`,
  },
];

export interface StoredEvidence {
  type: string;
  bytes: Buffer;
}

export interface EvidenceStore {
  readonly kind: 'postgres' | 'file';
  /**
   * Checks the file (type by content, size) and stores it; returns the reference the task keeps. Idempotent: the
   * same bytes give the same id. Throws `EvidenceRejectedError` for a file that is not evidence.
   */
  put(name: string, bytes: Buffer): Promise<EvidenceFile>;
  /** The bytes of a stored file, or undefined. */
  get(id: string): Promise<StoredEvidence | undefined>;
  close(): Promise<void>;
}

const ID = /^[A-Za-z0-9_-]{43}$/;

function referenceOf(name: string, bytes: Buffer): EvidenceFile {
  const checked = checkEvidence(name, bytes);
  const digest = createHash('sha256').update(bytes).digest();
  return {
    id: digest.toString('base64url'),
    name: checked.name,
    type: checked.type,
    size: bytes.length,
    sha256: digest.toString('hex'),
  };
}

/** Files under `dir`, one per id, with the type beside it; written to a temporary name and renamed. */
export function createFileEvidenceStore(dir: string): EvidenceStore {
  return {
    kind: 'file',
    async put(name, bytes) {
      const ref = referenceOf(name, bytes);
      await fs.promises.mkdir(dir, { recursive: true });
      const file = path.join(dir, ref.id);
      if (!fs.existsSync(file)) {
        const tmp = `${file}.${process.pid}.tmp`;
        await fs.promises.writeFile(tmp, bytes);
        await fs.promises.writeFile(`${file}.type`, ref.type);
        await fs.promises.rename(tmp, file);
      }
      return ref;
    },
    async get(id) {
      if (!ID.test(id)) return undefined;
      try {
        const [bytes, type] = await Promise.all([
          fs.promises.readFile(path.join(dir, id)),
          fs.promises.readFile(path.join(dir, `${id}.type`), 'utf8'),
        ]);
        return { bytes, type };
      } catch {
        return undefined;
      }
    },
    close: () => Promise.resolve(),
  };
}

/** Files in the `evidence_files` table (created on first use). The caller owns the pool. */
export function createPostgresEvidenceStore(pool: Pool, database = 'PostgreSQL'): EvidenceStore {
  let ready: Promise<void> | undefined;
  const ensureSchema = (): Promise<void> =>
    (ready ??= migrate(pool, EVIDENCE_MIGRATIONS, database).then(
      () => undefined,
      (err: unknown) => {
        ready = undefined;
        throw err;
      },
    ));
  return {
    kind: 'postgres',
    async put(name, bytes) {
      const ref = referenceOf(name, bytes);
      await ensureSchema();
      await pool.query(
        'INSERT INTO evidence_files (id, type, size, bytes) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING',
        [ref.id, ref.type, ref.size, bytes],
      );
      return ref;
    },
    async get(id) {
      if (!ID.test(id)) return undefined;
      await ensureSchema();
      const { rows } = await pool.query<{ type: string; bytes: Buffer }>(
        'SELECT type, bytes FROM evidence_files WHERE id = $1',
        [id],
      );
      const row = rows[0];
      return row ? { type: row.type, bytes: row.bytes } : undefined;
    },
    close: () => Promise.resolve(),
  };
}

/**
 * The store this configuration asks for: PostgreSQL when `DONDOC_DATABASE_URL` is set, otherwise
 * `<DONDOC_DATA_DIR>/evidence`. `close()` ends the pool it opened.
 */
export function createEvidenceStore(config: Pick<DondocConfig, 'database' | 'dataDir'>): EvidenceStore {
  const url = config.database.url;
  if (url !== undefined) {
    const pool = createPool(url, { applicationName: 'dondoc-evidence' });
    return { ...createPostgresEvidenceStore(pool, describeDatabase(url)), close: () => pool.end() };
  }
  return createFileEvidenceStore(path.join(config.dataDir, 'evidence'));
}
