import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/** Where scripts/setup.sh put the Temporal binaries. */
export function temporalPaths(): { temporalCli: string; testServer: string } {
  const file = path.join(ROOT, '.cache/paths.json');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run "npm test" (it runs scripts/setup.sh first)`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as { temporalCli: string; testServer: string };
}
