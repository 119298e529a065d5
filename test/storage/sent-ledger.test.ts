import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEmailActivities } from '../../activities/email-activities';
import type { SentInfo } from '../../mail/ledger';
import { createOutboxMailer, listOutbox } from '../../mail/mailer';
import { createLinkSigner } from '../../security/links';
import { makeItem } from '../mail/fixtures';
import { createPool, type Pool } from '../../storage/postgres';
import { migrate } from '../../storage/migrations';
import { createPostgresLedger, createSentLedger, SENT_LEDGER_MIGRATIONS } from '../../storage/sent-ledger';
import { startTestPostgres, type TestPostgres } from './postgres-harness';

jest.setTimeout(120_000);

let pg: TestPostgres;
const pools: Pool[] = [];
let dbCounter = 0;

/** A fresh database and `n` independent pools on it (separate connections, as separate worker processes have). */
async function freshPools(n: number): Promise<Pool[]> {
  dbCounter += 1;
  const url = await pg.createDatabase(`ledger_${dbCounter}`);
  const created = Array.from({ length: n }, () => createPool(url, { max: 4, connectionTimeoutMillis: 3_000 }));
  pools.push(...created);
  return created;
}

const info = (messageId: string, to = ['ubnd.xa@example.vn']): SentInfo => ({
  messageId,
  to,
  accepted: to,
  sentAt: '2026-03-02T01:00:00.000Z',
  response: '250 2.0.0 Ok: queued',
});

beforeAll(async () => {
  pg = await startTestPostgres();
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
  await pg?.dispose();
});

describe('PostgreSQL mail ledger', () => {
  it('gives a key to exactly one of many concurrent claimers from separate connections', async () => {
    const clients = (await freshPools(8)).map((pool) => createPostgresLedger(pool));
    const keys = Array.from(
      { length: 25 },
      (_, i) => `digest:so-gtvt:chu-tri:2026-03-${String(i + 1).padStart(2, '0')}`,
    );
    // Every client claims every key at once (two attempts each), including the very first use that creates the table.
    const results = await Promise.all(
      keys.map((key) => Promise.all(clients.flatMap((ledger) => [ledger.claim(key), ledger.claim(key)]))),
    );
    for (const forKey of results) {
      expect(forKey.filter((r) => r === 'new')).toHaveLength(1);
      expect(forKey.filter((r) => r === 'claimed')).toHaveLength(forKey.length - 1);
    }
  });

  it('records delivery: get, claim after send, markSent again, markSent without a claim', async () => {
    const [pool] = await freshPools(1);
    const ledger = createPostgresLedger(pool!);
    const key = 'digest:ubnd-xã-ea-kao:phối-hợp:2026-03-02';
    expect(await ledger.get(key)).toBeUndefined();
    expect(await ledger.claim(key)).toBe('new');
    expect(await ledger.get(key)).toBeUndefined();
    expect(await ledger.claim(key)).toBe('claimed');

    const sent = info('<d-1@dondoc>', ['văn.thư@ubnd.example.vn', 'b@example.vn']);
    await ledger.markSent(key, sent);
    expect(await ledger.get(key)).toEqual(sent);
    expect(await ledger.claim(key)).toBe('sent');

    await ledger.markSent(key, { ...sent, response: '250 again' });
    expect((await ledger.get(key))?.response).toBe('250 again');
    expect(await ledger.claim(key)).toBe('sent');

    await ledger.markSent('never-claimed', info('<d-2@dondoc>'));
    expect(await ledger.claim('never-claimed')).toBe('sent');
    expect(await ledger.get('other')).toBeUndefined();
  });

  it('another connection sees what one recorded', async () => {
    const [a, b] = (await freshPools(2)).map((pool) => createPostgresLedger(pool));
    expect(await a!.claim('shared')).toBe('new');
    expect(await b!.claim('shared')).toBe('claimed');
    await a!.markSent('shared', info('<shared@dondoc>'));
    expect(await b!.claim('shared')).toBe('sent');
    expect((await b!.get('shared'))?.messageId).toBe('<shared@dondoc>');
  });

  it('creates its table once, however many processes start together', async () => {
    const created = await freshPools(5);
    const applied = await Promise.all(created.map((pool) => migrate(pool, SENT_LEDGER_MIGRATIONS)));
    expect(applied.flat()).toEqual(['mail-ledger-1']);
    expect(await migrate(created[0]!, SENT_LEDGER_MIGRATIONS)).toEqual([]);
    const { rows } = await created[0]!.query<{ id: string }>('SELECT id FROM dondoc_migrations');
    expect(rows.map((r) => r.id)).toEqual(['mail-ledger-1']);
  });

  it('fails while PostgreSQL is down, then works again on the same pool after it restarts, data kept', async () => {
    const [pool] = await freshPools(1);
    const ledger = createPostgresLedger(pool!);
    expect(await ledger.claim('before-restart')).toBe('new');
    await ledger.markSent('sent-before-restart', info('<kept@dondoc>'));

    await pg.stop();
    try {
      const started = Date.now();
      await expect(ledger.claim('during-outage')).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await pg.start();
    }

    expect(await ledger.claim('before-restart')).toBe('claimed');
    expect(await ledger.claim('sent-before-restart')).toBe('sent');
    expect((await ledger.get('sent-before-restart'))?.messageId).toBe('<kept@dondoc>');
    expect(await ledger.claim('during-outage')).toBe('new');
  });
});

describe('createSentLedger', () => {
  it('uses PostgreSQL when DONDOC_DATABASE_URL is set, and never shows the password', async () => {
    dbCounter += 1;
    const url = await pg.createDatabase(`ledger_${dbCounter}`);
    const password = new URL(url).password;
    const store = createSentLedger({ database: { url }, dataDir: '/nonexistent' });
    try {
      expect(store.kind).toBe('postgres');
      expect(store.location).not.toContain(password);
      expect(store.location).toMatch(/^127\.0\.0\.1:\d+\/ledger_\d+$/);
      expect(await store.claim('k')).toBe('new');
      expect(await store.claim('k')).toBe('claimed');
    } finally {
      await store.close();
    }
  });

  it('uses files under the data folder otherwise', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-ledger-file-'));
    try {
      const store = createSentLedger({ database: { url: undefined }, dataDir });
      expect(store.kind).toBe('file');
      expect(store.location).toBe(path.join(dataDir, 'mail-ledger'));
      expect(await store.claim('k')).toBe('new');
      expect(fs.readdirSync(store.location).some((f) => f.endsWith('.claim'))).toBe(true);
      await store.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('two worker hosts, nothing shared on disk', () => {
  const input = {
    digestId: 'digest:so-tu-phap:focal:2019-09-23',
    recipient: { agencyId: 'so-tu-phap', role: 'focal' as const },
    localDate: '2019-09-23',
    items: [makeItem('reminder')],
  };

  /** A worker host: its own data folder and outbox, the ledger its configuration asks for. */
  function host(url: string | undefined) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-host-'));
    const store = createSentLedger({ database: { url }, dataDir });
    const outbox = path.join(dataDir, 'outbox');
    const activities = createEmailActivities({
      mailer: createOutboxMailer(outbox),
      recipients: {
        resolve: (agencyId, role) => ({ name: role, agencyName: agencyId, email: 'pbgdpl@stp.example.gov.vn' }),
      },
      ledger: store,
      links: createLinkSigner('two-hosts-secret-two-hosts-secret-0123'),
      config: {
        from: 'dondoc <dondoc@stp.example.gov.vn>',
        publicUrl: 'https://dondoc.example.gov.vn',
        language: 'vi',
        linkTtlDays: 14,
        timeZone: 'Asia/Ho_Chi_Minh',
      },
      now: () => new Date('2019-09-23T01:30:00.000Z'),
    });
    const sent = (): Promise<unknown[]> => listOutbox(outbox).catch(() => []);
    const dispose = async (): Promise<void> => {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
    return { activities, sent, dispose };
  }

  it('the delivery retried on the other host sends nothing when DONDOC_DATABASE_URL is set; with files it sends twice', async () => {
    dbCounter += 1;
    const url = await pg.createDatabase(`ledger_${dbCounter}`);
    const [a, b] = [host(url), host(url)];
    const [fa, fb] = [host(undefined), host(undefined)];
    try {
      // The activity runs on host A, then Temporal retries it on host B (A's answer was lost, say).
      expect((await a.activities.deliverDigest(input)).status).toBe('sent');
      expect((await b.activities.deliverDigest(input)).status).toBe('already_sent');
      expect([(await a.sent()).length, (await b.sent()).length]).toEqual([1, 0]);
      // The same with the file ledger of each host's own data folder: the second host sends the digest again.
      expect((await fa.activities.deliverDigest(input)).status).toBe('sent');
      expect((await fb.activities.deliverDigest(input)).status).toBe('sent');
    } finally {
      for (const h of [a, b, fa, fb]) await h.dispose();
    }
  });
});
