/**
 * Sessions across several web hosts: with DONDOC_DATABASE_URL the revocation epochs and used sign-in links live in
 * PostgreSQL (a real one, started for the test), so a sign-out or a used link on one host holds on every other.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../config';
import type { PlanReader } from '../../services/plan-store';
import { buildWebApp } from '../../web/app';
import { createCsrfToken } from '../../web/session';
import { ALL_SESSIONS, createPostgresSessionStore } from '../../web/session-store';
import { startTestPostgres, type TestPostgres } from '../storage/postgres-harness';

jest.mock('cookie', () => ({
  stringifySetCookie: (c: { name: string; value: string }): string => `${c.name}=${encodeURIComponent(c.value)}`,
}));
jest.setTimeout(120_000);

const SECRET = 'pg-session-test-secret-0123456789-abcdef';
const BOARD_TOKEN = 'operator-token-pg-12345';
const NO_PLANS: PlanReader = {
  list: () => Promise.resolve([]),
  get: () => Promise.resolve(undefined),
  agencyName: () => Promise.resolve(undefined),
  resolve: () => undefined,
};

let pg: TestPostgres;
let url: string;
const dirs: string[] = [];
beforeAll(async () => {
  pg = await startTestPostgres();
  url = await pg.createDatabase('web_sessions');
});
afterAll(async () => {
  await pg?.dispose();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A web host of its own (own empty data folder), on the shared database. */
async function host(): Promise<FastifyInstance> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-web-host-'));
  dirs.push(dataDir);
  return buildWebApp({
    client: {} as Client,
    config: loadConfig({
      DONDOC_LINK_SECRET: SECRET,
      DONDOC_DATA_DIR: dataDir,
      DONDOC_BOARD_TOKEN: BOARD_TOKEN,
      DONDOC_DATABASE_URL: url,
    }),
    linkSecret: SECRET,
    dataDir,
    outboxDir: undefined,
    plans: NO_PLANS,
    log: () => undefined,
  });
}

describe('PostgreSQL session store', () => {
  it('two stores see the same epochs, and a key is used once across both, even at the same moment', async () => {
    const a = createPostgresSessionStore(url);
    const b = createPostgresSessionStore(url);
    expect(await a.epoch('agency:so-tu-phap')).toBe(0);
    expect(await a.revoke('agency:so-tu-phap')).toBe(1);
    expect(await b.epoch('agency:so-tu-phap')).toBe(1);
    expect(await b.revoke('agency:so-tu-phap')).toBe(2);
    expect(await b.revoke(ALL_SESSIONS)).toBe(1);
    const exp = Date.now() + 60_000;
    const uses = await Promise.all([
      ...Array.from({ length: 5 }, () => a.useOnce('signin:n', exp)),
      ...Array.from({ length: 5 }, () => b.useOnce('signin:n', exp)),
    ]);
    expect(uses.filter(Boolean)).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('a sign-out on host B ends the session opened on host A', async () => {
    const [hostA, hostB] = await Promise.all([host(), host()]);
    const login = await hostA.inject({
      method: 'POST',
      url: '/login',
      payload: `token=${BOARD_TOKEN}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const cookie = login.cookies.find((c) => c.name === 'dondoc_session')!.value;
    const outbox = (h: FastifyInstance): Promise<number> =>
      h.inject({ method: 'GET', url: '/outbox', cookies: { dondoc_session: cookie } }).then((r) => r.statusCode);
    expect([await outbox(hostA), await outbox(hostB)]).toEqual([200, 200]);
    const out = await hostB.inject({
      method: 'POST',
      url: '/logout',
      cookies: { dondoc_session: cookie },
      payload: `csrf=${createCsrfToken(SECRET, cookie)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(out.statusCode).toBe(303);
    expect([await outbox(hostA), await outbox(hostB)]).toEqual([303, 303]);
    // Nothing of it on either host's disk.
    for (const d of dirs) expect(fs.existsSync(path.join(d, 'web-sessions.json'))).toBe(false);
    await Promise.all([hostA.close(), hostB.close()]);
  });
});
