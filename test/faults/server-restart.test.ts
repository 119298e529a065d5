import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../config';
import { startDevServer, type DevServer } from '../../services/dev-server';
import { importPlan, listPlanInstances } from '../../services/import-plan';
import { actOnTask, getTask } from '../../services/tasks';
import { freePort, startSmtpServer, type SmtpHarness } from '../mail/smtp-harness';
import {
  duplicateMessageIds,
  ensureDist,
  killWorker,
  mailsFor,
  spawnWorker,
  waitFor,
  type WorkerProcess,
} from './harness';

const DIRECTORY = `agencies:
  - { id: ubnd-tinh, name: UBND tỉnh Thử, level: province, contacts: { office: { email: vanthu@tinh.restart.example.gov.vn } } }
  - { id: so-tu-phap, name: Sở Tư pháp tỉnh Thử, level: department, contacts: { focal: { email: stp@restart.example.gov.vn } } }
  - { id: mttq-tinh, name: Ủy ban MTTQ tỉnh Thử, level: organisation, contacts: { focal: { email: mttq@restart.example.gov.vn } } }
  - { id: so-noi-vu, name: Sở Nội vụ tỉnh Thử, level: department, contacts: { focal: { email: snv@restart.example.gov.vn } } }
`;
const PLAN = `id: thu-khoi-dong-lai
number: "9/KH-THU"
title: Kế hoạch thử khởi động lại máy chủ
issuer: ubnd-tinh
issued: 2030-01-02
period: { start: 2030-01-01, end: 2031-12-31 }
directory: ./directory.yaml
monitoringAgency: so-tu-phap
escalationAuthority: ubnd-tinh
reportingDuties: []
tasks:
  - ref: "1"
    title: Rà soát văn bản quy phạm
    lead: so-noi-vu
    coordinators: [mttq-tinh]
    signOff: all
    timing: { text: "Trước ngày 30/6/2031", due: 2031-06-30 }
  - ref: "2"
    title: Tập huấn báo cáo viên
    lead: so-noi-vu
    coordinators: [mttq-tinh]
    signOff: all
    timing: { text: "Trước ngày 30/9/2031", due: 2031-09-30 }
`;

describe('Temporal server stopped and restarted on the same SQLite file mid-plan', () => {
  let dataDir: string;
  let server: DevServer | undefined;
  let smtp: SmtpHarness;
  let worker: WorkerProcess | undefined;
  let client: Client | undefined;

  beforeAll(async () => {
    ensureDist();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-server-restart-'));
    smtp = await startSmtpServer();
  });

  afterAll(async () => {
    if (worker) await killWorker(worker);
    await client?.connection.close();
    await server?.stop();
    await smtp?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('instances still listed and running, actions still work, no duplicate emails', async () => {
    const config = loadConfig({
      DONDOC_DATA_DIR: dataDir,
      DONDOC_TEMPORAL_PORT: String(await freePort()),
      DONDOC_TEMPORAL_UI_PORT: '0',
      DONDOC_LINK_SECRET: 'restart-secret-restart-secret-restart-0123',
    });
    server = await startDevServer(config);
    const address = server.address;
    const connect = async (): Promise<Client> => new Client({ connection: await Connection.connect({ address }) });
    client = await connect();
    const taskQueue = 'dondoc-restart';
    const startWorker = (): WorkerProcess =>
      spawnWorker({ address, taskQueue, dataDir: path.join(dataDir, 'worker'), smtpUrl: smtp.url });
    fs.mkdirSync(path.join(dataDir, 'worker'), { recursive: true });
    worker = startWorker();
    await worker.ready;

    const planDir = path.join(dataDir, 'plan');
    fs.mkdirSync(planDir);
    fs.writeFileSync(path.join(planDir, 'directory.yaml'), DIRECTORY);
    fs.writeFileSync(path.join(planDir, 'plan.yaml'), PLAN);
    const summary = await importPlan(path.join(planDir, 'plan.yaml'), {
      client,
      taskQueue,
      dataDir: path.join(dataDir, 'worker'),
      reminderHour: 8,
    });
    expect(summary.started).toBe(2);
    const [t1, t2] = summary.diff.start.map((s) => s.workflowId) as [string, string];

    // Mid-plan: task 1 submitted, its coordinator asked to confirm.
    expect(
      await actOnTask(client, t1, 'submit', { actor: { agencyId: 'so-noi-vu' }, summary: 'Đã rà soát' }),
    ).toMatchObject({ ok: true });
    await waitFor(
      'the confirmation request',
      () => mailsFor(smtp.received, 'mttq@restart.example.gov.vn', /Đề nghị xác nhận/).length === 1,
      30_000,
    );

    // Stop the server (the worker stays up and must reconnect), restart it on the same file.
    await client.connection.close();
    await server.stop();
    await new Promise((r) => setTimeout(r, 2_000));
    server = await startDevServer(config);
    client = await connect();

    let listed: Awaited<ReturnType<typeof listPlanInstances>> = [];
    await waitFor(
      'both instances listed',
      async () => {
        listed = await listPlanInstances(client!, 'thu-khoi-dong-lai');
        return listed.length === 2;
      },
      30_000,
    );
    expect(listed.map((l) => l.workflowId).sort()).toEqual([t1, t2].sort());
    expect(listed.every((l) => !l.closed)).toBe(true);

    // Actions still work after the restart, served by the same worker process.
    const afterRestart = async (...args: Parameters<typeof actOnTask>): Promise<void> => {
      await waitFor(
        `${args[2]} on ${args[1]}`,
        async () => (await actOnTask(...args).catch(() => ({ ok: false }))).ok,
        60_000,
      );
    };
    await afterRestart(client, t1, 'confirm', {
      actor: { agencyId: 'mttq-tinh' },
      note: 'Thống nhất',
      actionId: 'confirm-t1',
    });
    await afterRestart(client, t2, 'submit', {
      actor: { agencyId: 'so-noi-vu' },
      summary: 'Đã tập huấn',
      actionId: 'submit-t2',
    });
    expect(worker.child.exitCode).toBeNull();
    expect((await getTask(client, t1)).state).toBe('confirmed');
    expect((await getTask(client, t2)).state).toBe('submitted');

    // Four notices of the actions, and the lead's one notice of its two new tasks (sent at import).
    await waitFor('the emails after the restart', () => smtp.received.length >= 5, 60_000);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(duplicateMessageIds(smtp.received)).toEqual([]);
    expect(mailsFor(smtp.received, 'mttq@restart.example.gov.vn', /Đề nghị xác nhận: 1 /)).toHaveLength(1);
    expect(mailsFor(smtp.received, 'mttq@restart.example.gov.vn', /Đề nghị xác nhận: 2 /)).toHaveLength(1);
    expect(mailsFor(smtp.received, 'snv@restart.example.gov.vn', /Đã nhận xác nhận: 1 /)).toHaveLength(1);
    expect(mailsFor(smtp.received, 'stp@restart.example.gov.vn', /Báo cáo hoàn thành: 1 /)).toHaveLength(1);
    const importNotices = smtp.received.filter(
      (m) =>
        m.envelopeTo.includes('snv@restart.example.gov.vn') && /giao quý cơ quan chủ trì/.test(m.parsed.text ?? ''),
    );
    expect(importNotices).toHaveLength(1);
    expect(smtp.received).toHaveLength(5);
  }, 170_000);
});
