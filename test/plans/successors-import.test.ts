/**
 * A pre-reform plan imported onto the successors the administrative units data gives (real data fetched at
 * setup), on the dev server: refused and nothing started until the officer confirms, then each successor runs
 * its own instance, and importing again changes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';

import type { Activities } from '../../activities';
import { PlanValidationError } from '../../plans/load';
import { PlanStore } from '../../services/plan-store';
import { importPlan, listPlanInstances } from '../../services/import-plan';
import { getTask } from '../../services/tasks';
import { planWorkflowId } from '../../workflows/plan-workflow';
import { connectDevServer, terminateAll, testWorker, uniqueId } from '../helpers/temporal';
import { writePlanFiles } from './units-helpers';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const taskQueue = uniqueId('units');
const started: string[] = [];

beforeAll(async () => {
  env = await connectDevServer();
  const activities: Activities = {
    async enqueueNotifications() {},
    async deliverDigest() {
      throw new Error('no mail in this test');
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

async function waitForCount(planId: string, n: number): Promise<Awaited<ReturnType<typeof listPlanInstances>>> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const list = await listPlanInstances(env.client, planId);
    if (list.length === n || Date.now() > deadline) return list;
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('a 2024 plan naming a dissolved district and commune imports onto their successors once confirmed', async () => {
  const planId = uniqueId('truoc-sap-xep').toLowerCase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-units-import-'));
  const f = writePlanFiles({
    planId,
    agencies: [
      '  - id: ubnd-tx-bim-son',
      '    name: UBND thị xã Bỉm Sơn',
      '    level: district',
      '    unit: { name: "Thị xã Bỉm Sơn", province: "Thanh Hóa" }',
      '  - id: ubnd-tt-but-son',
      '    name: UBND thị trấn Bút Sơn',
      '    level: commune',
      '    unit: { name: "Thị trấn Bút Sơn", province: "Thanh Hóa" }',
      '    dissolved: { on: 2025-07-01 }',
    ].join('\n'),
    tasks: [
      '  - ref: "1"',
      '    title: Kiện toàn tổ hòa giải ở cơ sở',
      '    lead: [ubnd-tx-bim-son, ubnd-tt-but-son]',
      '    timing: { text: "Trong năm 2024", due: 2024-11-30 }',
      '    signOff: none',
    ].join('\n'),
  });
  const opts = { client: env.client, taskQueue, dataDir, reminderHour: 8 };

  const refused = await importPlan(f.planPath, opts).then(
    () => null,
    (e: unknown) => e,
  );
  expect(refused).toBeInstanceOf(PlanValidationError);
  expect((refused as PlanValidationError).issues.map((i) => i.field)).toEqual(['agencies[2].unit', 'agencies[3].unit']);
  await new Promise((r) => setTimeout(r, 500));
  expect(await listPlanInstances(env.client, planId)).toEqual([]);

  const first = await importPlan(f.planPath, { ...opts, confirmSuccessors: true });
  started.push(...first.diff.start.map((s) => s.workflowId), planWorkflowId(planId));
  const leads = first.diff.start.map((s) => s.lead.name).sort();
  // Bỉm Sơn went to its two wards; the townlet Bút Sơn went to the commune Hoằng Hóa.
  expect(leads).toEqual(['UBND phường Bỉm Sơn', 'UBND phường Quang Trung', 'UBND xã Hoằng Hóa']);
  expect(first.started).toBe(3);
  const listed = await waitForCount(planId, 3);
  expect(listed.map((l) => l.lead).sort()).toEqual(first.diff.start.map((s) => s.lead.id).sort());
  const one = first.diff.start.find((s) => s.lead.name === 'UBND xã Hoằng Hóa');
  const snap = await getTask(env.client, one!.workflowId);
  expect(snap.lead).toEqual(one!.lead);

  // The directory the plan's workflow holds for the mail resolves the successors by the ids the instances run under.
  const saved = (await new PlanStore(env.client, { ttlMs: 0 }).get(planId))!.directory;
  expect(saved.agencies.find((a) => a.id === one!.lead.id)?.name).toBe('UBND xã Hoằng Hóa');

  const again = await importPlan(f.planPath, { ...opts, confirmSuccessors: true });
  expect([again.started, again.amended, again.cancelled, again.unchanged]).toEqual([0, 0, 0, 3]);
});
