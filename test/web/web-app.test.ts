/**
 * The web app without Temporal (fastify inject): sign-in, the outbox, refused links and CSRF are decided
 * before any workflow is asked, so a client that records every use proves nothing was changed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../config';
import { createOutboxMailer } from '../../mail/mailer';
import { labelReportingStatus } from '../../reports/labels';
import { createLinkSigner, type LinkSignInput } from '../../security/links';
import type { PlanReader } from '../../services/plan-store';
import type { TaskRow } from '../../services/tasks';
import { ACTION_FORMS, FormInputError, parseActionFields } from '../../web/action-forms';
import { buildWebApp, type WebDeps } from '../../web/app';
import { escapeHtml, html, STATUS_CSS } from '../../web/html';
import { createCsrfToken, createSessionValue, readSessionValue, type SessionClaims } from '../../web/session';
import { createMemorySessionStore } from '../../web/session-store';
import { renderTimelineSvg } from '../../web/timeline-svg';
import { recordingClient } from '../helpers/recording-client';

// fastify's inject (light-my-request) requires the ESM-only `cookie` 2 package, which jest's CommonJS runtime
// cannot load; the one function it uses is given here. The app itself does not use `cookie`.
jest.mock('cookie', () => ({
  stringifySetCookie: (c: { name: string; value: string }): string => `${c.name}=${encodeURIComponent(c.value)}`,
}));

const SECRET = 'web-test-secret-web-test-secret-0123456789';
const NOW = Date.parse('2026-11-20T03:00:00Z');
const BOARD_TOKEN = 'board-token-123456';

const tmpDirs: string[] = [];
function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-web-'));
  tmpDirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

/** No plan imported (the plans' workflows are read through the client, which these tests may not use). */
const NO_PLANS: PlanReader = {
  list: () => Promise.resolve([]),
  get: () => Promise.resolve(undefined),
  agencyName: () => Promise.resolve(undefined),
  resolve: () => undefined,
};

async function makeApp(
  env: Record<string, string> = {},
  overrides: Partial<WebDeps> = {},
): Promise<{ app: FastifyInstance; uses: string[]; dataDir: string }> {
  const dataDir = tmpDir();
  const { client, uses } = recordingClient();
  const config = loadConfig({ DONDOC_LINK_SECRET: SECRET, DONDOC_DATA_DIR: dataDir, ...env });
  const app = await buildWebApp({
    client,
    config,
    linkSecret: SECRET,
    dataDir,
    outboxDir: path.join(dataDir, 'outbox'),
    now: () => NOW,
    plans: NO_PLANS,
    sessions: createMemorySessionStore(() => NOW),
    log: () => undefined,
    ...overrides,
  });
  return { app, uses, dataDir };
}

const signer = createLinkSigner(SECRET);
const linkInput = (over: Partial<LinkSignInput> = {}): LinkSignInput => ({
  p: 'plan-x',
  w: 'dondoc:plan-x:1:so-tu-phap',
  c: 0,
  a: 'mttq-tinh',
  k: 'confirm',
  exp: NOW / 1000 + 3600,
  ...over,
});

describe('HTML helpers', () => {
  it('escapes every interpolated value and keeps nested safe markup', () => {
    const evil = `<script>alert("x")</script>&'`;
    expect(escapeHtml(evil)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    const inner = html`<b>${evil}</b>`;
    expect(html`<p>${inner}${[evil]}</p>`.html).toBe(`<p><b>${escapeHtml(evil)}</b>${escapeHtml(evil)}</p>`);
  });
});

describe('session and CSRF values', () => {
  it('accepts its own session until expiry, and refuses after expiry, with another board token or altered', () => {
    const claims: SessionClaims = { subject: { kind: 'operator' }, epoch: 0, allEpoch: 0, exp: NOW / 1000 + 60 };
    const v = createSessionValue(SECRET, claims, BOARD_TOKEN);
    expect(readSessionValue(SECRET, v, NOW, BOARD_TOKEN)).toEqual(claims);
    expect(readSessionValue(SECRET, v, NOW + 61_000, BOARD_TOKEN)).toBeUndefined();
    expect(readSessionValue(SECRET, v, NOW, 'another-board-token')).toBeUndefined();
    expect(readSessionValue(SECRET, v, NOW, undefined)).toBeUndefined();
    expect(
      readSessionValue(
        SECRET,
        v.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
        NOW,
        BOARD_TOKEN,
      ),
    ).toBeUndefined();
    // An agency session cannot be turned into another agency's by editing its claims.
    const agency = createSessionValue(SECRET, { ...claims, subject: { kind: 'agency', agencyId: 'so-tu-phap' } });
    expect(readSessionValue(SECRET, agency, NOW, BOARD_TOKEN)?.subject).toEqual({
      kind: 'agency',
      agencyId: 'so-tu-phap',
    });
    const [body, sig] = agency.split('.') as [string, string];
    const edited = Buffer.from(
      Buffer.from(body, 'base64url').toString('utf8').replace('so-tu-phap', 'ubnd-tinh'),
      'utf8',
    ).toString('base64url');
    expect(readSessionValue(SECRET, `${edited}.${sig}`, NOW, BOARD_TOKEN)).toBeUndefined();
  });
});

describe('action forms', () => {
  it('drops an actor given in the body, requires reasons and checks dates', () => {
    const dispute = ACTION_FORMS.dispute;
    expect(parseActionFields(dispute, { reason: ' thiếu số liệu ', actor: { agencyId: 'ubnd-tinh' } })).toEqual({
      reason: 'thiếu số liệu',
    });
    expect(() => parseActionFields(dispute, { reason: '   ' })).toThrow(FormInputError);
    const ext = ACTION_FORMS.request_extension;
    expect(() => parseActionFields(ext, { newDue: '2026-02-30', reason: 'x' })).toThrow(/Thời hạn mới đề nghị/);
    expect(parseActionFields(ext, { newDue: '2026-12-31', reason: 'Chờ số liệu' })).toEqual({
      newDue: '2026-12-31',
      reason: 'Chờ số liệu',
    });
    const submit = ACTION_FORMS.submit;
    expect(parseActionFields(submit, { summary: 'Xong', evidenceUrl: '', documentDate: '' })).toEqual({
      summary: 'Xong',
    });
    expect(() => parseActionFields(submit, { summary: 'Xong', evidenceUrl: 'javascript:alert(1)' })).toThrow(
      /đường dẫn/,
    );
  });
});

describe('timeline picture', () => {
  const row = (ref: string, due: string | null, status: TaskRow['status']): TaskRow => ({
    workflowId: `w-${ref}`,
    planId: 'p',
    taskKey: ref,
    taskRef: ref,
    title: 't',
    leadId: 'a',
    leadName: 'Sở <A>',
    agencies: ['a'],
    state: 'in_progress',
    status,
    due,
    running: true,
  });
  it('draws one dot per dated task in its status colour, with month ticks and escaped labels', () => {
    const svg = renderTimelineSvg(
      [
        row('1<x>', '2026-12-15', 'due_soon'),
        row('2', '2027-02-01', 'in_progress_overdue'),
        row('3', null, 'not_started'),
      ],
      '2026-11-20',
      'vi',
    );
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg).toContain(`fill="${STATUS_CSS.due_soon.dot}"`);
    expect(svg).toContain(`fill="${STATUS_CSS.in_progress_overdue.dot}"`);
    expect(svg).not.toContain('<x>');
    expect(svg).toContain('Sở &lt;A&gt;');
    // November 2026 to February 2027: four month labels.
    for (const m of ['11/2026', '12/2026', '1/2027', '2/2027']) expect(svg).toContain(`>${m}<`);
    expect(svg).toContain(labelReportingStatus('due_soon', 'vi'));
    expect(renderTimelineSvg([row('3', null, 'not_started')], '2026-11-20', 'vi')).toBe('');
  });
});

describe('board without sign-in configured', () => {
  it('lists imported plans in Vietnamese with the open-board banner, and switches to English with a cookie', async () => {
    // The plans as the plans' workflows give them (services/plan-store.ts); this client may not be used at all.
    const plans: PlanReader = {
      list: () => Promise.resolve([{ id: 'ke-hoach-a', number: '12/KH-UBND', title: 'Kế hoạch <thử>' }]),
      get: () => Promise.resolve(undefined),
      agencyName: () => Promise.resolve(undefined),
      resolve: () => undefined,
    };
    const { app } = await makeApp({}, { plans });
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html; charset=utf-8/);
    expect(res.body).toContain('<html lang="vi">');
    expect(res.body).toContain('<meta charset="utf-8">');
    expect(res.body).toContain('width=device-width, initial-scale=1');
    expect(res.body).toContain('Bảng theo dõi đang mở không cần đăng nhập (cấu hình DONDOC_BOARD_TOKEN)');
    expect(res.body).toContain('href="/plans/ke-hoach-a"');
    expect(res.body).toContain('Kế hoạch &lt;thử&gt;');
    const en = await app.inject({ method: 'GET', url: '/?lang=en' });
    expect(en.body).toContain('<html lang="en">');
    const langCookie = en.cookies.find((c) => c.name === 'dondoc_lang');
    expect(langCookie?.value).toBe('en');
    const again = await app.inject({ method: 'GET', url: '/', cookies: { dondoc_lang: 'en' } });
    expect(again.body).toContain('The board is open without sign-in');
    await app.close();
  });

  it('refuses a plan id that is not a slug and a bad filter with clear pages', async () => {
    const { app, uses } = await makeApp();
    const res = await app.inject({ method: 'GET', url: '/plans/..%2Fsecret' });
    expect(res.statusCode).toBe(404);
    const bad = await app.inject({ method: 'GET', url: '/api/plans/ke-hoach-a/tasks?status=unknown' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ ok: false });
    expect(uses).toEqual([]);
    await app.close();
  });
});

describe('sign-in (DONDOC_BOARD_TOKEN set)', () => {
  it('redirects the board to /login, refuses a wrong token and lets the right one in with a strict HttpOnly cookie', async () => {
    const { app } = await makeApp({ DONDOC_BOARD_TOKEN: BOARD_TOKEN });
    const first = await app.inject({ method: 'GET', url: '/' });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/login');
    expect((await app.inject({ method: 'GET', url: '/outbox' })).statusCode).toBe(303);
    expect((await app.inject({ method: 'GET', url: '/api/plans/x/tasks' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/plans/x/report.xlsx' })).statusCode).toBe(401);

    const wrong = await app.inject({ method: 'POST', url: '/login', payload: { token: 'not-the-token-xx' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('Mã truy cập không đúng');
    expect(wrong.cookies.find((c) => c.name === 'dondoc_session')).toBeUndefined();

    const right = await app.inject({ method: 'POST', url: '/login', payload: { token: BOARD_TOKEN } });
    expect(right.statusCode).toBe(303);
    const session = right.cookies.find((c) => c.name === 'dondoc_session');
    expect(session).toBeDefined();
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    expect(session?.value).not.toContain(BOARD_TOKEN);
    const board = await app.inject({ method: 'GET', url: '/', cookies: { dondoc_session: session!.value } });
    expect(board.statusCode).toBe(200);
    expect(board.body).not.toContain('đang mở không cần đăng nhập');
    const forged = await app.inject({
      method: 'GET',
      url: '/',
      cookies: { dondoc_session: `${NOW / 1000 + 3600}.AAAA` },
    });
    expect(forged.statusCode).toBe(303);
    await app.close();
  });

  it('never asks sign-in on action links', async () => {
    const { app } = await makeApp({ DONDOC_BOARD_TOKEN: BOARD_TOKEN });
    const res = await app.inject({ method: 'GET', url: `/a/${signer.sign(linkInput({ exp: NOW / 1000 - 10 }))}` });
    expect(res.statusCode).toBe(410);
    await app.close();
  });
});

describe('outbox', () => {
  it('lists a message and shows it decoded as a mail client would, with action links hidden on an open board', async () => {
    const { app, dataDir } = await makeApp();
    const outbox = path.join(dataDir, 'outbox');
    const mailer = createOutboxMailer(outbox);
    const link = `http://localhost:3000/a/${signer.sign(linkInput())}`;
    await mailer.send({
      messageId: '<digest-1@dondoc>',
      from: 'dondoc <dondoc@example.gov.vn>',
      to: ['mttq@example.gov.vn'],
      subject: 'Đề nghị xác nhận kết quả nhiệm vụ 1.1',
      // Long Vietnamese lines: the file holds them quoted-printable; the page must show them decoded.
      text: `Xin chào Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, đề nghị xác nhận phần phối hợp của quý cơ quan trước ngày 30/11/2026.\nXác nhận: ${link}\nTài liệu: https://example.gov.vn/tai-lieu`,
      html: `<p>Xin chào <a href="${link}">Xác nhận</a></p>`,
      date: new Date('2026-11-20T02:00:00Z'),
      attachments: [],
    });
    mailer.close();
    const file = fs.readdirSync(outbox).find((f) => f.endsWith('.eml'))!;
    expect(fs.readFileSync(path.join(outbox, file), 'utf8')).toMatch(/=\r?\n|=C3|=E1/);
    const list = await app.inject({ method: 'GET', url: '/outbox' });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Đề nghị xác nhận kết quả nhiệm vụ 1.1');
    expect(list.body).toContain('mttq@example.gov.vn');
    expect(list.body).toContain('20/11/2026 09:00');
    expect(list.body).toContain(`href="/outbox/${encodeURIComponent(file)}"`);
    const shown = await app.inject({ method: 'GET', url: `/outbox/${encodeURIComponent(file)}` });
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['content-type']).toMatch(/^text\/html/);
    expect(shown.body).toContain('Xin chào Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, đề nghị xác nhận phần phối hợp');
    expect(shown.body).not.toMatch(/=C3|=E1|quoted-printable/);
    expect(shown.body).not.toContain('/a/');
    expect(shown.body).toContain('[liên kết đã ẩn]');
    expect(shown.body).toContain('href="https://example.gov.vn/tai-lieu"');
    await app.close();
  });

  it('serves only regular .eml files directly inside the folder: no traversal, no symbolic link', async () => {
    const { app, dataDir } = await makeApp();
    const outbox = path.join(dataDir, 'outbox');
    fs.mkdirSync(outbox, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'secret.eml'), 'Subject: bí mật\r\n\r\nmật khẩu');
    fs.symlinkSync(path.join(dataDir, 'secret.eml'), path.join(outbox, 'link.eml'));
    fs.mkdirSync(path.join(outbox, 'dir.eml'));
    for (const bad of ['..%2Fsecret.eml', '%2E%2E%2Fsecret.eml', '.tmp-1.eml', 'secret.txt', 'link.eml', 'dir.eml']) {
      const res = await app.inject({ method: 'GET', url: `/outbox/${bad}` });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('mật khẩu');
    }
    const list = await app.inject({ method: 'GET', url: '/outbox' });
    expect(list.body).not.toContain('link.eml');
    expect(list.body).not.toContain('bí mật');
    await app.close();
  });

  it('says mail goes through SMTP when there is no outbox', async () => {
    const { app } = await makeApp({}, { outboxDir: undefined });
    const res = await app.inject({ method: 'GET', url: '/outbox' });
    expect(res.body).toContain('Thư được gửi qua SMTP');
    await app.close();
  });
});

describe('refused links and CSRF change nothing', () => {
  const good = signer.sign(linkInput());
  const [body, sig] = good.split('.') as [string, string];
  const forged = `${body}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
  const tamperedBody = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString('utf8')), a: 'ubnd-tinh' }),
  ).toString('base64url');
  const tampered = `${tamperedBody}.${sig}`;
  const expired = signer.sign(linkInput({ exp: NOW / 1000 - 1 }));
  const cases: [string, string, number, string][] = [
    ['forged signature', forged, 403, 'Liên kết không hợp lệ'],
    ['tampered payload', tampered, 403, 'Liên kết không hợp lệ'],
    ['expired', expired, 410, 'Liên kết đã hết hạn'],
    ['malformed', 'not-a-token', 403, 'Liên kết không hợp lệ'],
  ];

  it.each(cases)(
    '%s: GET, POST and API refuse with the right status without asking Temporal',
    async (_n, token, status, title) => {
      const { app, uses } = await makeApp();
      const get = await app.inject({ method: 'GET', url: `/a/${token}` });
      expect(get.statusCode).toBe(status);
      expect(get.body).toContain(title);
      expect(get.body).toContain('Không có thay đổi nào được thực hiện.');
      const post = await app.inject({
        method: 'POST',
        url: `/a/${token}`,
        payload: { csrf: createCsrfToken(SECRET, token), note: 'x' },
      });
      expect(post.statusCode).toBe(status);
      const api = await app.inject({ method: 'POST', url: `/api/actions/${token}`, payload: { note: 'x' } });
      expect(api.statusCode).toBe(status);
      expect(api.json()).toMatchObject({ ok: false });
      expect(uses).toEqual([]);
      await app.close();
    },
  );

  it('a POST without or with a wrong CSRF token is refused with 403 before the workflow is asked', async () => {
    const { app, uses } = await makeApp();
    const none = await app.inject({ method: 'POST', url: `/a/${good}`, payload: { note: 'x' } });
    expect(none.statusCode).toBe(403);
    expect(none.body).toContain('Biểu mẫu không hợp lệ');
    const other = await app.inject({
      method: 'POST',
      url: `/a/${good}`,
      payload: { note: 'x', csrf: createCsrfToken(SECRET, expired) },
    });
    expect(other.statusCode).toBe(403);
    const api = await app.inject({
      method: 'POST',
      url: `/api/actions/${good}`,
      payload: 'note=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(api.statusCode).toBe(415);
    expect(uses).toEqual([]);
    await app.close();
  });

  it('keeps the token out of the Referer and forbids framing', async () => {
    const { app } = await makeApp();
    const res = await app.inject({ method: 'GET', url: `/a/${expired}` });
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBe('DENY');
    await app.close();
  });
});

describe('health endpoints', () => {
  it('/healthz says the process is up; /readyz answers 503 with the reason when Temporal does not answer', async () => {
    const { app } = await makeApp();
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ ready: false, temporal: 'unreachable', database: 'not used' });
    await app.close();
  });
});
