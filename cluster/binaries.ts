/** The Temporal server and its SQL schema tool, built by scripts/setup.sh from the server's Go module. */
import fs from 'node:fs';
import path from 'node:path';
import { ClusterError } from './errors';
import { run, withHeartbeat, type Progress } from './process';

/** The server version the Temporal CLI v1.5.1 embeds; scripts/setup.sh builds the same. */
export const TEMPORAL_SERVER_VERSION = '1.29.1';

const ROOT = path.resolve(__dirname, '..', __dirname.includes(`${path.sep}dist${path.sep}`) ? '..' : '');

export interface TemporalBinaries {
  server: string;
  sql: string;
}

function fromPathsFile(): Partial<TemporalBinaries> {
  const file = path.join(ROOT, '.cache', 'paths.json');
  if (!fs.existsSync(file)) return {};
  const paths = JSON.parse(fs.readFileSync(file, 'utf8')) as { temporalServer?: string; temporalSql?: string };
  return { server: paths.temporalServer, sql: paths.temporalSql };
}

function present(b: Partial<TemporalBinaries>): b is TemporalBinaries {
  return b.server !== undefined && b.sql !== undefined && fs.existsSync(b.server) && fs.existsSync(b.sql);
}

/**
 * The two binaries; when they are missing, runs scripts/setup.sh (which builds them from the Go module proxy, a
 * few minutes the first time) and reports its progress.
 */
export async function ensureTemporalBinaries(progress: Progress): Promise<TemporalBinaries> {
  const found = fromPathsFile();
  if (present(found)) return found;
  const setup = path.join(ROOT, 'scripts', 'setup.sh');
  if (!fs.existsSync(setup))
    throw new ClusterError(`Thiếu máy chủ Temporal và không tìm thấy ${setup} để dựng nó.`, { step: 'binaries' });
  const log = path.join(ROOT, '.cache', 'cluster-setup.log');
  fs.mkdirSync(path.dirname(log), { recursive: true });
  progress(`Dựng máy chủ Temporal v${TEMPORAL_SERVER_VERSION} từ mã nguồn Go (lần đầu: vài phút) — scripts/setup.sh`);
  await withHeartbeat(
    'scripts/setup.sh',
    progress,
    run('bash', [setup], { step: 'scripts/setup.sh', logFile: log, cwd: ROOT }),
  );
  const built = fromPathsFile();
  if (!present(built))
    throw new ClusterError('scripts/setup.sh đã chạy nhưng không có máy chủ Temporal trong .cache/paths.json.', {
      step: 'binaries',
      logFile: log,
    });
  return built;
}
