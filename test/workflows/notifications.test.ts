import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { PlanStore } from '../../services/plan-store';
import { createActivities, type Activities } from '../../activities';
import { createSmtpMailer } from '../../mail/mailer';
import { loadPlanFile } from '../../plans/load';
import { applyLoadedPlan } from '../../services/import-plan';
import { getTask } from '../../services/tasks';
import { createCalendar, VN_CALENDAR_OVERRIDES } from '../../domain/calendar';
import type { TaskSnapshot } from '../../domain/types';
import { planWorkflowId } from '../../workflows/plan-workflow';
import { digestWorkflowId } from '../../workflows/digest-workflow';
import { createReportActivities } from '../../activities/report-activities';
import { XLSX_HEADER_ROW } from '../../reports/export-xlsx';
import { startSmtpServer, type SmtpHarness } from '../mail/smtp-harness';
import { writePlanFixture } from '../helpers/plan-fixture';
import { formatDate } from '../../domain/format';
import { saveHistory } from '../helpers/histories';
import { connectTimeSkipping, terminateAll, testConfig, testWorker, uniqueId } from '../helpers/temporal';

const calendar = createCalendar(VN_CALENDAR_OVERRIDES);
let env: TestWorkflowEnvironment;
let smtp: SmtpHarness;
const bounce = 'bounce@snv.example.gov.vn';

beforeAll(async () => {
  env = await connectTimeSkipping();
  smtp = await startSmtpServer({
    onRcpt: (address) => (address === bounce ? { code: 550, message: '5.1.1 Mailbox unavailable' } : undefined),
  });
});
afterAll(async () => {
  await smtp?.close();
  await env?.teardown();
});

function plusDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
async function localToday(): Promise<string> {
  return new Date((await env.currentTimeMs()) + 7 * 3600_000).toISOString().slice(0, 10);
}
async function sleepUntilLocal(date: string, hhmm: string): Promise<void> {
  const target = new Date(`${date}T${hhmm}:00+07:00`).getTime();
  await env.sleep(Math.max(1, target - (await env.currentTimeMs())));
}

/** Runs a plan fixture end to end on the time-skipping server with the real activities and the loopback SMTP. */
async function withPlan(
  fixture: Parameters<typeof writePlanFixture>[0],
  fn: (ctx: { snapshots: () => Promise<TaskSnapshot[]>; workflowIds: string[] }) => Promise<void>,
): Promise<void> {
  const { planPath } = writePlanFixture(fixture);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-data-'));
  const taskQueue = uniqueId('tq');
  const config = testConfig({
    TEMPORAL_TASK_QUEUE: taskQueue,
    DONDOC_DATA_DIR: dataDir,
    DONDOC_SMTP_URL: smtp.url,
    DONDOC_DIGEST_WINDOW_MINUTES: '10',
  });
  const loaded = loadPlanFile(planPath);
  const workflowIds = loaded.instances.map((i) => i.workflowId);
  const snapshots = (): Promise<TaskSnapshot[]> => Promise.all(workflowIds.map((id) => getTask(env.client, id)));
  const base = createActivities({
    config,
    client: env.client,
    linkSecret: config.links.secret!,
    mailer: createSmtpMailer(smtp.url),
  });
  // The Java test server has no visibility listing: the report reads the known instances by query.
  const digests = new Set<string>();
  const activities: Activities = {
    ...base,
    async enqueueNotifications(input) {
      for (const item of input.items) digests.add(digestWorkflowId(item.recipient, item.localDate, taskQueue));
      return base.enqueueNotifications(input);
    },
    ...createReportActivities({
      client: env.client,
      plans: new PlanStore(env.client),
      deliverDigest: base.deliverDigest,
      snapshots: async () => snapshots(),
    }),
  };
  const worker = await testWorker(env, taskQueue, activities, config);
  try {
    await worker.runUntil(async () => {
      await applyLoadedPlan(loaded, {
        client: env.client,
        taskQueue,
        dataDir,
        reminderHour: 8,
        listExisting: async () => [],
      });
      await fn({ snapshots, workflowIds });
    });
  } finally {
    const handles = [...workflowIds, ...digests, planWorkflowId(loaded.plan.id)].map((id) =>
      env.client.workflow.getHandle(id),
    );
    await terminateAll(handles);
  }
}

test('ten reminders for one agency on one day arrive as one Vietnamese digest with a calendar file', async () => {
  const today = await localToday();
  const due = plusDays(today, 30);
  const eff = calendar.effectiveDeadline(due);
  const reminderDay = calendar.addWorkingDays(eff, -7);
  const before = smtp.received.length;
  await withPlan(
    {
      id: uniqueId('digest'),
      periodStart: today,
      periodEnd: plusDays(today, 200),
      tasks: Array.from({ length: 10 }, (_, i) => ({
        ref: `${i + 1}`,
        title: `Tổ chức tập huấn nghiệp vụ hòa giải đợt ${i + 1}`,
        lead: 'so-tu-phap',
        coordinators: ['mttq-tinh'],
        timing: { text: `Hoàn thành trước ngày ${due}`, due },
      })),
    },
    async () => {
      await sleepUntilLocal(reminderDay, '12:00');
      const mine = smtp.received.slice(before).filter((m) => m.envelopeTo.includes('pbgdpl@stp.example.gov.vn'));
      // The notice of the import (one email, the ten new tasks) came first; the reminders of the day are one more.
      const notices = mine.filter((m) => (m.parsed.text ?? '').includes('Nhiệm vụ mới được giao theo kế hoạch'));
      expect(notices).toHaveLength(1);
      const ofTheDay = mine.filter(
        (m) =>
          (m.parsed.text ?? '').includes('Tổ chức tập huấn nghiệp vụ hòa giải đợt 10') &&
          (m.parsed.text ?? '').includes('Nhiệm vụ sắp đến hạn'),
      );
      expect(ofTheDay).toHaveLength(1);
      const mail = ofTheDay[0]!.parsed;
      expect(mail.subject).toMatch(/^\[dondoc\]/);
      expect(mail.subject).toContain('10');
      for (let i = 1; i <= 10; i++) expect(mail.text).toContain(`đợt ${i}`);
      expect(mail.text).toContain('Kính gửi');
      expect(mail.html).toBeTruthy();
      expect(mail.messageId).toMatch(/@dondoc>$/);
      const ics = mail.attachments.find((a) => a.filename?.endsWith('.ics') || a.contentType === 'text/calendar');
      expect(ics).toBeDefined();
      expect(ics!.content.toString('utf8')).toContain(`DTSTART;VALUE=DATE:${eff.replace(/-/g, '')}`);
      // Exactly one message per Message-ID: nothing was sent twice.
      const ids = smtp.received.map((m) => m.parsed.messageId);
      expect(new Set(ids).size).toBe(ids.length);
    },
  );
});

test('a permanent 5xx for an address is recorded on the task and reported to the monitoring agency', async () => {
  const today = await localToday();
  const due = plusDays(today, 20);
  const reminderDay = calendar.addWorkingDays(calendar.effectiveDeadline(due), -7);
  await withPlan(
    {
      id: uniqueId('bounce'),
      periodStart: today,
      periodEnd: plusDays(today, 200),
      agencies: [
        { id: 'so-noi-vu', name: 'Sở Nội vụ', focal: bounce },
        { id: 'van-phong-ubnd', name: 'Văn phòng UBND tỉnh', focal: 'theodoi@vpubnd.example.gov.vn' },
        { id: 'ubnd-tinh', name: 'Ủy ban nhân dân tỉnh', focal: 'lanhdao@ubnd.example.gov.vn' },
      ],
      tasks: [
        {
          ref: '1',
          title: 'Rà soát hòa giải viên',
          lead: 'so-noi-vu',
          timing: { text: 'Quý này', due },
          signOff: 'none',
        },
      ],
    },
    async ({ snapshots }) => {
      // The notice of the new task bounces first, on the day of the import.
      await env.sleep('1 hour');
      const told = (): number =>
        smtp.received.filter(
          (m) => m.envelopeTo.includes('theodoi@vpubnd.example.gov.vn') && (m.parsed.text ?? '').includes(bounce),
        ).length;
      const [atImport] = await snapshots();
      expect(atImport!.deliveryFailures).toHaveLength(1);
      expect(atImport!.deliveryFailures[0]!.reason).toMatch(/550|Mailbox unavailable/);
      expect(told()).toBe(1);
      await sleepUntilLocal(reminderDay, '12:00');
      // The reminder bounces for the same reason: recorded and reported once, not on every email.
      const [snap] = await snapshots();
      expect(snap!.deliveryFailures).toHaveLength(1);
      expect(snap!.timeline.filter((t) => t.action === 'delivery_failed')).toHaveLength(1);
      expect(told()).toBe(1);
    },
  );
});

test('on the reporting date the plan workflow mails the periodic report with .xlsx and .docx attached', async () => {
  const today = await localToday();
  const reportDay = plusDays(today, 25);
  const due = plusDays(today, 10);
  await withPlan(
    {
      id: uniqueId('report'),
      periodStart: today,
      periodEnd: plusDays(today, 300),
      reportingDue: reportDay.slice(5),
      tasks: [
        { ref: '1', title: 'Kiện toàn tổ hòa giải', lead: 'so-tu-phap', timing: { text: 'Sớm', due }, signOff: 'none' },
        { ref: '2', title: 'Tập huấn hòa giải viên', lead: 'so-noi-vu', timing: { text: 'Sớm', due }, signOff: 'none' },
      ],
    },
    async () => {
      const before = smtp.received.length;
      await sleepUntilLocal(reportDay, '07:00');
      const early = smtp.received
        .slice(before)
        .filter((m) => m.parsed.attachments.some((a) => a.filename?.endsWith('.xlsx')));
      expect(early).toHaveLength(0); // not before the reporting date
      await sleepUntilLocal(reportDay, '12:00');
      const reports = smtp.received
        .slice(before)
        .filter(
          (m) =>
            m.envelopeTo.includes('theodoi@vpubnd.example.gov.vn') &&
            m.parsed.attachments.some((a) => a.filename?.endsWith('.xlsx')),
        );
      expect(reports).toHaveLength(1);
      const names = reports[0]!.parsed.attachments.map((a) => a.filename ?? '');
      expect(names.some((n) => n.endsWith('.docx'))).toBe(true);
      const xlsx = reports[0]!.parsed.attachments.find((a) => a.filename?.endsWith('.xlsx'))!;
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.content as unknown as ArrayBuffer);
      const tasksSheet = book.worksheets.find((w) => /Nhiệm vụ/.test(w.name));
      expect(tasksSheet).toBeDefined();
      expect(tasksSheet!.actualRowCount).toBe(XLSX_HEADER_ROW + 2); // title rows, header, two tasks (both overdue by then)
    },
  );
});

test('an import tells each lead agency once, in one email, of its new tasks and their deadlines', async () => {
  const today = await localToday();
  const dues = [plusDays(today, 40), plusDays(today, 70), plusDays(today, 100)];
  const id = uniqueId('import-notice');
  const fixture = {
    id,
    periodStart: today,
    periodEnd: plusDays(today, 300),
    tasks: [
      ...dues.map((due, i) => ({
        ref: `${i + 1}`,
        title: `Biên soạn tài liệu hòa giải phần ${i + 1}`,
        lead: 'so-tu-phap',
        timing: { text: `Hoàn thành trước ngày ${due}`, due },
        signOff: 'none' as const,
      })),
      {
        ref: '4',
        title: 'Rà soát, kiện toàn đội ngũ hòa giải viên',
        lead: 'so-noi-vu',
        timing: { text: 'Trong năm', due: dues[1]! },
        signOff: 'none' as const,
      },
    ],
  };
  const before = smtp.received.length;
  await withPlan(fixture, async ({ workflowIds }) => {
    await env.sleep('1 hour');
    const to = (address: string) => smtp.received.slice(before).filter((m) => m.envelopeTo.includes(address));
    const stp = to('pbgdpl@stp.example.gov.vn');
    expect(stp).toHaveLength(1);
    const mail = stp[0]!.parsed;
    expect(mail.subject).toMatch(/: 3 nhiệm vụ cần xử lý$/);
    expect(mail.text).toContain('Nhiệm vụ mới được giao theo kế hoạch (3)');
    dues.forEach((due, i) => {
      expect(mail.text).toContain(`Biên soạn tài liệu hòa giải phần ${i + 1}`);
      expect(mail.text).toContain(`Hạn hoàn thành: ${formatDate(calendar.effectiveDeadline(due))}`);
    });
    expect(mail.text).not.toContain('Rà soát, kiện toàn');
    const snv = to('vanphong@snv.example.gov.vn');
    expect(snv).toHaveLength(1);
    expect(snv[0]!.parsed.subject).toMatch(/^\[dondoc\] Nhiệm vụ mới được giao: 4 Rà soát, kiện toàn/);
    // Nobody else was told anything.
    expect(smtp.received.slice(before)).toHaveLength(2);
    for (const wf of workflowIds.slice(0, 1)) await saveHistory(env.client.workflow.getHandle(wf), 'import-notice');
  });
});
