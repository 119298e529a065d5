import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DondocConfig } from '../config';

/**
 * The secret that signs action links: DONDOC_LINK_SECRET when set; on the embedded setup, a random secret made
 * once and kept in the data folder (mode 0600) so links stay valid across restarts. Never logged.
 */
export function resolveLinkSecret(config: DondocConfig): string {
  if (config.links.secret) return config.links.secret;
  const file = path.join(config.dataDir, 'link-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(config.dataDir, { recursive: true });
    const secret = crypto.randomBytes(48).toString('base64url');
    try {
      fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      return fs.readFileSync(file, 'utf8').trim(); // another process made it first
    }
  }
}
