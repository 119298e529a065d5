import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { DondocConfig } from '../config';
import { SEARCH_ATTRIBUTE_TYPES } from '../workflows/definitions';

const ROOT = path.resolve(__dirname, '..', __dirname.includes(`${path.sep}dist${path.sep}`) ? '..' : '');

/** Paths of the Temporal binaries that scripts/setup.sh built and cached. */
export function cachedTemporalPaths(): { temporalCli: string; testServer: string } {
  const file = path.join(ROOT, '.cache', 'paths.json');
  if (!fs.existsSync(file)) throw new Error(`Chưa có Temporal CLI (${file}): chạy "npm run setup" trước.`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as { temporalCli: string; testServer: string };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  stop(): Promise<void>;
}

/**
 * Starts the Temporal dev server (the Temporal CLI's `server start-dev`) with its SQLite file in the data folder,
 * so state survives restarts, and dondoc's search attributes registered.
 */
export async function startDevServer(config: DondocConfig, log: (line: string) => void = () => undefined): Promise<DevServer> {
  const port = config.temporal.devServerPort;
  const uiPort = config.temporal.devServerUiPort;
  if (await portOpen(port)) throw new Error(`Cổng ${port} đang bận: một Temporal khác đang chạy? Đặt DONDOC_TEMPORAL_PORT khác.`);
  fs.mkdirSync(config.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    config.temporal.namespace,
    '--db-filename',
    path.join(config.dataDir, 'temporal.sqlite'),
    // Write-ahead log: one fsync per commit instead of the rollback journal's several, readers no longer wait
    // for the writer. synchronous stays FULL (SQLite's default), so a commit is on disk when Temporal answers.
    '--sqlite-pragma',
    'journal_mode=WAL',
    '--log-level',
    'warn',
    '--log-format',
    'json',
    ...(uiPort > 0 ? ['--ui-port', String(uiPort)] : ['--headless']),
    ...Object.entries(SEARCH_ATTRIBUTE_TYPES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
  ];
  const logFile = fs.openSync(path.join(config.dataDir, 'temporal-server.log'), 'a');
  const child: ChildProcess = spawn(cachedTemporalPaths().temporalCli, args, { stdio: ['ignore', logFile, logFile] });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 60_000;
  while (!(await portOpen(port))) {
    if (exited) throw new Error(`Temporal dev server dừng khi khởi động; xem ${path.join(config.dataDir, 'temporal-server.log')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('Temporal dev server không trả lời sau 60 giây.');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`Temporal dev server: 127.0.0.1:${port}`);
  return {
    address: `127.0.0.1:${port}`,
    uiUrl: uiPort > 0 ? `http://127.0.0.1:${uiPort}` : undefined,
    async stop() {
      if (exited) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    },
  };
}
