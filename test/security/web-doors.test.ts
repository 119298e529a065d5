/**
 * The web as an outsider attacks it, without Temporal: every refusal here is decided before a workflow is asked,
 * so a client that records any use proves that nothing was read or changed. Each case names the attack of issue
 * #17 it replays and the refusal expected.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig } from '../../config';
import { createOutboxMailer } from '../../mail/mailer';
import type { Mailer, OutgoingMail } from '../../mail/types';
import type { DirectoryFile } from '../../plans/schema';
import { createLinkSigner, type LinkSignInput } from '../../security/links';
import type { PlanReader, PlanRecord } from '../../services/plan-store';
import { buildWebApp, type WebDeps } from '../../web/app';
import { checkWebExposure, webStartupWarnings } from '../../web/exposure';
import { createCsrfToken, createSignInToken, readSignInToken } from '../../web/session';
import { createMemorySessionStore, type SessionStore } from '../../web/session-store';
import { recordingClient } from '../helpers/recording-client';

// light-my-request needs the ESM-only `cookie` package, which jest's CommonJS runtime cannot load (see web-app.test).
jest.mock('cookie', () => ({
  stringifySetCookie: (c: { name: string; value: string }): string => `${c.name}=${encodeURIComponent(c.value)}`,
}));

const SECRET = 'security-test-secret-0123456789-abcdefgh';
const NOW = Date.parse('2026-11-20T03:00:00Z');
const BOARD_TOKEN = 'operator-token-123456';
const LEAD_EMAIL = 'tuphap@example.gov.vn';

const directory = {
  agencies: [
    {
      id: 'so-tu-phap',
      name: 'Sở Tư pháp',
      aliases: [],
      level: 'department',
      contacts: { focal: { email: LEAD_EMAIL } },
    },
    {
      id: 'ubnd-tinh',
      name: 'UBND tỉnh',
      aliases: [],
      level: 'province',
      contacts: { head: { email: 'ubnd@example.gov.vn' } },
    },
  ],
} as unknown as DirectoryFile;

const PLANS: PlanReader = {
  list: () => Promise.resolve([{ id: 'ke-hoach-a', number: '1/KH', title: 'Kế hoạch A' }]),
  get: (id) =>
    Promise.resolve(
      id === 'ke-hoach-a'
        ? ({
            plan: { id, number: '1/KH', title: 'Kế hoạch A' },
            directory,
            version: 1,
            importedAt: '',
          } as unknown as PlanRecord)
        : undefined,
    ),
  agencyName: (id) => Promise.resolve(directory.agencies.find((a) => a.id === id)?.name),
  resolve: () => undefined,
};

const tmp: string[] = [];
afterAll(() => {
  for (const d of tmp) fs.rmSync(d, { recursive: true, force: true });
});

interface Harness {
  app: FastifyInstance;
  uses: string[];
  logs: string[];
  sent: OutgoingMail[];
  sessions: SessionStore;
  dataDir: string;
}

async function harness(env: Record<string, string> = {}, over: Partial<WebDeps> = {}): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-sec-'));
  tmp.push(dataDir);
  const { client, uses } = recordingClient();
  const logs: string[] = [];
  const sent: OutgoingMail[] = [];
  const mailer: Mailer = {
    send: (m: OutgoingMail) => {
      sent.push(m);
      return Promise.resolve({ messageId: m.messageId, accepted: m.to, rejected: [], response: '250' });
    },
    close: () => undefined,
  };
  const sessions = createMemorySessionStore(() => NOW);
  const app = await buildWebApp({
    client,
    config: loadConfig({ DONDOC_LINK_SECRET: SECRET, DONDOC_DATA_DIR: dataDir, ...env }),
    linkSecret: SECRET,
    dataDir,
    outboxDir: path.join(dataDir, 'outbox'),
    now: () => NOW,
    plans: PLANS,
    sessions,
    mailer,
    log: (l) => logs.push(l),
    limits: { signinFailures: 5, tokenFailures: 10, windowMs: 60_000 },
    ...over,
  });
  return { app, uses, logs, sent, sessions, dataDir };
}

const form = (fields: Record<string, string>): { payload: string; headers: Record<string, string> } => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

const signer = createLinkSigner(SECRET);
const link = (over: Partial<LinkSignInput> = {}): string =>
  signer.sign({
    p: 'ke-hoach-a',
    w: 'dondoc:ke-hoach-a:1:so-tu-phap',
    c: 0,
    a: 'so-tu-phap',
    k: 'submit',
    exp: NOW / 1000 + 3600,
    ...over,
  });

/** The four strings whose base64url decodes to the same signature (the last character's two unused bits). */
function spellings(token: string): string[] {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(token.slice(-1));
  const base = last & ~3;
  return [0, 1, 2, 3].map((i) => token.slice(0, -1) + alphabet[base + i]);
}

describe('attack: open board + outbox (anyone acts for anyone)', () => {
  it('an open board hides every action link of the outbox, in the list and in the message', async () => {
    const h = await harness();
    const outbox = path.join(h.dataDir, 'outbox');
    const mailer = createOutboxMailer(outbox);
    const url = `http://localhost:3000/a/${link({ k: 'accept', a: 'ubnd-tinh' })}`;
    await mailer.send({
      messageId: '<m1@dondoc>',
      from: 'dondoc <dondoc@example.gov.vn>',
      to: ['ubnd@example.gov.vn'],
      subject: 'Đề nghị nghiệm thu',
      text: `Nghiệm thu: ${url}`,
      html: `<a href="${url}">Nghiệm thu</a>`,
      date: new Date(NOW),
      attachments: [],
    });
    mailer.close();
    const list = await h.app.inject({ method: 'GET', url: '/outbox' });
    const file = /href="\/outbox\/([^"]+)"/.exec(list.body)![1]!;
    const shown = await h.app.inject({ method: 'GET', url: `/outbox/${file}` });
    for (const body of [list.body, shown.body]) expect(body).not.toMatch(/\/a\/[A-Za-z0-9_-]+\./);
    expect(shown.body).toContain('[liên kết đã ẩn]');
    expect(h.uses).toEqual([]);
    await h.app.close();
  });

  it('with sign-in configured, the outbox needs the operator: anonymous is sent to sign-in, an agency is refused', async () => {
    const h = await harness({ DONDOC_BOARD_TOKEN: BOARD_TOKEN });
    expect((await h.app.inject({ method: 'GET', url: '/outbox' })).statusCode).toBe(303);
    const agency = await signInAgency(h);
    const refused = await h.app.inject({ method: 'GET', url: '/outbox', cookies: { dondoc_session: agency } });
    expect(refused.statusCode).toBe(403);
    await h.app.close();
  });

  it('a public URL or listening address that is not loopback requires sign-in (ConfigError: exit 2)', async () => {
    const base = { DONDOC_LINK_SECRET: SECRET };
    expect(() => checkWebExposure(loadConfig({ ...base, DONDOC_PUBLIC_URL: 'https://dondoc.example.gov.vn' }))).toThrow(
      /DONDOC_BOARD_TOKEN: địa chỉ công khai https:\/\/dondoc\.example\.gov\.vn/,
    );
    expect(() => checkWebExposure(loadConfig({ ...base, DONDOC_WEB_HOST: '0.0.0.0' }))).toThrow(ConfigError);
    await expect(harness({ DONDOC_PUBLIC_URL: 'http://10.0.0.5:3000' })).rejects.toThrow(ConfigError);
    expect(() =>
      checkWebExposure(
        loadConfig({ ...base, DONDOC_PUBLIC_URL: 'https://dondoc.example.gov.vn', DONDOC_BOARD_TOKEN: BOARD_TOKEN }),
      ),
    ).not.toThrow();
    for (const url of ['http://localhost:3000', 'http://127.0.0.1:8080', 'http://[::1]:3000'])
      expect(() => checkWebExposure(loadConfig({ ...base, DONDOC_PUBLIC_URL: url }))).not.toThrow();
    expect(webStartupWarnings(loadConfig(base)).join('\n')).toContain('CẢNH BÁO: chưa bật đăng nhập');
    expect(webStartupWarnings(loadConfig({ ...base, DONDOC_BOARD_TOKEN: BOARD_TOKEN }))).toEqual([]);
  });
});

describe('attack: sign-in brute force, login CSRF, GET logout, sessions that cannot be revoked', () => {
  it('wrong operator tokens: 401 up to the limit, then 429 with Retry-After (even for the right token), logged without the token', async () => {
    const h = await harness({ DONDOC_BOARD_TOKEN: BOARD_TOKEN });
    const codes: number[] = [];
    for (let i = 0; i < 12; i++)
      codes.push(
        (await h.app.inject({ method: 'POST', url: '/login', ...form({ token: `guess-${i}-xxxxxxxx` }) })).statusCode,
      );
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.slice(6)).toEqual([429, 429, 429, 429, 429, 429]);
    const right = await h.app.inject({ method: 'POST', url: '/login', ...form({ token: BOARD_TOKEN }) });
    expect(right.statusCode).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    expect(right.cookies.find((c) => c.name === 'dondoc_session')).toBeUndefined();
    expect(h.logs.length).toBeGreaterThanOrEqual(5);
    for (const l of h.logs) {
      expect(l).toContain('đăng nhập sai');
      expect(l).not.toMatch(/guess-|operator-token/);
    }
    // Another address is not locked out.
    const other = await h.app.inject({
      method: 'POST',
      url: '/login',
      remoteAddress: '10.9.8.7',
      ...form({ token: BOARD_TOKEN }),
    });
    expect(other.statusCode).toBe(303);
    await h.app.close();
  });

  it('each lock of an address lasts twice as long as the one before (backoff)', async () => {
    const h = await harness(
      { DONDOC_BOARD_TOKEN: BOARD_TOKEN },
      { limits: { signinFailures: 2, tokenFailures: 2, windowMs: 500 } },
    );
    const wrong = (): Promise<number> =>
      h.app.inject({ method: 'POST', url: '/login', ...form({ token: 'wrong-token-xxxx' }) }).then((r) => r.statusCode);
    const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
    expect([await wrong(), await wrong(), await wrong()]).toEqual([401, 401, 429]);
    // First lock: two windows (1,000 ms).
    await sleep(600);
    expect(await wrong()).toBe(429);
    await sleep(700);
    expect([await wrong(), await wrong(), await wrong()]).toEqual([401, 401, 429]);
    // Second lock: four windows (2,000 ms): still locked well after the first had ended.
    await sleep(1300);
    expect(await wrong()).toBe(429);
    await sleep(1100);
    expect(await wrong()).toBe(401);
    await h.app.close();
  });

  it('login from another site is refused (Origin, Sec-Fetch-Site), and no session is set', async () => {
    const h = await harness({ DONDOC_BOARD_TOKEN: BOARD_TOKEN });
    for (const headers of [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site', origin: 'https://other.localhost' },
      { origin: 'null' },
    ]) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/login',
        payload: new URLSearchParams({ token: BOARD_TOKEN }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });
      expect(res.statusCode).toBe(403);
      expect(res.cookies.find((c) => c.name === 'dondoc_session')).toBeUndefined();
    }
    // Same origin: by Origin, or (as Chromium does under no-referrer) `Origin: null` with Sec-Fetch-Site.
    for (const headers of [{ origin: 'http://localhost:3000' }, { origin: 'null', 'sec-fetch-site': 'same-origin' }]) {
      const same = await h.app.inject({
        method: 'POST',
        url: '/login',
        payload: new URLSearchParams({ token: BOARD_TOKEN }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });
      expect(same.statusCode).toBe(303);
    }
    await h.app.close();
  });

  it('logout is a POST with the CSRF token and ends the session server-side (the old cookie stops working)', async () => {
    const h = await harness({ DONDOC_BOARD_TOKEN: BOARD_TOKEN });
    const login = await h.app.inject({ method: 'POST', url: '/login', ...form({ token: BOARD_TOKEN }) });
    const cookie = login.cookies.find((c) => c.name === 'dondoc_session')!.value;
    const ok = (): Promise<number> =>
      h.app.inject({ method: 'GET', url: '/', cookies: { dondoc_session: cookie } }).then((r) => r.statusCode);
    expect(await ok()).toBe(200);
    const page = await h.app.inject({ method: 'GET', url: '/', cookies: { dondoc_session: cookie } });
    expect(page.body).toContain('<form method="post" action="/logout"');
    expect(page.body).toContain(`value="${createCsrfToken(SECRET, cookie)}"`);
    expect(
      (await h.app.inject({ method: 'GET', url: '/logout', cookies: { dondoc_session: cookie } })).statusCode,
    ).toBe(404);
    const noCsrf = await h.app.inject({
      method: 'POST',
      url: '/logout',
      cookies: { dondoc_session: cookie },
      ...form({}),
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(await ok()).toBe(200);
    const out = await h.app.inject({
      method: 'POST',
      url: '/logout',
      cookies: { dondoc_session: cookie },
      ...form({ csrf: createCsrfToken(SECRET, cookie) }),
    });
    expect(out.statusCode).toBe(303);
    // The browser may keep the cookie (or a thief its copy): the server refuses it now.
    expect(await ok()).toBe(303);
    await h.app.close();
  });

  it('the operator revokes one agency’s sessions; an agency cannot revoke', async () => {
    const h = await harness({ DONDOC_BOARD_TOKEN: BOARD_TOKEN });
    const agency = await signInAgency(h);
    // /login sends a signed-in agency on to its tasks, and shows the form to anyone else.
    const asAgency = (): Promise<string | undefined> =>
      h.app
        .inject({ method: 'GET', url: '/login', cookies: { dondoc_session: agency } })
        .then((r) => (r.statusCode === 303 ? String(r.headers.location) : undefined));
    expect(await asAgency()).toBe('/my');
    const refused = await h.app.inject({
      method: 'POST',
      url: '/admin/sessions/revoke',
      cookies: { dondoc_session: agency },
      ...form({ csrf: createCsrfToken(SECRET, agency), agency: 'so-tu-phap' }),
    });
    expect(refused.statusCode).toBe(403);
    const op = (await h.app.inject({ method: 'POST', url: '/login', ...form({ token: BOARD_TOKEN }) })).cookies.find(
      (c) => c.name === 'dondoc_session',
    )!.value;
    const revoked = await h.app.inject({
      method: 'POST',
      url: '/admin/sessions/revoke',
      cookies: { dondoc_session: op },
      ...form({ csrf: createCsrfToken(SECRET, op), agency: 'so-tu-phap' }),
    });
    expect(revoked.statusCode).toBe(200);
    expect(await asAgency()).toBeUndefined();
    await h.app.close();
  });
});

/** Signs the lead agency in through its emailed link; returns the session cookie value. */
async function signInAgency(h: Harness, email = LEAD_EMAIL): Promise<string> {
  const before = h.sent.length;
  const asked = await h.app.inject({ method: 'POST', url: '/signin', ...form({ email }) });
  expect(asked.statusCode).toBe(200);
  const mail = h.sent[before];
  const token = /\/signin\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1];
  expect(token).toBeDefined();
  const res = await h.app.inject({
    method: 'POST',
    url: `/signin/${token}`,
    ...form({ csrf: createCsrfToken(SECRET, token!) }),
  });
  expect(res.statusCode).toBe(303);
  return res.cookies.find((c) => c.name === 'dondoc_session')!.value;
}

describe('attack: agency sign-in links', () => {
  it('the same answer for a registered and an unknown address; a mail only to the registered one', async () => {
    const h = await harness();
    const known = await h.app.inject({ method: 'POST', url: '/signin', ...form({ email: LEAD_EMAIL }) });
    const unknown = await h.app.inject({ method: 'POST', url: '/signin', ...form({ email: 'ke-la@example.com' }) });
    expect(known.statusCode).toBe(200);
    expect(unknown.statusCode).toBe(200);
    const outcome = (b: string): string => /data-outcome="([^"]+)"[^]*?<\/div>/.exec(b)?.[0] ?? '';
    expect(outcome(unknown.body)).toBe(outcome(known.body));
    expect(h.sent.map((m) => m.to)).toEqual([[LEAD_EMAIL]]);
    const bad = await h.app.inject({ method: 'POST', url: '/signin', ...form({ email: '"><script>' }) });
    expect(bad.statusCode).toBe(400);
    await h.app.close();
  });

  it('the sign-in email reads like every other dondoc email: "[dondoc]" subject, closing and footer, in both languages', async () => {
    const h = await harness();
    await h.app.inject({ method: 'POST', url: '/signin', ...form({ email: LEAD_EMAIL }) });
    await h.app.inject({ method: 'POST', url: '/signin?lang=en', ...form({ email: LEAD_EMAIL }) });
    const [vi, en] = h.sent;
    expect(vi!.subject).toBe('[dondoc] Liên kết đăng nhập hệ thống');
    expect(vi!.text).toMatch(/^Kính gửi: quý cơ quan\n/);
    expect(vi!.text).toContain('\nTrân trọng.\n\n--\nThư này được gửi tự động');
    expect(vi!.html).toContain('Trân trọng.');
    expect(vi!.text).toMatch(/- Sở Tư pháp: http\S+\/signin\//);
    expect(en!.subject).toBe('[dondoc] Sign-in link');
    expect(en!.text).toContain('\nKind regards.\n\n--\nThis message was sent automatically');
    expect(en!.text).not.toMatch(/Kính gửi|Trân trọng/);
    await h.app.close();
  });

  it('a sign-in link works once, in its canonical spelling only, and not after it expires; opening it uses nothing', async () => {
    const h = await harness();
    await h.app.inject({ method: 'POST', url: '/signin', ...form({ email: LEAD_EMAIL }) });
    const token = /\/signin\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(h.sent[0]!.text)![1]!;
    const post = (t: string): Promise<number> =>
      h.app
        .inject({ method: 'POST', url: `/signin/${t}`, ...form({ csrf: createCsrfToken(SECRET, t) }) })
        .then((r) => r.statusCode);
    // Opening (as a mail scanner would) twice does not use it up.
    expect((await h.app.inject({ method: 'GET', url: `/signin/${token}` })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: `/signin/${token}` })).body).toContain('Sở Tư pháp');
    for (const other of spellings(token).filter((t) => t !== token)) expect(await post(other)).toBe(403);
    expect(await post(token)).toBe(303);
    expect(await post(token)).toBe(410);
    const claims = readSignInToken(SECRET, token, NOW);
    if (!claims.ok) throw new Error('token does not read');
    const expired = createSignInToken(SECRET, { ...claims.claims, nonce: 'other', exp: NOW / 1000 - 1 });
    expect(await post(expired)).toBe(410);
    // No CSRF token: refused, and the link is still unused for its owner.
    const fresh = createSignInToken(SECRET, { ...claims.claims, nonce: 'fresh' });
    expect((await h.app.inject({ method: 'POST', url: `/signin/${fresh}`, ...form({}) })).statusCode).toBe(403);
    expect(await post(fresh)).toBe(303);
    await h.app.close();
  });

  it('one network address may ask for at most twenty links per quarter hour, whatever the emails', async () => {
    const h = await harness({}, { limits: { signinFailures: 100, tokenFailures: 100, windowMs: 60_000 } });
    const codes: number[] = [];
    for (let i = 0; i < 22; i++)
      codes.push(
        (await h.app.inject({ method: 'POST', url: '/signin', ...form({ email: `dv${i}@example.gov.vn` }) }))
          .statusCode,
      );
    expect(codes.filter((c) => c === 200)).toHaveLength(20);
    const last = await h.app.inject({ method: 'POST', url: '/signin', ...form({ email: LEAD_EMAIL }) });
    expect(last.statusCode).toBe(429);
    expect(last.body).toContain('Tạm dừng gửi liên kết');
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect(h.sent).toHaveLength(0);
    await h.app.close();
  });

  it('one address is sent at most three links per quarter hour', async () => {
    const h = await harness({}, { limits: { signinFailures: 50, tokenFailures: 50, windowMs: 60_000 } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++)
      codes.push((await h.app.inject({ method: 'POST', url: '/signin', ...form({ email: LEAD_EMAIL }) })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    expect(h.sent).toHaveLength(3);
    await h.app.close();
  });
});

describe('attack: bad action tokens, hostile query values, workflows that are not tasks', () => {
  it('repeated bad action tokens from one address are slowed down (429), without asking Temporal', async () => {
    const h = await harness();
    const good = link();
    const codes: number[] = [];
    for (let i = 0; i < 14; i++) codes.push((await h.app.inject({ method: 'GET', url: `/a/${good}x${i}` })).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 403)).toBe(true);
    expect(codes.slice(11)).toEqual([429, 429, 429]);
    expect(h.logs.every((l) => !l.includes(good))).toBe(true);
    expect(h.uses).toEqual([]);
    await h.app.close();
  });

  it.each([
    ['/plans/ke-hoach-a?agency=%22', 400],
    ["/plans/ke-hoach-a?agency=x'%20OR%201=1", 400],
    ['/plans/ke-hoach-a?agency=a&agency=b', 400],
    ['/api/plans/ke-hoach-a/tasks?agency=%22', 400],
    ['/plans/ke-hoach-a?dueFrom=2026-13-45x', 400],
    ['/plans/K%C3%AA-ho%E1%BA%A1ch', 404],
    ['/tasks/dondoc-plan%3Ake-hoach-a', 404],
    ['/tasks/dondoc-digest%3Adondoc%3Aso-tu-phap%3Afocal%3A2026-11-20', 404],
    ['/api/tasks/dondoc-plan%3Ake-hoach-a', 404],
  ])('%s → %d, never 500, Temporal not asked', async (url, status) => {
    const h = await harness();
    const res = await h.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(status);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(h.uses).toEqual([]);
    await h.app.close();
  });
});

describe("attack: fastify's own 400/414/431 skip the app's headers and echo the token", () => {
  let h: Harness;
  let port: number;
  beforeAll(async () => {
    h = await harness();
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    port = (h.app.server.address() as AddressInfo).port;
  });
  afterAll(() => h.app.close());

  /** Sends raw bytes and returns the whole answer. */
  const rawRequest = (request: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
      let out = '';
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(out);
      }, 5000);
      socket.on('data', (d) => (out += d.toString('utf8')));
      socket.on('end', () => {
        clearTimeout(timer);
        resolve(out);
      });
      socket.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });

  it('431: headers too large', async () => {
    const token = link();
    const res = await rawRequest(`GET /a/${token} HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(res).toMatch(/^HTTP\/1\.1 431/);
    expect(res).toContain('X-Content-Type-Options: nosniff');
    expect(res).not.toContain(token);
  });

  it('400: a broken request line', async () => {
    const token = link();
    const res = await rawRequest(`GET /a/${token} HTTP/9.9 junk\r\n\r\n`);
    expect(res).toMatch(/^HTTP\/1\.1 400/);
    expect(res).toContain('Cache-Control: no-store');
    expect(res).not.toContain(token);
  });

  it('414 and 400 from the router and the body parser go through the app: its headers, no echo', async () => {
    const token = link();
    const long = await fetch(`http://127.0.0.1:${port}/a/${token}${'A'.repeat(5000)}`);
    expect(long.status).toBeGreaterThanOrEqual(400);
    expect(long.status).toBeLessThan(500);
    expect(long.headers.get('x-content-type-options')).toBe('nosniff');
    expect(long.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await long.text()).not.toContain(token);
    const badJson = await fetch(`http://127.0.0.1:${port}/api/actions/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"summary": ',
    });
    expect(badJson.status).toBe(400);
    expect(badJson.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await badJson.text()).not.toContain(token);
    const badPath = await fetch(`http://127.0.0.1:${port}/a/%E0%A4%A`);
    expect(badPath.status).toBe(400);
    expect(badPath.headers.get('x-frame-options')).toBe('DENY');
    expect(h.uses).toEqual([]);
  });
});
