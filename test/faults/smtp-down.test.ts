import { planWorkflowId } from '../../workflows/plan-workflow';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort, startSmtpServer, type SmtpHarness } from '../mail/smtp-harness';
import { connectDevServer, terminateAll, uniqueId } from '../helpers/temporal';
import {
  duplicateMessageIds,
  ensureDist,
  expectedMails,
  killWorker,
  mailsFor,
  scenarioDigestIds,
  spawnWorker,
  startScenario,
  waitFor,
  type WorkerProcess,
} from './harness';

describe('SMTP server down for a stretch', () => {
  let env: TestWorkflowEnvironment;
  let smtp: SmtpHarness | undefined;
  let dataDir: string;
  let worker: WorkerProcess | undefined;
  let ids: string[] = [];
  const prefix = uniqueId('sd');
  const planId = `${prefix}-plan`;
  const taskQueue = `${prefix}-q`;

  beforeAll(async () => {
    ensureDist();
    env = await connectDevServer();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-smtp-down-'));
  });

  afterAll(async () => {
    if (worker) await killWorker(worker);
    await terminateAll(
      [...ids, planWorkflowId(planId), ...scenarioDigestIds(prefix, 0, taskQueue)].map((id) =>
        env.client.workflow.getHandle(id),
      ),
    );
    await smtp?.close();
    await env?.teardown();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('deliveries fail while it is down, are retried with backoff, and arrive once when it returns', async () => {
    const port = await freePort(); // nothing listens here yet: connections are refused
    worker = spawnWorker({
      address: process.env.DONDOC_TEST_DEV_ADDRESS!,
      taskQueue,
      dataDir,
      smtpUrl: `smtp://127.0.0.1:${port}`,
    });
    await worker.ready;
    ids = await startScenario(env.client, taskQueue, planId, prefix, 1);
    const digests = scenarioDigestIds(prefix, 0, taskQueue).filter((id) => !id.includes('-0-coord:'));

    // Each digest's deliverDigest has failed at least once and waits for its next attempt.
    let failures: string[] = [];
    await waitFor(
      'a failed delivery attempt on every digest',
      async () => {
        const described = await Promise.all(
          digests.map((id) =>
            env.client.workflow
              .getHandle(id)
              .describe()
              .catch(() => undefined),
          ),
        );
        const pending = described.map((d) => d?.raw.pendingActivities?.[0]);
        failures = pending.map((p) => p?.lastFailure?.message ?? '');
        return pending.every((p) => p !== undefined && (p.attempt ?? 0) >= 2);
      },
      45_000,
    );
    expect(failures.every((m) => m.length > 0)).toBe(true);

    smtp = await startSmtpServer({ port });
    const alarms = expectedMails(prefix, 0).filter((e) => e.after === 'alarms');
    // The second retry comes 30 s after the first (15 s initial interval, coefficient 2).
    await waitFor(
      'the delayed emails',
      () => alarms.every((e) => mailsFor(smtp!.received, e.address, e.subject).length >= 1),
      75_000,
    );
    await new Promise((r) => setTimeout(r, 2_000));

    expect(duplicateMessageIds(smtp.received)).toEqual([]);
    for (const e of alarms) expect(mailsFor(smtp.received, e.address, e.subject)).toHaveLength(1);
    expect(smtp.received).toHaveLength(alarms.length);
  }, 170_000);
});
