/**
 * End to end on the shared dev server: a real worker, a loopback SMTP server, the web app listening on
 * loopback and headless Chromium. The lead submits through the JSON API, the coordinator's email arrives,
 * its confirm link is opened and used in the browser, and the board shows the new state.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Browser } from 'playwright-core';
import type { TaskSnapshot } from '../../domain/types';
import { TASK_STATE_LABELS } from '../../reports/labels';
import { createLinkSigner, linkActionId, type LinkPayload } from '../../security/links';
import { importPlan } from '../../services/import-plan';
import { actOnTask, getTask } from '../../services/tasks';
import { createCsrfToken } from '../../web/session';
import { isoDay, launchChromium, poll, startWebRig, stopWebRig, vnDate, type WebRig } from '../helpers/web-rig';
import type { SmtpHarness } from '../mail/smtp-harness';

jest.setTimeout(180_000);

const ARTIFACTS = path.join(__dirname, '../../test-artifacts/web');
// Digest workflow ids are per agency and day on the shared dev server: agency ids unique to this run keep
// other test files' digests apart.
const RUN = `${process.pid}-${Date.now().toString(36)}`;
const LEAD = `so-tu-phap-${RUN}`;
const COORD = `mttq-tinh-${RUN}`;
const COORD_EMAIL = 'mttq@example.gov.vn';

describe('web doors end to end (dev server, SMTP, Chromium)', () => {
  let rig: WebRig | undefined;
  let env: TestWorkflowEnvironment;
  let smtp: SmtpHarness;
  let browser: Browser;
  let base: string;
  let dataDir: string;
  let planId: string;
  let taskQueue: string;
  let workflowId: string;
  let secret: string;
  let confirmToken: string;
  const signer = (): ReturnType<typeof createLinkSigner> => createLinkSigner(secret);
  const snapshot = (): Promise<TaskSnapshot> => getTask(env.client, workflowId);

  beforeAll(async () => {
    rig = await startWebRig({ name: 'web-e2e', smtp: true });
    ({ env, dataDir, taskQueue, base } = rig);
    smtp = rig.smtp!;
    secret = rig.webConfig.links.secret!;
    planId = `web-e2e-${Date.now().toString(36)}-${process.pid}`;

    const today = Date.now();
    const due = isoDay(today + 21 * 86_400_000);
    fs.writeFileSync(
      path.join(dataDir, 'directory.yaml'),
      `agencies:
  - { id: ubnd-tinh-${RUN}, name: UBND tỉnh, level: province, contacts: { head: { email: ubnd@example.gov.vn } } }
  - { id: ${LEAD}, name: Sở Tư pháp, level: department, contacts: { focal: { email: lead@example.gov.vn }, head: { email: giamdoc@example.gov.vn } }, escalatesTo: ubnd-tinh-${RUN} }
  - { id: ${COORD}, name: Ủy ban MTTQ Việt Nam tỉnh, level: organisation, contacts: { focal: { email: ${COORD_EMAIL} } } }
  - { id: phong-pbgdpl-${RUN}, name: "Phòng Phổ biến, giáo dục pháp luật", level: organisation, contacts: { focal: { email: pbgdpl@example.gov.vn } } }
`,
    );
    fs.writeFileSync(
      path.join(dataDir, 'plan.yaml'),
      `id: ${planId}
number: 7/KH-UBND
title: Kế hoạch thử cửa web
issuer: ubnd-tinh-${RUN}
issued: ${isoDay(today - 30 * 86_400_000)}
period: { start: ${isoDay(today - 30 * 86_400_000)}, end: ${isoDay(today + 90 * 86_400_000)} }
directory: ./directory.yaml
monitoringAgency: phong-pbgdpl-${RUN}
escalationAuthority: ubnd-tinh-${RUN}
tasks:
  - ref: "1"
    title: Tổ chức hội nghị phổ biến pháp luật
    lead: ${LEAD}
    coordinators: [${COORD}]
    timing: { text: "Hoàn thành trước ngày ${vnDate(due)}", due: ${due} }
    signOff: all
`,
    );
    await importPlan(path.join(dataDir, 'plan.yaml'), { client: env.client, taskQueue, dataDir, reminderHour: 8 });
    workflowId = `dondoc:${planId}:1:${LEAD}`;
    const first = await poll('the task to answer queries', () => snapshot(), 30_000);

    // The lead submits through the JSON API with a link of their own.
    const submitToken = signer().sign({
      p: planId,
      w: workflowId,
      c: first.cycle,
      a: LEAD,
      k: 'submit',
      exp: Date.now() / 1000 + 3600,
    });
    const res = await fetch(`${base}/api/actions/${submitToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        summary: 'Đã tổ chức 3 hội nghị',
        documentNumber: '15/BC-STP',
        evidenceUrl: 'https://example.gov.vn/bc-15.pdf',
        actor: { agencyId: COORD },
      }),
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { ok: boolean; result: { state: string } };
    expect(answer).toMatchObject({ ok: true, result: { state: 'submitted' } });
    // The actor came from the token, not from the body.
    expect((await snapshot()).submission?.by.id).toBe(LEAD);

    // The coordinator's confirm_request email arrives (digest window 0, real timers).
    const mail = await poll(
      'the confirm email',
      () =>
        Promise.resolve(
          smtp.received.find((m) => m.envelopeTo.includes(COORD_EMAIL) && /\/a\//.test(m.parsed.text ?? '')),
        ),
      30_000,
    );
    const tokens = [
      ...(mail.parsed.text ?? '').matchAll(
        new RegExp(`${base.replace(/[.]/g, '\\.')}/a/([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)`, 'g'),
      ),
    ].map((m) => m[1]!);
    const confirm = tokens.find((t) => {
      const v = signer().verify(t, Date.now());
      return v.ok && v.payload.k === 'confirm' && v.payload.a === COORD;
    });
    expect(confirm).toBeDefined();
    confirmToken = confirm!;
    // The email shows what the coordinator is asked to confirm.
    expect(mail.parsed.text).toContain('Báo cáo của cơ quan chủ trì: Đã tổ chức 3 hội nghị');
    expect(mail.parsed.text).toContain('số 15/BC-STP');
    browser = await launchChromium();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await stopWebRig(rig);
  });

  it('refuses a forged, a tampered and an expired link with a clear page, and the task is unchanged', async () => {
    const [body, sig] = confirmToken.split('.') as [string, string];
    const forged = `${body}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as LinkPayload;
    const tampered = `${Buffer.from(JSON.stringify({ ...payload, a: `phong-pbgdpl-${RUN}`, k: 'accept' })).toString('base64url')}.${sig}`;
    const expired = signer().sign({ ...payload, exp: Date.now() / 1000 - 60 });
    for (const [token, status, title] of [
      [forged, 403, 'Liên kết không hợp lệ'],
      [tampered, 403, 'Liên kết không hợp lệ'],
      [expired, 410, 'Liên kết đã hết hạn'],
    ] as const) {
      const get = await fetch(`${base}/a/${token}`);
      expect(get.status).toBe(status);
      const text = await get.text();
      expect(text).toContain(title);
      expect(text).toContain('Không có thay đổi nào được thực hiện.');
      const post = await fetch(`${base}/a/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf: createCsrfToken(secret, token), note: 'giả mạo' }).toString(),
      });
      expect(post.status).toBe(status);
    }
    const s = await snapshot();
    expect(s.state).toBe('submitted');
    expect(s.confirmations).toEqual([]);
    expect(s.timeline.filter((e) => e.action === 'confirm' || e.action === 'accept')).toEqual([]);
  });

  it('refuses a POST of the genuine link without or with a wrong CSRF token (403), changing nothing', async () => {
    for (const csrf of [undefined, createCsrfToken(secret, `${confirmToken}x`)]) {
      const form = new URLSearchParams({ note: 'không có csrf' });
      if (csrf) form.set('csrf', csrf);
      const res = await fetch(`${base}/a/${confirmToken}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      expect(res.status).toBe(403);
    }
    expect((await snapshot()).confirmations).toEqual([]);
  });

  it('confirms through the emailed link in Chromium, and the board shows the new state', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(`${base}/a/${confirmToken}`);
    expect(await page.textContent('h1')).toContain('Xác nhận kết quả phối hợp');
    expect(await page.textContent('main')).toContain('Ủy ban MTTQ Việt Nam tỉnh');
    // The page shows the report being confirmed, and that this coordinator has not answered yet.
    const report = (await page.textContent('[data-part="submission"]')) ?? '';
    expect(report).toContain('Đã tổ chức 3 hội nghị');
    expect(report).toContain('15/BC-STP');
    expect(await page.getAttribute(`[data-part="answers"] tr[data-agency="${COORD}"]`, 'data-verdict')).toBe('none');
    await page.fill('#note', 'Thống nhất với kết quả báo cáo');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-outcome="done"]', { timeout: 30_000 });
    expect(await page.textContent('[data-outcome="done"]')).toContain(TASK_STATE_LABELS.vi.confirmed);
    await page.screenshot({ path: path.join(ARTIFACTS, 'action-done.png'), fullPage: true });

    const s = await snapshot();
    expect(s.state).toBe('confirmed');
    expect(s.confirmations).toEqual([
      expect.objectContaining({ agencyId: COORD, verdict: 'confirmed', note: 'Thống nhất với kết quả báo cáo' }),
    ]);

    // Visibility is eventually consistent: reload the board until the row shows the new state.
    const rowState = `tr[data-workflow-id="${workflowId}"] .state`;
    const label = TASK_STATE_LABELS.vi.confirmed;
    await poll(
      'the board to show the confirmed state',
      async () => {
        await page.goto(`${base}/plans/${planId}`);
        return (await page.textContent(rowState))?.trim() === label ? true : undefined;
      },
      20_000,
    );
    expect(await page.textContent(`tr[data-workflow-id="${workflowId}"]`)).toContain('Sở Tư pháp');
    expect(await page.locator('svg.timeline circle').count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'board.png'), fullPage: true });

    await page.click(`tr[data-workflow-id="${workflowId}"] a`);
    await page.waitForSelector('table.timeline-table');
    const taskText = (await page.textContent('main')) ?? '';
    expect(taskText).toContain('Thống nhất với kết quả báo cáo');
    expect(taskText).toContain('15/BC-STP');
    expect(await page.getAttribute('a[href="https://example.gov.vn/bc-15.pdf"]', 'rel')).toContain('noreferrer');
    await page.screenshot({ path: path.join(ARTIFACTS, 'task.png'), fullPage: true });

    // English, remembered in a cookie.
    await page.goto(`${base}/plans/${planId}?lang=en`);
    await page.goto(`${base}/plans/${planId}`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent(rowState)).toContain(TASK_STATE_LABELS.en.confirmed);
    await page.close();
  });

  it('a second POST of the same link does not act twice and says it was already done', async () => {
    const before = await snapshot();
    const again = await fetch(`${base}/a/${confirmToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: createCsrfToken(secret, confirmToken), note: 'lần hai' }).toString(),
    });
    expect(again.status).toBe(200);
    const text = await again.text();
    expect(text).toContain('Thao tác này đã được thực hiện lúc');
    expect(text).toContain('data-outcome="already-done"');
    const revisit = await fetch(`${base}/a/${confirmToken}`);
    expect(await revisit.text()).toContain('Thao tác này đã được thực hiện lúc');

    // The workflow itself refuses the link's action id a second time, whatever the door.
    const verified = signer().verify(confirmToken, Date.now());
    if (!verified.ok) throw new Error('link does not verify');
    const direct = await actOnTask(env.client, workflowId, 'confirm', {
      actor: { agencyId: COORD },
      note: 'lần ba',
      actionId: linkActionId(verified.payload),
    });
    expect(direct).toMatchObject({ ok: false, code: 'already_done' });
    const after = await snapshot();
    expect(after.timeline.filter((e) => e.action === 'confirm')).toHaveLength(1);
    expect(after.timeline).toHaveLength(before.timeline.length);
    expect(after.confirmations).toHaveLength(1);
  });

  it('serves the plan report as xlsx and docx, and the task list and snapshot as JSON', async () => {
    for (const kind of ['xlsx', 'docx']) {
      const res = await fetch(`${base}/api/plans/${planId}/report.${kind}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toContain(`.${kind}`);
      expect(
        Buffer.from(await res.arrayBuffer())
          .subarray(0, 2)
          .toString('latin1'),
      ).toBe('PK');
    }
    const list = (await (await fetch(`${base}/api/plans/${planId}/tasks?agency=${COORD}`)).json()) as {
      ok: boolean;
      tasks: { workflowId: string }[];
    };
    expect(list.tasks.map((t) => t.workflowId)).toEqual([workflowId]);
    const task = (await (await fetch(`${base}/api/tasks/${encodeURIComponent(workflowId)}`)).json()) as {
      task: TaskSnapshot;
    };
    expect(task.task.state).toBe('confirmed');
  });
});
