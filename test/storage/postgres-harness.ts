import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ensurePostgresInstalled,
  ensureRolesAndDatabases,
  initPostgres,
  postgresFolder,
  postgresUrl,
  preparePostgresFolder,
  startPostgres,
  stopPostgres,
} from '../../cluster';
import { findFreePort } from '../../cluster/ports';

export interface TestPostgres {
  /** A fresh database owned by a fresh role; returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops PostgreSQL and removes its folder. */
  dispose(): Promise<void>;
}

/**
 * A real PostgreSQL of our own, started by the cluster code in a folder under the system temporary folder (mode
 * 755 so the postgres user reaches it when the tests run as root, as in CI).
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-pg-test-'));
  fs.chmodSync(tmp, 0o755);
  const pg = postgresFolder(path.join(tmp, 'postgres'));
  const binDir = await ensurePostgresInstalled(() => undefined);
  const port = await findFreePort(25432);
  const superuserPassword = 'superuser-test-password';
  await preparePostgresFolder(pg);
  await initPostgres(pg, { binDir, port, superuserPassword });
  await startPostgres(pg, binDir);
  return {
    async createDatabase(name) {
      const password = `pw-${name}-${process.pid}`;
      await ensureRolesAndDatabases(
        { port, password: superuserPassword },
        [{ name, password }],
        [{ name, owner: name }],
      );
      return postgresUrl({ user: name, password, port, database: name });
    },
    stop: () => stopPostgres(pg, binDir),
    start: () => startPostgres(pg, binDir),
    async dispose() {
      await stopPostgres(pg, binDir);
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
