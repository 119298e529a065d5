/**
 * The session store of the embedded default (one JSON file in the data folder): revocation epochs and used
 * sign-in links survive a restart, concurrent uses of one key succeed once, and expired keys are forgotten.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ALL_SESSIONS, createFileSessionStore, createMemorySessionStore } from '../../web/session-store';

describe('session stores', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-sessions-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('file: epochs move on and survive a restart; a key is used once even when asked concurrently', async () => {
    let now = 1_000_000;
    const a = createFileSessionStore(dir, () => now);
    expect(await a.epoch('agency:so-tu-phap')).toBe(0);
    expect(await a.revoke('agency:so-tu-phap')).toBe(1);
    expect(await a.revoke(ALL_SESSIONS)).toBe(1);
    const uses = await Promise.all(Array.from({ length: 8 }, () => a.useOnce('signin:n1', now + 60_000)));
    expect(uses.filter(Boolean)).toHaveLength(1);
    await a.close();

    const b = createFileSessionStore(dir, () => now);
    expect(await b.epoch('agency:so-tu-phap')).toBe(1);
    expect(await b.epoch(ALL_SESSIONS)).toBe(1);
    expect(await b.epoch('operator')).toBe(0);
    expect(await b.useOnce('signin:n1', now + 60_000)).toBe(false);
    // Past its expiry the key is forgotten (the token that carried it is refused as expired anyway).
    now += 61_000;
    expect(await b.useOnce('signin:n2', now + 60_000)).toBe(true);
    expect(
      Object.keys((JSON.parse(fs.readFileSync(path.join(dir, 'web-sessions.json'), 'utf8')) as { used: object }).used),
    ).toEqual(['signin:n2']);
    expect(fs.statSync(path.join(dir, 'web-sessions.json')).mode & 0o077).toBe(0);
    await b.close();
  });

  it('memory: the same contract', async () => {
    const m = createMemorySessionStore(() => 0);
    expect(await m.revoke('operator')).toBe(1);
    expect(await m.revoke('operator')).toBe(2);
    expect(await m.useOnce('k', 10)).toBe(true);
    expect(await m.useOnce('k', 10)).toBe(false);
  });
});
