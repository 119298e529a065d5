import { planWorkflowId } from '../../workflows/plan-workflow';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { actOnTask, getTask, type ActionName } from '../../services/tasks';
import { startSmtpServer, type SmtpHarness } from '../mail/smtp-harness';
import { connectDevServer, terminateAll, uniqueId } from '../helpers/temporal';
import {
  duplicateMessageIds,
  ensureDist,
  expectedMails,
  killWorker,
  mailsFor,
  scenarioAgencies,
  scenarioDigestIds,
  spawnWorker,
  startScenario,
  waitFor,
  type WorkerProcess,
} from './harness';

const TASKS = 3;
const MAX_KILLS = 4;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('worker process killed with SIGKILL at random moments', () => {
  let env: TestWorkflowEnvironment;
  let smtp: SmtpHarness;
  let dataDir: string;
  let worker: WorkerProcess | undefined;
  let ids: string[] = [];
  const prefix = uniqueId('wk');
  const planId = `${prefix}-plan`;
  const taskQueue = `${prefix}-q`;

  beforeAll(async () => {
    ensureDist();
    env = await connectDevServer();
    smtp = await startSmtpServer();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-worker-kill-'));
  });

  afterAll(async () => {
    if (worker) await killWorker(worker);
    const digests = Array.from({ length: TASKS }, (_, i) => scenarioDigestIds(prefix, i, taskQueue)).flat();
    await terminateAll([...ids, planWorkflowId(planId), ...digests].map((id) => env.client.workflow.getHandle(id)));
    await smtp?.close();
    await env?.teardown();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('every email arrives exactly once and every task ends accepted', async () => {
    const address = process.env.DONDOC_TEST_DEV_ADDRESS!;
    const start = (): WorkerProcess => spawnWorker({ address, taskQueue, dataDir, smtpUrl: smtp.url });
    worker = start();
    await worker.ready;
    ids = await startScenario(env.client, taskQueue, planId, prefix, TASKS);

    // The killer: while the scenario plays, SIGKILL the worker 0.2–2.5 s after it is up, then restart it.
    let stop = false;
    let kills = 0;
    const killer = (async () => {
      while (!stop && kills < MAX_KILLS) {
        await worker.ready;
        await sleep(200 + Math.floor(Math.random() * 2300));
        if (stop) break;
        await killWorker(worker);
        kills += 1;
        worker = start();
      }
    })();

    const act = async (
      action: ActionName,
      workflowId: string,
      agencyId: string,
      extra: Record<string, unknown> = {},
    ): Promise<void> => {
      const deadline = Date.now() + 90_000;
      for (;;) {
        try {
          const out = await actOnTask(env.client, workflowId, action, {
            actor: { agencyId },
            ...extra,
            actionId: `${workflowId}:${action}`,
          });
          // A retry after a kill may find the action applied: the workflow says so instead of applying it twice.
          if (!out.ok && out.code !== 'already_done')
            throw new Error(`${action} ${workflowId}: ${out.code} ${out.reason}`);
          return;
        } catch (err) {
          // A worker killed mid-update: the same update id is asked again and runs once.
          if (Date.now() > deadline) throw err;
          await sleep(500);
        }
      }
    };
    const allArrived = (stage: 'alarms' | 'submit' | 'confirm' | 'accept') => (): boolean =>
      Array.from({ length: TASKS }, (_, i) => expectedMails(prefix, i))
        .flat()
        .filter((e) => e.after === stage)
        .every((e) => mailsFor(smtp.received, e.address, e.subject).length >= 1);

    await waitFor('the alarm emails', allArrived('alarms'), 100_000);
    await Promise.all(
      ids.map((id, i) => act('submit', id, scenarioAgencies(prefix, i).lead.id, { summary: 'Đã hoàn thành' })),
    );
    await waitFor('the confirmation requests', allArrived('submit'), 60_000);
    await Promise.all(
      ids.map((id, i) => act('confirm', id, scenarioAgencies(prefix, i).coord.id, { note: 'Thống nhất' })),
    );
    await waitFor('the confirmation emails', allArrived('confirm'), 60_000);
    stop = true;
    await killer;
    await Promise.all(
      ids.map((id, i) => act('accept', id, scenarioAgencies(prefix, i).monitoring.id, { note: 'Đạt' })),
    );
    await waitFor('the acceptance emails', allArrived('accept'), 60_000);
    // Give a late duplicate (a retried send) time to show up before counting.
    await sleep(3_000);

    process.stderr.write(`worker-kill: ${kills} SIGKILLs, ${smtp.received.length} emails\n`);
    expect(kills).toBeGreaterThanOrEqual(1);
    expect(duplicateMessageIds(smtp.received)).toEqual([]);
    for (let i = 0; i < TASKS; i++) {
      for (const e of expectedMails(prefix, i)) {
        expect({
          to: e.address,
          subject: e.subject.source,
          count: mailsFor(smtp.received, e.address, e.subject).length,
        }).toEqual({
          to: e.address,
          subject: e.subject.source,
          count: 1,
        });
      }
    }
    expect(smtp.received).toHaveLength(TASKS * 8);
    for (const id of ids) {
      const snap = await getTask(env.client, id);
      expect(snap.state).toBe('accepted');
      expect(snap.ladderLevelReached).toBe(3);
      expect(snap.timeline.filter((t) => t.action === 'escalation')).toHaveLength(3);
    }
  }, 240_000);
});
