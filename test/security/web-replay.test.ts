/**
 * Replaying a used link through the web, on the dev server with a real worker and the default mail (the outbox
 * folder) behind an open board on loopback: the four spellings of a used link's signature do nothing through
 * the page, the form POST and the JSON API (timeline, submission and outbox unchanged), and the open board's
 * outbox shows the real emails without a single action link.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { outboxFolder } from '../../activities';
import type { TaskSnapshot } from '../../domain/types';
import { createLinkSigner } from '../../security/links';
import { importPlan } from '../../services/import-plan';
import { getTask } from '../../services/tasks';
import { createCsrfToken } from '../../web/session';
import { isoDay, poll, startWebRig, stopWebRig, type WebRig } from '../helpers/web-rig';

jest.setTimeout(180_000);

const RUN = `${process.pid}-${Date.now().toString(36)}`;
const LEAD = `so-tu-phap-${RUN}`;
const COORD = `mttq-tinh-${RUN}`;

/** The four strings whose base64url decodes to the same signature (the last character's two unused bits). */
function spellings(token: string): string[] {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const base = alphabet.indexOf(token.slice(-1)) & ~3;
  return [0, 1, 2, 3].map((i) => token.slice(0, -1) + alphabet[base + i]);
}

describe('a used link replayed through the web in any spelling (dev server, outbox, open board)', () => {
  let rig: WebRig | undefined;
  let env: TestWorkflowEnvironment;
  let base: string;
  let dataDir: string;
  let outbox: string;
  let taskQueue: string;
  let workflowId: string;
  let secret: string;

  beforeAll(async () => {
    rig = await startWebRig({ name: 'web-replay', outboxDir: (config) => outboxFolder(config), log: () => undefined });
    ({ env, dataDir, taskQueue, base } = rig);
    secret = rig.webConfig.links.secret!;
    outbox = rig.outboxDir!;
    const planId = `web-replay-${Date.now().toString(36)}-${process.pid}`;
    const today = Date.now();
    fs.writeFileSync(
      path.join(dataDir, 'directory.yaml'),
      `agencies:
  - { id: ubnd-${RUN}, name: UBND tỉnh, level: province, contacts: { head: { email: ubnd@example.gov.vn } } }
  - { id: ${LEAD}, name: Sở Tư pháp, level: department, contacts: { focal: { email: lead@example.gov.vn } } }
  - { id: ${COORD}, name: Ủy ban MTTQ Việt Nam tỉnh, level: organisation, contacts: { focal: { email: mttq@example.gov.vn } } }
  - { id: stp-${RUN}, name: Phòng theo dõi, level: organisation, contacts: { focal: { email: theodoi@example.gov.vn } } }
`,
    );
    const due = isoDay(today + 20 * 86_400_000);
    fs.writeFileSync(
      path.join(dataDir, 'plan.yaml'),
      `id: ${planId}
number: 3/KH-UBND
title: Kế hoạch thử phát lại liên kết
issuer: ubnd-${RUN}
issued: ${isoDay(today - 10 * 86_400_000)}
period: { start: ${isoDay(today - 10 * 86_400_000)}, end: ${isoDay(today + 60 * 86_400_000)} }
directory: ./directory.yaml
monitoringAgency: stp-${RUN}
escalationAuthority: ubnd-${RUN}
tasks:
  - ref: "1"
    title: Tập huấn kỹ năng hòa giải
    lead: ${LEAD}
    coordinators: [${COORD}]
    timing: { text: "Hoàn thành trước ngày ${due.split('-').reverse().join('/')}", due: ${due} }
    signOff: all
`,
    );
    await importPlan(path.join(dataDir, 'plan.yaml'), { client: env.client, taskQueue, dataDir, reminderHour: 8 });
    workflowId = `dondoc:${planId}:1:${LEAD}`;
    await poll('the task', () => getTask(env.client, workflowId), 30_000);
  });

  afterAll(() => stopWebRig(rig));

  const countMail = (): number =>
    fs.existsSync(outbox) ? fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')).length : 0;
  const postForm = (token: string, fields: Record<string, string>): Promise<Response> =>
    fetch(`${base}/a/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: createCsrfToken(secret, token), ...fields }).toString(),
    });

  it('acts once; the four spellings through page, form and API change nothing; the outbox shows no link', async () => {
    const first: TaskSnapshot = await getTask(env.client, workflowId);
    const token = createLinkSigner(secret).sign({
      p: first.planId,
      w: workflowId,
      c: first.cycle,
      a: LEAD,
      k: 'submit',
      exp: Date.now() / 1000 + 3600,
    });
    const done = await postForm(token, { summary: 'Đã tập huấn 120 hòa giải viên' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('data-outcome="done"');
    // The coordinator's request to confirm arrives in the outbox: then the mail has settled.
    await poll('the confirm request in the outbox', async () => (countMail() > 0 ? true : undefined), 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    const before = await getTask(env.client, workflowId);
    const mails = countMail();

    const variants = spellings(token);
    expect(new Set(variants).size).toBe(4);
    expect(variants).toContain(token);
    for (const v of variants) {
      const page = await fetch(`${base}/a/${v}`);
      expect([200, 403]).toContain(page.status);
      if (page.status === 200) expect(await page.text()).toContain('data-outcome="already-done"');
      const form = await postForm(v, { summary: 'Thay thế báo cáo' });
      expect([200, 403]).toContain(form.status);
      expect(await form.text()).not.toContain('data-outcome="done"');
      const api = await fetch(`${base}/api/actions/${v}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ summary: 'Thay thế qua API' }),
      });
      const answer = (await api.json()) as { ok: boolean; repeated?: boolean };
      expect(api.status === 200 ? answer.repeated : answer.ok).toBe(api.status === 200 ? true : false);
    }
    await new Promise((r) => setTimeout(r, 2000));
    const after = await getTask(env.client, workflowId);
    expect(after.timeline).toHaveLength(before.timeline.length);
    expect(after.submission?.summary).toBe('Đã tập huấn 120 hòa giải viên');
    expect(countMail()).toBe(mails);

    // The open board's outbox: the real emails, decoded, and not one action link.
    const list = await (await fetch(`${base}/outbox`)).text();
    const files = [...list.matchAll(/href="\/outbox\/([^"]+)"/g)].map((m) => m[1]!);
    expect(files.length).toBe(mails);
    for (const f of files) {
      const shown = await (await fetch(`${base}/outbox/${f}`)).text();
      expect(shown).not.toMatch(/\/a\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/);
    }
    const raw = fs
      .readdirSync(outbox)
      .map((f) => fs.readFileSync(path.join(outbox, f), 'utf8'))
      .join('\n');
    expect(raw).toMatch(/\/a\//);
  });
});
