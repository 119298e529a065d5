/**
 * The page behind an action link shows the thing decided: the lead's report, the coordinators' answers and the
 * reasons; a resubmission starts from the previous report and shows why it came back; an extension may be approved
 * at another date; a used link states the task's state as the workflow holds it now. Task snapshots come from the
 * real state machine; the page is served by the real app (fastify inject, the workflow's queries answered from the
 * snapshot) and read in headless Chromium.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Browser } from 'playwright-core';
import { loadConfig } from '../../config';
import { createCalendar, localDateOf, VN_CALENDAR_OVERRIDES } from '../../domain/calendar';
import { initialCore, type TaskCore } from '../../domain/lifecycle/core';
import type { ActionInput } from '../../domain/lifecycle/inputs';
import { applyAction, snapshotOf, type MachineContext } from '../../domain/lifecycle/machine';
import type { ActionName } from '../../domain/lifecycle/actions';
import type { TaskSnapshot } from '../../domain/types';
import { createLinkSigner, type LinkSignInput } from '../../security/links';
import type { PlanReader } from '../../services/plan-store';
import { ACTION_FORMS } from '../../web/action-forms';
import { buildWebApp } from '../../web/app';
import { formDefaults, renderAlreadyDone, renderDecisionPage } from '../../web/decision-page';
import { handledActionQuery, taskSnapshotQuery } from '../../workflows/definitions';
import { AGENCIES, makeSpec } from '../helpers/spec';
import { launchChromium } from '../helpers/web-rig';

jest.mock('cookie', () => ({
  stringifySetCookie: (c: { name: string; value: string }): string => `${c.name}=${encodeURIComponent(c.value)}`,
}));

const TZ = 'Asia/Ho_Chi_Minh';
// Pages as Chromium drew them, for people to look at (git-ignored).
const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'web');
const SECRET = 'decision-page-secret-0123456789-abcdef';
const NOW = Date.UTC(2029, 10, 20, 3, 0, 0);
const calendar = createCalendar(VN_CALENDAR_OVERRIDES);
const spec = makeSpec('dondoc:test-plan:1.1:so-tu-phap');
const ctx = (now: number): MachineContext => ({
  now,
  timeZone: TZ,
  calendar,
  rules: { v3: true, slowAfterLadder: true },
});

/** Plays actions on the real state machine, a minute apart. */
function play(steps: [ActionName, ActionInput][]): TaskCore {
  let core = initialCore(spec, 0, NOW, localDateOf(NOW, TZ), true);
  core = { ...core, state: 'in_progress' };
  steps.forEach(([name, input], i) => {
    core = applyAction(core, spec, name, input, ctx(NOW + (i + 1) * 60_000)).core;
  });
  return core;
}
const snap = (core: TaskCore): TaskSnapshot => snapshotOf(core, spec, ctx(NOW + 3_600_000));

const lead = { agencyId: AGENCIES.lead.id };
const coordinator = { agencyId: AGENCIES.coord1.id };
const monitoring = { agencyId: AGENCIES.monitoring.id };
const REPORT = {
  summary: 'Đã thành lập đội ngũ 25 báo cáo viên <cấp tỉnh> & tập huấn',
  documentNumber: '15/BC-STP',
  documentDate: '2029-11-18',
  evidenceUrl: 'https://vanban.example.gov.vn/bc-15.pdf',
};
const submitted = play([['submit', { actor: lead, ...REPORT }]]);
const disputed = play([
  ['submit', { actor: lead, ...REPORT }],
  ['dispute', { actor: coordinator, reason: 'Thiếu danh sách báo cáo viên' }],
]);
const returned = play([
  ['submit', { actor: lead, ...REPORT }],
  ['dispute', { actor: coordinator, reason: 'Thiếu danh sách báo cáo viên' }],
  ['return', { actor: monitoring, reason: 'Bổ sung danh sách kèm theo quyết định' }],
]);
const extension = play([['request_extension', { actor: lead, newDue: '2030-03-31', reason: 'Chờ kinh phí năm 2030' }]]);

function page(action: ActionName, core: TaskCore, lang: 'vi' | 'en' = 'vi'): string {
  return renderDecisionPage({
    snapshot: snap(core),
    form: ACTION_FORMS[action],
    token: 'tok',
    csrf: 'csrf',
    acting: 'Cơ quan',
    lang,
    timeZone: TZ,
  }).html;
}

describe('what each decision page shows', () => {
  test.each(['confirm', 'dispute', 'accept', 'return'] as const)(
    '%s: the report (summary, document number and date, evidence) and the answers so far',
    (action) => {
      const html = page(action, disputed);
      expect(html).toContain('data-part="submission"');
      expect(html).toContain('Đã thành lập đội ngũ 25 báo cáo viên &lt;cấp tỉnh&gt; &amp; tập huấn');
      expect(html).toContain('15/BC-STP');
      expect(html).toContain('18/11/2029');
      expect(html).toContain('href="https://vanban.example.gov.vn/bc-15.pdf"');
      expect(html).toMatch(
        /data-agency="mttq-tinh" data-verdict="disputed"><td>Ủy ban MTTQ Việt Nam tỉnh<\/td><td>Không thống nhất/,
      );
      expect(html).toContain('Thiếu danh sách báo cáo viên');
    },
  );

  test('a coordinator that has not answered is listed as such', () => {
    const html = page('confirm', submitted);
    expect(html).toMatch(/data-verdict="none"><td>Ủy ban MTTQ Việt Nam tỉnh<\/td><td>chưa có ý kiến/);
  });

  test('a first report starts blank; a report made again starts from the previous one and shows why it came back', () => {
    const first = page('submit', play([]));
    expect(first).not.toContain('data-part="submission"');
    expect(first).toMatch(/<textarea id="summary" name="summary" maxlength="4000" required><\/textarea>/);

    const again = page('submit', returned);
    expect(again).toContain('data-part="return-reason"');
    expect(again).toContain('Bổ sung danh sách kèm theo quyết định');
    expect(again).toContain('Phòng Phổ biến, giáo dục pháp luật trả lại lúc');
    expect(again).toContain('Báo cáo lần trước');
    expect(again).toContain('>Đã thành lập đội ngũ 25 báo cáo viên &lt;cấp tỉnh&gt; &amp; tập huấn</textarea>');
    expect(again).toContain('id="documentNumber" name="documentNumber" type="text" maxlength="200" value="15/BC-STP"');
    expect(again).toContain('value="18/11/2029"');
    expect(formDefaults('submit', snap(returned))).toEqual(REPORT);
  });

  test('an extension decision shows the date and reason asked, and approval starts at that date but may change it', () => {
    const approve = page('approve_extension', extension);
    expect(approve).toContain('Đề nghị gia hạn đến 31/03/2030');
    expect(approve).toContain('Chờ kinh phí năm 2030');
    expect(approve).toContain('Có thể đồng ý gia hạn đến ngày khác');
    expect(approve).toMatch(/id="newDue" name="newDue" value="31\/03\/2030"/);
    const reject = page('reject_extension', extension);
    expect(reject).toContain('Đề nghị gia hạn đến 31/03/2030');
    expect(reject).not.toContain('value="31/03/2030"');
    expect(page('approve_extension', extension, 'en')).toContain('Extension requested to 31/03/2030');
  });

  test('a used link states the state the workflow holds now, with its status, cycle and last change', () => {
    const now = snap(returned);
    const html = renderAlreadyDone(
      { action: 'confirm', at: new Date(NOW).toISOString(), by: 'Ủy ban MTTQ Việt Nam tỉnh' },
      now,
      'vi',
      TZ,
    ).html;
    expect(html).toContain('data-state="returned"');
    expect(html).toContain('Tình trạng hiện tại của nhiệm vụ: <strong>Bị trả lại, cần bổ sung</strong>');
    expect(html).toContain('kỳ 1');
    expect(html).toContain('Thay đổi gần nhất: Trả lại, yêu cầu hoàn thiện (Phòng Phổ biến, giáo dục pháp luật,');
  });
});

describe('served by the app and read in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A client whose task workflow answers its queries from a snapshot, and records any other use. */
  function clientFor(current: TaskSnapshot, handled: unknown = null): Client {
    return {
      workflow: {
        getHandle: (id: string) => ({
          query: (q: { name: string }) => {
            if (id !== spec.workflowId) throw new Error(`unknown workflow ${id}`);
            if (q.name === taskSnapshotQuery.name) return Promise.resolve(current);
            if (q.name === handledActionQuery.name) return Promise.resolve(handled);
            throw new Error(`unexpected query ${q.name}`);
          },
        }),
      },
    } as unknown as Client;
  }
  const NO_PLANS: PlanReader = {
    list: () => Promise.resolve([]),
    get: () => Promise.resolve(undefined),
    agencyName: () => Promise.resolve(undefined),
    resolve: () => undefined,
  };
  const link = (over: Partial<LinkSignInput>): string =>
    createLinkSigner(SECRET).sign({
      p: 'test-plan',
      w: spec.workflowId,
      c: 0,
      a: AGENCIES.lead.id,
      k: 'submit',
      exp: NOW / 1000 + 3600,
      ...over,
    });

  async function serve(current: TaskSnapshot, token: string, handled: unknown = null): Promise<string> {
    const config = loadConfig({ DONDOC_LINK_SECRET: SECRET, DONDOC_DATA_DIR: '/nonexistent-dondoc' });
    const app = await buildWebApp({
      client: clientFor(current, handled),
      config,
      linkSecret: SECRET,
      dataDir: '/nonexistent-dondoc',
      outboxDir: undefined,
      now: () => NOW,
      plans: NO_PLANS,
    });
    try {
      const res = await app.inject({ method: 'GET', url: `/a/${token}` });
      expect(res.statusCode).toBe(200);
      return res.body;
    } finally {
      await app.close();
    }
  }

  test('the lead reporting again finds the form filled with its previous report and the return reason above it', async () => {
    const body = await serve(snap(returned), link({ k: 'submit' }));
    const tab = await browser.newPage();
    try {
      await tab.setContent(body);
      await tab.screenshot({ path: path.join(ARTIFACTS, 'decision-resubmit.png'), fullPage: true });
      expect(await tab.inputValue('#summary')).toBe(REPORT.summary);
      expect(await tab.inputValue('#documentNumber')).toBe('15/BC-STP');
      expect(await tab.inputValue('#documentDate')).toBe('18/11/2029');
      expect(await tab.inputValue('#evidenceUrl')).toBe(REPORT.evidenceUrl);
      expect(await tab.textContent('[data-part="return-reason"]')).toContain('Bổ sung danh sách kèm theo quyết định');
    } finally {
      await tab.close();
    }
  });

  test('the monitoring agency accepting sees the report and the dispute, in English too', async () => {
    for (const lang of ['vi', 'en'] as const) {
      const body = await serve(snap(disputed), `${link({ k: 'return', a: AGENCIES.monitoring.id })}?lang=${lang}`);
      const tab = await browser.newPage();
      try {
        await tab.setContent(body);
        await tab.screenshot({ path: path.join(ARTIFACTS, `decision-return-${lang}.png`), fullPage: true });
        const sub = (await tab.textContent('[data-part="submission"]')) ?? '';
        expect(sub).toContain(REPORT.summary);
        expect(sub).toContain('15/BC-STP');
        expect(await tab.getAttribute(`[data-part="submission"] a[href="${REPORT.evidenceUrl}"]`, 'rel')).toContain(
          'noreferrer',
        );
        const answers = (await tab.textContent('[data-part="answers"]')) ?? '';
        expect(answers).toContain(lang === 'vi' ? 'Không thống nhất' : 'Disputed');
        expect(answers).toContain('Thiếu danh sách báo cáo viên');
      } finally {
        await tab.close();
      }
    }
  });

  test('a used link says what was done and the state now, read from the workflow', async () => {
    const body = await serve(snap(returned), link({ k: 'confirm', a: AGENCIES.coord1.id }), {
      id: 'x',
      action: 'confirm',
      at: new Date(NOW).toISOString(),
      by: { id: AGENCIES.coord1.id, name: AGENCIES.coord1.name },
      state: 'submitted',
    });
    const tab = await browser.newPage();
    try {
      await tab.setContent(body);
      const text = (await tab.textContent('[data-outcome="already-done"]')) ?? '';
      expect(text).toContain('Thao tác này đã được thực hiện lúc');
      // The state the link was used in (submitted) is history; the task was returned since.
      expect(await tab.getAttribute('[data-part="current-state"]', 'data-state')).toBe('returned');
      expect(text).toContain('Trả lại');
    } finally {
      await tab.close();
    }
  });
});
