import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Activities } from '../../activities';
import { loadPlan, PlanValidationError } from '../../plans/load';
import { importExampleOnce, importPlan, listPlanInstances, migrateLegacyPlans } from '../../services/import-plan';
import { PlanStore } from '../../services/plan-store';
import { actOnTask, getTask, listTasks } from '../../services/tasks';
import { planWorkflowId } from '../../workflows/plan-workflow';
import { writePlanFixture, type FixtureTask } from '../helpers/plan-fixture';
import { connectDevServer, terminateAll, testWorker, uniqueId } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const taskQueue = uniqueId('import');
const started: string[] = [];

beforeAll(async () => {
  env = await connectDevServer();
  const activities: Activities = {
    async enqueueNotifications() {},
    async deliverDigest() {
      throw new Error('no mail in import tests');
    },
    async sendPeriodicReport() {
      return { tasks: 0, messageId: null };
    },
  };
  worker = await testWorker(env, taskQueue, activities);
  running = worker.run();
});
afterAll(async () => {
  await terminateAll(started.map((id) => env.client.workflow.getHandle(id)));
  worker?.shutdown();
  await running;
  await env?.teardown();
});

const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
const plus = (n: number): string =>
  new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

function tasks(): FixtureTask[] {
  return [
    {
      ref: '1',
      title: 'Kiện toàn tổ hòa giải',
      lead: 'so-tu-phap',
      coordinators: ['mttq-tinh'],
      timing: { text: 'Trong quý', due: plus(60) },
    },
    {
      ref: '2',
      title: 'Tập huấn hòa giải viên',
      lead: 'so-noi-vu',
      timing: { text: 'Trong quý', due: plus(90) },
      signOff: 'none',
    },
    {
      ref: '3',
      title: 'Sơ kết thực hiện',
      lead: 'so-tu-phap',
      timing: { text: 'Cuối năm', due: plus(120) },
      signOff: 'none',
    },
  ];
}

/** Waits until visibility shows `n` instances of the plan (it is eventually consistent). */
async function waitForCount(planId: string, n: number): Promise<Awaited<ReturnType<typeof listPlanInstances>>> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const list = await listPlanInstances(env.client, planId);
    if (list.length === n || Date.now() > deadline) return list;
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('importing twice gives the same set of workflows; an amendment changes only what changed', async () => {
  const planId = uniqueId('kh').toLowerCase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-import-'));
  const { planPath, dir } = writePlanFixture({ id: planId, periodStart: today, periodEnd: plus(300), tasks: tasks() });
  const opts = { client: env.client, taskQueue, dataDir, reminderHour: 8 };

  const first = await importPlan(planPath, opts);
  started.push(...first.diff.start.map((s) => s.workflowId), planWorkflowId(planId));
  expect(first.started).toBe(3);
  const listed = await waitForCount(planId, 3);
  expect(listed.map((l) => l.workflowId).sort()).toEqual(first.diff.start.map((s) => s.workflowId).sort());

  const second = await importPlan(planPath, opts);
  expect(second.started).toBe(0);
  expect(second.amended).toBe(0);
  expect(second.cancelled).toBe(0);
  expect(second.unchanged).toBe(3);
  expect((await waitForCount(planId, 3)).length).toBe(3);

  // Amend: task 1 gets a new deadline, task 3 is removed, task 4 is new.
  const amended = tasks();
  amended[0]!.timing = { text: 'Trong quý (điều chỉnh)', due: plus(75) };
  amended.splice(2, 1);
  amended.push({
    ref: '4',
    title: 'Xây dựng mô hình điểm',
    lead: 'so-tu-phap',
    timing: { text: 'Cuối năm', due: plus(150) },
    signOff: 'none',
  });
  writePlanFixture({ id: planId, periodStart: today, periodEnd: plus(300), tasks: amended, dir });
  const third = await importPlan(planPath, opts);
  started.push(...third.diff.start.map((s) => s.workflowId));
  expect([third.started, third.amended, third.cancelled]).toEqual([1, 1, 1]);
  expect(third.text).toMatch(/Hạn hoàn thành/);

  const ids = first.diff.start.map((s) => s.workflowId);
  const t1 = ids.find((id) => id.includes(':1:'))!;
  const t2 = ids.find((id) => id.includes(':2:'))!;
  const t3 = ids.find((id) => id.includes(':3:'))!;
  const deadline = Date.now() + 15_000;
  let s1 = await getTask(env.client, t1);
  while (s1.due !== plus(75) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    s1 = await getTask(env.client, t1);
  }
  expect(s1.due).toBe(plus(75));
  expect(s1.deadlineHistory.map((d) => d.due)).toEqual([plus(60), plus(75)]);
  const s2 = await getTask(env.client, t2);
  expect(s2.timeline.map((t) => t.action)).toEqual(['created']); // untouched
  const s3 = await env.client.workflow.getHandle(t3).result();
  expect(s3.state).toBe('cancelled');
  const rows = await listTasks(env.client, { planId });
  expect(rows.length).toBe(4);
});

test('a malformed plan starts nothing and reports every error with its line', async () => {
  const planId = uniqueId('hong').toLowerCase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-import-'));
  const bad = tasks();
  bad[0]!.lead = 'co-quan-khong-co';
  bad[1]!.timing = { text: 'Trong quý', due: '2026-02-30' };
  bad.push({ ...bad[2]! }); // duplicate reference 3
  const { planPath } = writePlanFixture({ id: planId, periodStart: today, periodEnd: plus(300), tasks: bad });
  const attempt = importPlan(planPath, { client: env.client, taskQueue, dataDir, reminderHour: 8 });
  await expect(attempt).rejects.toThrow(PlanValidationError);
  const err = (await attempt.catch((e: unknown) => e)) as PlanValidationError;
  expect(err.issues.length).toBeGreaterThanOrEqual(3);
  for (const issue of err.issues) {
    expect(issue.file).toBe(planPath);
    expect(issue.line).toBeGreaterThan(0);
  }
  const text = err.format();
  expect(text).toContain('co-quan-khong-co');
  expect(text).toMatch(/tasks\[1\]\.timing\.due/);
  expect(text).toMatch(/tasks\[3\]\.ref/);
  await new Promise((r) => setTimeout(r, 1000));
  expect(await listPlanInstances(env.client, planId)).toEqual([]);
  expect(fs.existsSync(path.join(dataDir, 'plans', `${planId}.json`))).toBe(false);
});

test('a directory change moves open tasks of a dissolved agency to its successor, with their history', async () => {
  const planId = uniqueId('sapnhap').toLowerCase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-import-'));
  const agencies = [
    { id: 'ubnd-huyen-a', name: 'UBND huyện A' },
    { id: 'ubnd-xa-b', name: 'UBND xã B' },
    { id: 'van-phong-ubnd', name: 'Văn phòng UBND tỉnh' },
    { id: 'ubnd-tinh', name: 'Ủy ban nhân dân tỉnh' },
  ];
  const { planPath, dir } = writePlanFixture({
    id: planId,
    periodStart: today,
    periodEnd: plus(300),
    agencies,
    tasks: [
      {
        ref: '1',
        title: 'Thành lập tổ hòa giải',
        lead: 'ubnd-huyen-a',
        timing: { text: 'Trong quý', due: plus(60) },
        signOff: 'none',
      },
    ],
  });
  const opts = { client: env.client, taskQueue, dataDir, reminderHour: 8 };
  const first = await importPlan(planPath, opts);
  const wf = first.diff.start[0]!.workflowId;
  started.push(wf, planWorkflowId(planId));
  await actOnTask(env.client, wf, 'request_extension', {
    actor: { agencyId: 'ubnd-huyen-a' },
    newDue: plus(90),
    reason: 'Chờ sắp xếp bộ máy',
  });
  await waitForCount(planId, 1);

  // The directory now says district A is dissolved tomorrow, merged into commune B.
  const file = path.join(dir, 'directory.yaml');
  const text = fs
    .readFileSync(file, 'utf8')
    .replace(
      /( {2}- id: ubnd-huyen-a\n(?: {4}.*\n)*?)( {4}contacts:[^\n]*\n)/,
      `$1$2    dissolved: { on: ${plus(1)}, successor: ubnd-xa-b }\n`,
    );
  expect(text).toContain('dissolved:');
  fs.writeFileSync(file, text);
  const second = await importPlan(planPath, opts);
  expect(second.successions).toBe(1);
  const deadline = Date.now() + 15_000;
  let snap = await getTask(env.client, wf);
  while (snap.lead.id !== 'ubnd-xa-b' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    snap = await getTask(env.client, wf);
  }
  expect(snap.lead).toEqual({ id: 'ubnd-xa-b', name: 'UBND xã B' });
  expect(snap.state).toBe('extension_requested'); // the history and the pending request came along
  const moved = snap.timeline.find((t) => t.action === 'reassigned_by_succession');
  expect(moved?.note).toContain('UBND huyện A → UBND xã B');
  // The successor now acts on it; the dissolved agency no longer can.
  const old = await actOnTask(env.client, wf, 'submit', { actor: { agencyId: 'ubnd-huyen-a' }, summary: 'x' });
  expect(old.ok).toBe(false);
});

test('the example imported by `dondoc start` is imported once: a restart keeps the amendments made since (review defect 12)', async () => {
  const planId = uniqueId('kh-mau').toLowerCase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-example-'));
  const { planPath: bundled } = writePlanFixture({
    id: planId,
    periodStart: today,
    periodEnd: plus(300),
    tasks: tasks(),
  });
  const opts = { client: env.client, taskQueue, dataDir, reminderHour: 8 };

  const first = await importExampleOnce(bundled, opts);
  expect(first.kept).toBe(false);
  if (first.kept) return;
  started.push(...first.diff.start.map((s) => s.workflowId), planWorkflowId(planId));
  expect(first.started).toBe(3);

  // The officer amends task 1's deadline with a copy of the file, and cancels task 3 by removing it.
  const amended = tasks();
  amended[0]!.timing = { text: 'Trong quý (điều chỉnh)', due: plus(75) };
  amended.splice(2, 1);
  const { planPath: officers } = writePlanFixture({
    id: planId,
    periodStart: today,
    periodEnd: plus(300),
    tasks: amended,
  });
  const changed = await importPlan(officers, opts);
  expect([changed.amended, changed.cancelled]).toEqual([1, 1]);
  const t1 = first.diff.start.map((s) => s.workflowId).find((id) => id.includes(':1:'))!;
  const waitDue = async (due: string): Promise<string | null | undefined> => {
    const until = Date.now() + 15_000;
    for (;;) {
      const s = await getTask(env.client, t1);
      if (s.due === due || Date.now() > until) return s.due;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  expect(await waitDue(plus(75))).toBe(plus(75));

  // `dondoc start` again with the bundled file: nothing is imported over the officer's amendment.
  const restart = await importExampleOnce(bundled, opts);
  expect(restart).toEqual({ kept: true, planId });
  await new Promise((r) => setTimeout(r, 1000));
  const s1 = await getTask(env.client, t1);
  expect(s1.due).toBe(plus(75));
  expect(s1.deadlineHistory.map((d) => d.due)).toEqual([plus(60), plus(75)]);
});

test('an install from before plans lived in Temporal: its data folder is migrated into the plan workflow once, nothing lost', async () => {
  const planId = uniqueId('kh-cu').toLowerCase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-legacy-'));
  const { planPath } = writePlanFixture({ id: planId, periodStart: today, periodEnd: plus(300), tasks: tasks() });
  const loaded = await loadPlan(planPath);
  // What the earlier import wrote to the data folder.
  fs.mkdirSync(path.join(dataDir, 'plans'));
  fs.mkdirSync(path.join(dataDir, 'directories'));
  fs.writeFileSync(path.join(dataDir, 'plans', `${planId}.json`), JSON.stringify(loaded.plan, null, 2));
  fs.writeFileSync(path.join(dataDir, 'directories', `${planId}.json`), JSON.stringify(loaded.directory, null, 2));
  started.push(planWorkflowId(planId));

  const opts = { client: env.client, taskQueue, reminderHour: 8 };
  expect(await migrateLegacyPlans(dataDir, opts)).toEqual([planId]);
  const record = await new PlanStore(env.client, { ttlMs: 0 }).get(planId);
  expect(record?.plan).toEqual(loaded.plan);
  expect(record?.directory).toEqual(loaded.directory);
  // The files are kept under another name, and a second start moves nothing.
  expect(fs.readdirSync(path.join(dataDir, 'plans'))).toEqual([`${planId}.json.migrated`]);
  expect(fs.readdirSync(path.join(dataDir, 'directories'))).toEqual([`${planId}.json.migrated`]);
  expect(await migrateLegacyPlans(dataDir, opts)).toEqual([]);

  // The import that follows sees it as the previous version: an unchanged plan starts its tasks and amends nothing.
  const summary = await importPlan(planPath, { ...opts, dataDir });
  started.push(...summary.diff.start.map((s) => s.workflowId));
  expect([summary.amended, summary.cancelled]).toEqual([0, 0]);
  expect(fs.existsSync(path.join(dataDir, 'plans', `${planId}.json`))).toBe(false);
});
