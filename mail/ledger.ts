/**
 * The sent ledger: how a digest email is never sent twice.
 *
 * HOW IT WORKS
 * `deliverDigest` runs: claim(digestId) → if 'sent', return already_sent without touching SMTP →
 * send with a Message-ID derived only from digestId → markSent(digestId) as soon as the server
 * answers 250 → return. `claim` creates `<hash>.claim` with `open(path, 'wx')` (O_CREAT|O_EXCL: exactly
 * one creator wins, even across processes and hosts on a POSIX-consistent shared file system);
 * `markSent` writes `<hash>.sent` to a temporary file and renames it into place, so a reader sees the
 * whole record or none.
 *
 * WHAT HOLDS ACROSS A CLUSTER
 * Every worker must see the same ledger store: the data folder on shared storage (a shared volume),
 * or an implementation of {@link SentLedger} over the database the deployment already runs (a unique
 * key insert for `claim`, an update for `markSent`). With a per-host folder, two hosts could each
 * claim the same digest.
 *
 * THE REMAINING WINDOW (honest: at-least-once, not exactly-once)
 * SMTP has no transactions with our ledger. If the worker dies after the server answered 250 and
 * before markSent reached the store, the retry finds 'claimed' — it cannot know whether the server
 * got the message — and sends again with the SAME Message-ID. Mail clients and many servers collapse
 * identical Message-IDs, so the reader normally sees one message. The window is a few milliseconds
 * per send. A crash after markSent (before the activity completes) is safe: the retry finds 'sent'
 * and sends nothing.
 *
 * WHY CONCURRENT DUPLICATES CANNOT HAPPEN
 * Temporal runs one digest workflow per (recipient agency, role, local date), with a deterministic
 * workflow id, and that workflow calls deliverDigest once per digestId and waits for it. Temporal
 * never runs two attempts of the same activity at once (a retry starts only after the previous
 * attempt failed or timed out), so the ledger only has to order attempts in time, not arbitrate
 * races — though O_EXCL would arbitrate one anyway.
 */
import { createHash, randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';

/** What the ledger remembers of a sent message. */
export interface SentInfo {
  messageId: string;
  to: string[];
  accepted: string[];
  /** ISO instant of markSent. */
  sentAt: string;
  /** The server's reply. */
  response?: string;
}

export type ClaimResult = 'new' | 'sent' | 'claimed';

/** The never-twice store. Keys are digest ids. */
export interface SentLedger {
  /**
   * 'new': nobody tried this key before, the caller now owns it; 'sent': it was delivered;
   * 'claimed': an earlier attempt claimed it and did not record delivery (it may or may not have sent).
   */
  claim(key: string): Promise<ClaimResult>;
  /** Records delivery. Idempotent: marking again overwrites with the same meaning. */
  markSent(key: string, info: SentInfo): Promise<void>;
  /** The delivery record, or undefined when not (known to be) sent. */
  get(key: string): Promise<SentInfo | undefined>;
}

function fileStem(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * A ledger in a folder (created if missing): `<sha256(key)>.claim` and `<sha256(key)>.sent` files.
 * Safe for many worker processes sharing the folder.
 */
export function createFileLedger(dir: string): SentLedger {
  let ready: Promise<void> | undefined;
  const ensureDir = (): Promise<void> => (ready ??= fs.mkdir(dir, { recursive: true }).then(() => undefined));
  const sentPath = (key: string): string => path.join(dir, `${fileStem(key)}.sent`);
  const claimPath = (key: string): string => path.join(dir, `${fileStem(key)}.claim`);

  async function get(key: string): Promise<SentInfo | undefined> {
    try {
      const raw = await fs.readFile(sentPath(key), 'utf8');
      return JSON.parse(raw) as SentInfo;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`Sổ ghi thư đã gửi hỏng hoặc không đọc được: ${sentPath(key)} (${(err as Error).message}). Kiểm tra thư mục dữ liệu.`);
    }
  }

  return {
    async claim(key) {
      await ensureDir();
      if ((await get(key)) !== undefined) return 'sent';
      let handle: fs.FileHandle;
      try {
        handle = await fs.open(claimPath(key), 'wx');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        return (await get(key)) !== undefined ? 'sent' : 'claimed';
      }
      try {
        await handle.writeFile(JSON.stringify({ key, claimedAt: new Date().toISOString(), pid: process.pid }));
      } finally {
        await handle.close();
      }
      return 'new';
    },

    async markSent(key, info) {
      await ensureDir();
      const temp = path.join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
      await fs.writeFile(temp, JSON.stringify({ key, ...info }));
      await fs.rename(temp, sentPath(key));
    },

    get,
  };
}
