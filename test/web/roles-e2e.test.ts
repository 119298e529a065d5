/**
 * Each role through its own door, end to end: the dev server, a real worker, SMTP on loopback, the web with sign-in
 * configured, and headless Chromium. Agencies sign in with the link mailed to their registered address; the lead
 * sees only its tasks and submits from "Việc của tôi", is refused on another agency's task, the coordinator
 * confirms, the monitoring agency accepts, and leadership reads its page without a single form. Screenshots of each
 * page at desktop and phone widths go to test-artifacts/web/roles/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Browser, Page } from 'playwright-core';
import type { TaskSnapshot } from '../../domain/types';
import { importPlan } from '../../services/import-plan';
import { getTask } from '../../services/tasks';
import { isoDay, launchChromium, poll, startWebRig, stopWebRig, vnDate, type WebRig } from '../helpers/web-rig';
import type { SmtpHarness } from '../mail/smtp-harness';

jest.setTimeout(240_000);

const ARTIFACTS = path.join(__dirname, '../../test-artifacts/web/roles');
const RUN = `${process.pid}-${Date.now().toString(36)}`;
const A = {
  leadership: `ubnd-tinh-${RUN}`,
  lead: `so-tu-phap-${RUN}`,
  coord: `mttq-tinh-${RUN}`,
  monitoring: `phong-pbgdpl-${RUN}`,
  other: `so-noi-vu-${RUN}`,
};
const EMAIL = {
  leadership: `lanhdao-${RUN}@example.gov.vn`,
  lead: `tuphap-${RUN}@example.gov.vn`,
  coord: `mttq-${RUN}@example.gov.vn`,
  monitoring: `pbgdpl-${RUN}@example.gov.vn`,
  other: `noivu-${RUN}@example.gov.vn`,
};
const BOARD_TOKEN = 'operator-token-e2e-123456';
const DESKTOP = { width: 1400, height: 900 };
const PHONE = { width: 390, height: 844 };

describe('each role through its own door (dev server, SMTP, Chromium)', () => {
  let rig: WebRig | undefined;
  let env: TestWorkflowEnvironment;
  let smtp: SmtpHarness;
  let browser: Browser;
  let base: string;
  let dataDir: string;
  let planId: string;
  let taskQueue: string;
  let mine: string;
  let theirs: string;
  let third: string;
  const snap = (id: string): Promise<TaskSnapshot> => getTask(env.client, id);

  beforeAll(async () => {
    rig = await startWebRig({
      name: 'roles-e2e',
      smtp: true,
      webEnv: (harness) => ({ DONDOC_BOARD_TOKEN: BOARD_TOKEN, DONDOC_SMTP_URL: `smtp://127.0.0.1:${harness!.port}` }),
    });
    ({ env, dataDir, taskQueue, base } = rig);
    smtp = rig.smtp!;
    planId = `roles-e2e-${Date.now().toString(36)}-${process.pid}`;
    // Sign-in links point at the public URL: the same server.
    (rig.webConfig.web as { publicUrl: string }).publicUrl = base;

    const today = Date.now();
    const soon = isoDay(today + 3 * 86_400_000);
    const past = isoDay(today - 20 * 86_400_000);
    const later = isoDay(today + 30 * 86_400_000);
    fs.writeFileSync(
      path.join(dataDir, 'directory.yaml'),
      `agencies:
  - { id: ${A.leadership}, name: UBND tỉnh, level: province, contacts: { head: { email: ${EMAIL.leadership} } } }
  - { id: ${A.lead}, name: Sở Tư pháp, level: department, contacts: { focal: { email: ${EMAIL.lead} } }, escalatesTo: ${A.leadership} }
  - { id: ${A.coord}, name: Ủy ban MTTQ Việt Nam tỉnh, level: organisation, contacts: { focal: { email: ${EMAIL.coord} } } }
  - { id: ${A.monitoring}, name: "Phòng Phổ biến, giáo dục pháp luật", level: organisation, contacts: { focal: { email: ${EMAIL.monitoring} } } }
  - { id: ${A.other}, name: Sở Nội vụ, level: department, contacts: { focal: { email: ${EMAIL.other} } }, escalatesTo: ${A.leadership} }
`,
    );
    fs.writeFileSync(
      path.join(dataDir, 'plan.yaml'),
      `id: ${planId}
number: 9/KH-UBND
title: Kế hoạch thử vai trò
issuer: ${A.leadership}
issued: ${isoDay(today - 60 * 86_400_000)}
period: { start: ${isoDay(today - 60 * 86_400_000)}, end: ${isoDay(today + 90 * 86_400_000)} }
directory: ./directory.yaml
monitoringAgency: ${A.monitoring}
escalationAuthority: ${A.leadership}
targets:
  - { id: hoa-giai-vien-tap-huan, title: Số hòa giải viên được tập huấn, op: ">=", value: 100 }
tasks:
  - ref: "1"
    title: Tổ chức hội nghị tập huấn hòa giải viên
    lead: ${A.lead}
    coordinators: [${A.coord}]
    timing: { text: "Hoàn thành trước ngày ${vnDate(soon)}", due: ${soon} }
    signOff: all
  - ref: "2"
    title: Rà soát đội ngũ hòa giải viên cơ sở
    lead: ${A.other}
    timing: { text: "Hoàn thành trước ngày ${vnDate(past)}", due: ${past} }
  - ref: "3"
    title: Bồi dưỡng kiến thức pháp luật cho hòa giải viên
    lead: ${A.lead}
    coordinators: [${A.coord}]
    timing: { text: "Hoàn thành trước ngày ${vnDate(later)}", due: ${later} }
    signOff: all
    targets: [hoa-giai-vien-tap-huan]
`,
    );
    await importPlan(path.join(dataDir, 'plan.yaml'), { client: env.client, taskQueue, dataDir, reminderHour: 8 });
    mine = `dondoc:${planId}:1:${A.lead}`;
    theirs = `dondoc:${planId}:2:${A.other}`;
    third = `dondoc:${planId}:3:${A.lead}`;
    await poll(
      'both tasks to answer',
      async () => ((await snap(mine)) && (await snap(theirs)) ? true : undefined),
      30_000,
    );
    browser = await launchChromium();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await stopWebRig(rig);
  });

  /** Both widths of the page now open. */
  async function shoot(page: Page, name: string): Promise<void> {
    await page.setViewportSize(DESKTOP);
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-desktop.png`), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-phone.png`), fullPage: true });
    // Nothing wider than the phone's screen but the scrollable tables.
    const overflow = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number })
          .document.documentElement.scrollWidth - (globalThis as unknown as { innerWidth: number }).innerWidth,
    );
    expect([name, overflow <= 2]).toEqual([name, true]);
    await page.setViewportSize(DESKTOP);
  }

  /** Signs in as `who` in a new browser context through the emailed link; returns the page, on /my. */
  async function signIn(who: keyof typeof EMAIL, shotName?: string): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    if (shotName) await shoot(page, shotName);
    const before = smtp.received.length;
    await page.fill('#email', EMAIL[who]);
    await page.click('form[action="/signin"] button');
    await page.waitForSelector('[data-outcome="signin-sent"], .card.err', { timeout: 60_000 });
    if ((await page.locator('[data-outcome="signin-sent"]').count()) === 0)
      throw new Error(`sign-in refused: ${await page.textContent('main')}`);
    const mail = await poll(
      `the sign-in email of ${who}`,
      () =>
        Promise.resolve(
          smtp.received
            .slice(before)
            .find((m) => m.envelopeTo.includes(EMAIL[who]) && /\/signin\//.test(m.parsed.text ?? '')),
        ),
      20_000,
    );
    const url = /(http:\/\/127\.0\.0\.1:\d+\/signin\/[A-Za-z0-9_.-]+)/.exec(mail.parsed.text ?? '')?.[1];
    expect(url).toBeDefined();
    await page.goto(url!);
    await page.click('form button[type=submit]');
    await page.waitForURL(`${base}/my`);
    expect(await page.getAttribute('[data-agency]', 'data-agency')).toBe(A[who]);
    return page;
  }

  /** Reloads /my until `selector` appears (visibility is eventually consistent). */
  async function reloadUntil(page: Page, selector: string): Promise<void> {
    await poll(
      selector,
      async () => {
        await page.goto(`${base}/my`);
        return (await page.locator(selector).count()) > 0 ? true : undefined;
      },
      30_000,
    );
  }

  it('the lead signs in by emailed link, sees only its own tasks, and submits from "Việc của tôi"', async () => {
    const page = await signIn('lead', 'login');
    await reloadUntil(page, `[data-section="due-week"] [data-workflow-id="${mine}"]`);
    expect(await page.locator(`[data-workflow-id="${theirs}"]`).count()).toBe(0);
    await shoot(page, 'my-tasks-lead');

    const item = page.locator(`[data-section="due-week"] [data-workflow-id="${mine}"]`);
    for (const a of ['submit', 'request_extension', 'decline'])
      expect(await item.locator(`details[data-action="${a}"]`).count()).toBe(1);
    expect(await item.locator('details[data-action="accept"]').count()).toBe(0);
    // Task 1 tracks no target: no target report is offered (task 3 tracks one, and reports it below).
    expect(await item.locator('details[data-action="report_target"]').count()).toBe(0);
    await item.locator('details[data-action="submit"] summary').click();
    await item.locator('details[data-action="submit"] textarea[name="summary"]').fill('Đã tổ chức 2 hội nghị tập huấn');
    await item.locator('details[data-action="submit"] input[name="documentNumber"]').fill('21/BC-STP');
    await item.locator('details[data-action="submit"] button[type=submit]').click();
    await page.waitForSelector('[data-outcome="done"]');
    const s = await snap(mine);
    expect(s.state).toBe('submitted');
    expect(s.submission).toMatchObject({ summary: 'Đã tổ chức 2 hội nghị tập huấn', by: { id: A.lead } });
    await page.context().close();
  });

  it("the lead is refused on another agency's task: its page and a forged POST (403), nothing changes", async () => {
    const page = await signIn('lead');
    const before = await snap(theirs);
    const view = await page.goto(`${base}/tasks/${encodeURIComponent(theirs)}`);
    expect(view?.status()).toBe(403);
    const plan = await page.goto(`${base}/plans/${planId}`);
    expect(plan?.status()).toBe(200);
    expect(await page.locator(`tr[data-workflow-id="${theirs}"]`).count()).toBe(0);
    // A form copied from its own page, pointed at the other task: the web refuses before the workflow is asked.
    await page.goto(`${base}/my`);
    // The session's CSRF token, as any form of the page carries it.
    const anyCsrf = await page.getAttribute('input[name="csrf"]', 'value');
    // Sent with the browser's own session cookie (the page's CSP forbids fetch from the page itself).
    const forged = await page.context().request.post(`${base}/my/act`, {
      headers: { origin: base },
      form: { csrf: anyCsrf ?? '', workflowId: theirs, action: 'submit', formId: 'forged-form-1', summary: 'giả' },
    });
    const status = forged.status();
    expect(status).toBe(403);
    const after = await snap(theirs);
    expect(after.state).toBe(before.state);
    expect(after.timeline).toHaveLength(before.timeline.length);
    await page.context().close();
  });

  it('the coordinator confirms from its list, the monitoring agency sees the report and accepts', async () => {
    const coord = await signIn('coord');
    await reloadUntil(coord, `[data-section="to-confirm"] [data-workflow-id="${mine}"]`);
    const c = coord.locator(`[data-section="to-confirm"] [data-workflow-id="${mine}"]`);
    expect(await c.textContent()).toContain('Đã tổ chức 2 hội nghị tập huấn');
    await shoot(coord, 'my-tasks-coordinator');
    await c.locator('details[data-action="confirm"] summary').click();
    await c.locator('details[data-action="confirm"] button[type=submit]').click();
    await coord.waitForSelector('[data-outcome="done"]');
    expect((await snap(mine)).state).toBe('confirmed');
    await coord.context().close();

    const mon = await signIn('monitoring');
    await reloadUntil(mon, `[data-section="to-accept"] [data-workflow-id="${mine}"]`);
    const m = mon.locator(`[data-section="to-accept"] [data-workflow-id="${mine}"]`);
    expect(await m.textContent()).toContain('21/BC-STP');
    expect(await m.locator('details[data-action="return"]').count()).toBe(1);
    await shoot(mon, 'my-tasks-monitoring');
    await m.locator('details[data-action="accept"] summary').click();
    await m.locator('details[data-action="accept"] button[type=submit]').click();
    await mon.waitForSelector('[data-outcome="done"]');
    const s = await snap(mine);
    expect(s.state).toBe('accepted');
    expect(s.timeline.find((e) => e.action === 'accept')?.actor.id).toBe(A.monitoring);
    // The monitoring agency sees every task of the plan, the other agency's included.
    expect((await mon.goto(`${base}/tasks/${encodeURIComponent(theirs)}`))?.status()).toBe(200);
    await mon.context().close();
  });

  it('leadership reads its page: agencies ranked by overdue, read-only, printable; and acts nowhere', async () => {
    const page = await signIn('leadership');
    expect(await page.locator('details[data-action]').count()).toBe(0);
    expect(await page.textContent('.banner')).toContain('chỉ xem');
    await shoot(page, 'my-tasks-leadership');
    await poll(
      'the ranking to show the overdue agency first',
      async () => {
        await page.goto(`${base}/leadership?plan=${planId}`);
        return (await page.getAttribute('table[data-table="ranking"] tbody tr:first-child', 'data-agency')) === A.other
          ? true
          : undefined;
      },
      30_000,
    );
    expect(await page.textContent(`tr[data-agency="${A.other}"] [data-overdue]`)).toBe('1');
    expect(await page.locator(`table[data-table="oldest"] tr[data-workflow-id="${theirs}"]`).count()).toBe(1);
    // No form that changes anything: only sign-out, in the header.
    expect(await page.locator('form[method="post"]:not([action="/logout"])').count()).toBe(0);
    await shoot(page, 'leadership');
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBe(1);
    fs.writeFileSync(path.join(ARTIFACTS, 'leadership.pdf'), pdf);
    await page.context().close();
  });

  /**
   * Takes `action` on a task from its page as the signed-in agency of `page`: every required field filled (text,
   * date, number, first choice of a list) unless `values` gives it.
   */
  async function act(
    page: Page,
    workflowId: string,
    action: string,
    values: Record<string, string> = {},
  ): Promise<void> {
    await page.goto(`${base}/tasks/${encodeURIComponent(workflowId)}`);
    const d = page.locator(`.task-actions details[data-action="${action}"]`);
    expect([action, await d.count()]).toEqual([action, 1]);
    await d.locator('summary').click();
    const required = d.locator('input[required], textarea[required], select[required]');
    for (let i = 0; i < (await required.count()); i++) {
      const f = required.nth(i);
      const name = (await f.getAttribute('name')) ?? '';
      const tag = await f.evaluate((e) => (e as unknown as { tagName: string }).tagName.toLowerCase());
      const type = await f.getAttribute('type');
      if (name in values) continue;
      if (tag === 'select') await f.selectOption({ index: 1 });
      else if (type === 'date') await f.fill(isoDay(Date.now() + 60 * 86_400_000));
      else if (type === 'number') await f.fill('120');
      else await f.fill(`Thử thao tác ${action}`);
    }
    for (const [name, value] of Object.entries(values)) {
      const f = d.locator(`[name="${name}"]`);
      if ((await f.evaluate((e) => (e as unknown as { tagName: string }).tagName.toLowerCase())) === 'select')
        await f.selectOption(value);
      else await f.fill(value);
    }
    await d.locator('button[type=submit]').click();
    await page.waitForSelector('[data-outcome="done"], .card.err');
    if ((await page.locator('[data-outcome="done"]').count()) === 0)
      throw new Error(`${action} refused: ${await page.textContent('main')}`);
  }

  it('every other action of the registry is done from the web by the agency it belongs to', async () => {
    const lead = await signIn('lead');
    const mon = await signIn('monitoring');
    const state = async (): Promise<string> => (await snap(third)).state;

    await act(lead, third, 'request_extension');
    expect(await state()).toBe('extension_requested');
    await act(mon, third, 'reject_extension');
    expect(await state()).toBe('in_progress');
    await act(lead, third, 'request_extension');
    await act(mon, third, 'approve_extension');
    const extended = await snap(third);
    expect(extended.state).toBe('in_progress');
    expect(extended.due).toBe(isoDay(Date.now() + 60 * 86_400_000));
    await act(lead, third, 'report_target', { targetId: 'hoa-giai-vien-tap-huan', value: '125' });
    expect((await snap(third)).targetValues).toEqual([
      expect.objectContaining({
        targetId: 'hoa-giai-vien-tap-huan',
        value: 125,
        by: expect.objectContaining({ id: A.lead }),
      }),
    ]);
    await act(mon, third, 'postpone');
    expect(await state()).toBe('postponed');
    await act(mon, third, 'resume');
    expect(await state()).toBe('in_progress');
    await act(lead, third, 'decline');
    expect(await state()).toBe('declined');
    await shoot(mon, 'task-page-monitoring');
    await act(mon, third, 'reassign', { newLead: A.other });
    expect((await snap(third)).lead.id).toBe(A.other);
    // The former lead has no action left on it; the new lead submits.
    await lead.goto(`${base}/tasks/${encodeURIComponent(third)}`);
    expect(await lead.locator('.task-actions details[data-action="submit"]').count()).toBe(0);
    const other = await signIn('other');
    await act(other, third, 'submit');
    expect(await state()).toBe('submitted');
    const coord = await signIn('coord');
    await act(coord, third, 'dispute');
    expect(await state()).toBe('disputed');
    await act(mon, third, 'return');
    expect(await state()).toBe('returned');

    const byAction = new Map((await snap(third)).timeline.map((e) => [e.action, e.actor.id]));
    expect(Object.fromEntries(byAction)).toMatchObject({
      request_extension: A.lead,
      reject_extension: A.monitoring,
      approve_extension: A.monitoring,
      report_target: A.lead,
      postpone: A.monitoring,
      resume: A.monitoring,
      decline: A.lead,
      reassign: A.monitoring,
      submit: A.other,
      dispute: A.coord,
      return: A.monitoring,
    });
    for (const p of [lead, mon, other, coord]) await p.context().close();
  });

  it('the operator administers and reads, and acts for no agency', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.fill('#token', BOARD_TOKEN);
    await page.click('form[action="/login"] button');
    await page.waitForURL(`${base}/`);
    await page.goto(`${base}/plans/${planId}`);
    expect(await page.locator(`tr[data-workflow-id="${theirs}"]`).count()).toBe(1);
    expect(await page.locator('svg.timeline circle').count()).toBeGreaterThanOrEqual(3);
    await shoot(page, 'board-operator');
    await page.goto(`${base}/tasks/${encodeURIComponent(theirs)}`);
    expect(await page.locator('.task-actions').count()).toBe(0);
    await shoot(page, 'task-page-operator');
    expect((await page.goto(`${base}/my`))?.status()).toBe(403);
    const before = (await snap(theirs)).timeline.length;
    const csrf = await page.getAttribute('form[action="/logout"] input[name="csrf"]', 'value');
    const refused = await context.request.post(`${base}/my/act`, {
      headers: { origin: base },
      form: { csrf: csrf ?? '', workflowId: theirs, action: 'submit', formId: 'operator-form-1', summary: 'thay' },
    });
    expect(refused.status()).toBe(403);
    expect((await snap(theirs)).timeline).toHaveLength(before);
    await context.close();
  });
});
