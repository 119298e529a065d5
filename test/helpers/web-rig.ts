/**
 * The rig the end-to-end web tests share: the shared dev server, the web app listening on loopback, a real worker
 * on its own task queue, optionally SMTP on loopback, and headless Chromium. Stopping it terminates the workflows
 * still running on the queue and removes the data folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { createActivities } from '../../activities';
import type { DondocConfig } from '../../config/config';
import { buildWebApp, type WebDeps } from '../../web/app';
import { startSmtpServer, type SmtpHarness } from '../mail/smtp-harness';
import { connectDevServer, testConfig, testWorker, uniqueId } from './temporal';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Debian's headless Chromium. */
export function launchChromium(args: string[] = CHROMIUM_ARGS): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args });
}

export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** An ISO day as dd/mm/yyyy. */
export const vnDate = (iso: string): string => iso.split('-').reverse().join('/');

/** Calls `fn` every half second until it gives a value (a throw counts as none), or fails after `timeoutMs`. */
export async function poll<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Starts `app` on a free loopback port and returns its base URL. */
export async function listenOnLoopback(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

export interface WebRigOptions {
  /** Prefix of the data folder and the task queue. */
  name: string;
  /**
   * Starts SMTP on loopback; the worker then has its own configuration, mailing through it with links to the
   * web's real port. Without it the worker shares the web's configuration (mail to the outbox, if any).
   */
  smtp?: boolean;
  /** More settings for the web's configuration. */
  webEnv?: (smtp: SmtpHarness | undefined) => Record<string, string>;
  /** The outbox folder the web reads, from its configuration and data folder; none by default. */
  outboxDir?: (config: DondocConfig, dataDir: string) => string | undefined;
  log?: WebDeps['log'];
}

export interface WebRig {
  env: TestWorkflowEnvironment;
  smtp: SmtpHarness | undefined;
  dataDir: string;
  taskQueue: string;
  webConfig: DondocConfig;
  outboxDir: string | undefined;
  web: FastifyInstance;
  base: string;
  worker: Worker;
  running: Promise<void>;
}

/** Starts the web first, so the worker's links point at its real port, then the worker. */
export async function startWebRig(options: WebRigOptions): Promise<WebRig> {
  const rig: Partial<WebRig> = {};
  try {
    rig.env = await connectDevServer();
    const env = rig.env;
    rig.smtp = options.smtp ? await startSmtpServer() : undefined;
    const dataDir = (rig.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `dondoc-${options.name}-`)));
    const taskQueue = (rig.taskQueue = uniqueId(options.name));
    const webConfig = (rig.webConfig = testConfig({
      TEMPORAL_TASK_QUEUE: taskQueue,
      DONDOC_DATA_DIR: dataDir,
      DONDOC_DIGEST_WINDOW_MINUTES: '0',
      ...options.webEnv?.(rig.smtp),
    }));
    const secret = webConfig.links.secret!;
    rig.outboxDir = options.outboxDir?.(webConfig, dataDir);
    rig.web = await buildWebApp({
      client: env.client,
      config: webConfig,
      linkSecret: secret,
      dataDir,
      outboxDir: rig.outboxDir,
      ...(options.log ? { log: options.log } : {}),
    });
    const base = (rig.base = await listenOnLoopback(rig.web));
    const config = rig.smtp
      ? testConfig({
          TEMPORAL_TASK_QUEUE: taskQueue,
          DONDOC_SMTP_URL: `smtp://127.0.0.1:${rig.smtp.port}`,
          DONDOC_DATA_DIR: dataDir,
          DONDOC_DIGEST_WINDOW_MINUTES: '0',
          DONDOC_PUBLIC_URL: base,
        })
      : webConfig;
    const activities = createActivities({ config, client: env.client, linkSecret: secret });
    rig.worker = await testWorker(env, taskQueue, activities, config);
    rig.running = rig.worker.run();
    return rig as WebRig;
  } catch (err) {
    await stopWebRig(rig);
    throw err;
  }
}

/** Terminates what still runs on the rig's queue, stops the worker, the web and SMTP, removes the data folder. */
export async function stopWebRig(rig: Partial<WebRig> | undefined): Promise<void> {
  if (!rig) return;
  if (rig.env && rig.taskQueue) {
    for await (const wf of rig.env.client.workflow.list({
      query: `TaskQueue = '${rig.taskQueue}' AND ExecutionStatus = 'Running'`,
    })) {
      await rig.env.client.workflow
        .getHandle(wf.workflowId)
        .terminate('test finished')
        .catch(() => undefined);
    }
  }
  rig.worker?.shutdown();
  await rig.running?.catch(() => undefined);
  await rig.web?.close();
  await rig.smtp?.close();
  if (rig.dataDir) fs.rmSync(rig.dataDir, { recursive: true, force: true });
}
