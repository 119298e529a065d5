/**
 * dondoc benchmark: `npm run bench -- [--n 1000,10000] [--engine dev|postgres] [--address host:port --namespace ns --task-queue q]`.
 * See bench/README.md for what each figure means and how it is measured.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { Command } from 'commander';
import { createActivities, type Activities } from '../activities';
import { loadConfig, type DondocConfig } from '../config';
import { createCalendar, instantOfLocal, localDateOf } from '../domain/calendar';
import type { TaskInstanceSpec } from '../domain/types';
import { getShippedCalendar } from '../plans/calendar-data';
import { loadPlanFile } from '../plans/load';
import { startCluster, stopCluster, type RunningCluster } from '../cluster';
import { cachedTemporalPaths, startDevServer, type DevServer } from '../services/dev-server';
import { applyLoadedPlan } from '../services/import-plan';
import { actOnTask } from '../services/tasks';
import { connectClient, connectWorker } from '../services/temporal-connection';
import { buildWebApp } from '../web/app';
import { createLinkSigner } from '../security/links';
import { createWorker } from '../workers/create-worker';
import { SA } from '../workflows/definitions';
import type { TaskWorkflowInput } from '../workflows/task-workflow';
import { runPool, summarize, type Summary } from './stats';
import { SYNTHETIC, writeSyntheticPlan } from './synthetic-plan';

interface Options {
  n: number[];
  address?: string;
  namespace: string;
  taskQueue: string;
  fixedQueue: boolean;
  concurrency: number;
  actions: number;
  actionConcurrency: number;
  reminderMaxWait: number;
  cache?: number;
  actionsVia: 'web' | 'service';
  wftPollers?: 'autoscaling' | number;
  out: string;
}

/** One row of results (one N). */
export interface BenchRow {
  n: number;
  concurrency: number;
  rawStartsPerSec: number;
  /** Empty workflow started with the import's own argument, memo and search attributes. */
  rawPayloadStartsPerSec: number;
  importStartsPerSec: number;
  importRatio: number;
  importTotalMs: number;
  /** Task instances whose first workflow task the worker completed per second, right after the import. */
  takeUpPerSec: number;
  reminderScenario: string;
  reminderLatenessMs: Summary;
  actionLatencyMs: Summary;
  actionPath: string;
  workerRssMb: number;
  workerRssMbPer1000Tasks: number;
  cachedWorkflows: number;
  maxHistoryEvents: number;
  /** How the worker polled for workflow tasks. */
  workflowTaskPollers: string;
}

const log = (line: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret!';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function machineLine(): Record<string, string | number> {
  let temporal = 'unknown';
  try {
    const cli = cachedTemporalPaths().temporalCli;
    // Built from the Go module, the CLI calls itself 0.0.0-DEV: the module version is in the cache path.
    const moduleVersion = /\/(v\d+\.\d+\.\d+)\//.exec(cli)?.[1] ?? '?';
    temporal = `Temporal CLI ${moduleVersion}: ${execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim()}`;
  } catch {
    // The benchmark may point at a cluster from a machine without the cached CLI.
  }
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    temporalCli: temporal,
    temporalSdk: (JSON.parse(fs.readFileSync(require.resolve('@temporalio/worker/package.json'), 'utf8')) as { version: string }).version,
  };
}

/** Measures `client.workflow.start` of an empty workflow, `concurrency` in flight, no worker needed. */
async function measureRawStarts(client: Client, taskQueue: string, n: number, concurrency: number, tag: string): Promise<number> {
  const ids = Array.from({ length: n }, (_, i) => `bench-noop-${tag}-${i}`);
  const t0 = performance.now();
  await runPool(ids, concurrency, async (workflowId) => {
    await client.workflow.start('benchNoopWorkflow', { taskQueue, workflowId, args: [] });
  });
  return n / ((performance.now() - t0) / 1000);
}

/** A task instance due `due` at `reminderHour` with one reminder (the due-day one) and nothing else. */
function reminderSpec(workflowId: string, due: string, timeZone: string): TaskInstanceSpec {
  return {
    workflowId,
    planId: 'bench-reminders',
    planNumber: '2/KH-BENCH',
    planTitle: 'Kế hoạch thử tải (nhắc hạn)',
    timeZone,
    taskKey: workflowId,
    taskRef: '1',
    title: 'Nhiệm vụ thử tải nhắc hạn',
    lead: { id: SYNTHETIC.commune(0), name: 'UBND xã số 0 (thử tải)' },
    coordinators: [],
    requiredSignOff: [],
    monitoring: { id: SYNTHETIC.monitoring, name: 'Sở Tư pháp (thử tải)' },
    authority: { id: SYNTHETIC.authority, name: 'UBND tỉnh (thử tải)' },
    schedule: { text: `Trong ngày ${due}`, kind: 'deadline', due, dues: [due], recurrence: 'none', confident: true, reason: 'bench' },
    reminderOffsets: [0],
    overdueEveryWorkingDays: 1000,
    ladder: [],
    calendar: getShippedCalendar(),
    specHash: 'bench',
  };
}

/**
 * The earliest real reminder slot of `taskWorkflow` (local whole hour, today a working day) between `from` and
 * `to` among zones whose offsets put local hours on different UTC quarter hours.
 */
function findRealReminderSlot(from: number, to: number): { at: number; timeZone: string; due: string; hour: number } | undefined {
  const calendar = createCalendar(getShippedCalendar());
  let best: { at: number; timeZone: string; due: string; hour: number } | undefined;
  for (const timeZone of ['Asia/Ho_Chi_Minh', 'Asia/Kolkata', 'Asia/Kathmandu']) {
    const due = localDateOf(from, timeZone);
    if (!calendar.isWorkingDay(due)) continue;
    for (let hour = 0; hour < 24; hour++) {
      const at = instantOfLocal(due, hour, 0, timeZone);
      if (at >= from && at <= to && (!best || at < best.at)) best = { at, timeZone, due, hour };
    }
  }
  return best;
}

type ActFn = (planId: string, workflowId: string, action: 'submit' | 'confirm', agencyId: string, fields: Record<string, unknown>) => Promise<boolean>;

/**
 * The door the action-latency scenario goes through. `web`: dondoc's web app (web/app.ts) listening on loopback;
 * each action is a POST of a signed link's token to /api/actions/:token, exactly as the link in an email is used,
 * so the figure includes link checking, the task query, the update and the used-link record. `service`: the
 * update alone (services/tasks actOnTask), for comparison with runs made before the web app existed.
 */
async function actionDoor(
  via: 'web' | 'service',
  client: Client,
  config: DondocConfig,
): Promise<{ act: ActFn; actionPath: string; close: () => Promise<void> }> {
  if (via === 'service')
    return {
      actionPath: 'services/tasks actOnTask (the update alone)',
      act: async (_planId, workflowId, action, agencyId, fields) =>
        (await actOnTask(client, workflowId, action, { ...fields, actor: { agencyId } })).ok,
      close: () => Promise.resolve(),
    };
  const app = await buildWebApp({ client, config, linkSecret: BENCH_SECRET, dataDir: config.dataDir, outboxDir: undefined });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const signer = createLinkSigner(BENCH_SECRET);
  return {
    actionPath: 'HTTP POST /api/actions/:token of web/app.ts on loopback',
    act: async (planId, workflowId, action, agencyId, fields) => {
      const token = signer.sign({ p: planId, w: workflowId, c: 0, a: agencyId, k: action, exp: Math.floor(Date.now() / 1000) + 3600 });
      const res = await fetch(`${base}/api/actions/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fields),
      });
      const body = (await res.json()) as { ok?: boolean };
      return res.status === 200 && body.ok === true;
    },
    close: () => app.close(),
  };
}

/** Resolves once the worker has had no workflow activation or activity in flight for `quietMs`, or after `timeoutMs`. */
async function waitForWorkerQuiet(worker: Worker, quietMs: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + Math.max(0, timeoutMs);
  let idleSince = Date.now();
  while (Date.now() < deadline) {
    const s = worker.getStatus();
    if (s.numInFlightWorkflowActivations > 0 || s.numInFlightActivities > 0) idleSince = Date.now();
    else if (Date.now() - idleSince >= quietMs) return;
    await sleep(100);
  }
}

async function waitForWorkerIdle(worker: Worker, expectCached: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let stableSince = Date.now();
  let idleSince = Date.now();
  for (;;) {
    const s = worker.getStatus();
    if (s.numCachedWorkflows !== last) {
      last = s.numCachedWorkflows;
      stableSince = Date.now();
    }
    const idle = s.numInFlightWorkflowActivations === 0 && s.numInFlightActivities === 0;
    if (!idle) idleSince = Date.now();
    // Done when every workflow is cached, or, with a cache smaller than N (evictions), when the worker has had
    // nothing to do for a while: its task queue is drained.
    if (idle && (last >= expectCached || (Date.now() - stableSince > 5_000 && Date.now() - idleSince > 3_000))) return last;
    if (Date.now() > deadline) return last;
    await sleep(250);
  }
}

async function runOne(
  n: number,
  opts: Options,
  ctx: { client: Client; config: DondocConfig; bundleCode: string; workDir: string; address: string },
): Promise<BenchRow> {
  const { client, config } = ctx;
  const tag = `${n}-${Date.now().toString(36)}`;
  const taskQueue = opts.fixedQueue ? opts.taskQueue : `${opts.taskQueue}-${tag}`;

  log(`N=${n}: task queue ${taskQueue}; raw starts of an empty workflow, ${opts.concurrency} in flight…`);
  const rawStartsPerSec = await measureRawStarts(client, taskQueue, n, opts.concurrency, tag);
  log(`N=${n}: raw ${round(rawStartsPerSec)} starts/s`);

  const planId = `bench-${tag}`;
  const planPath = writeSyntheticPlan(path.join(ctx.workDir, planId), { planId, instances: n, dueYear: new Date().getUTCFullYear() + 2 });
  const loaded = loadPlanFile(planPath);
  log(`N=${n}: plan of ${loaded.instances.length} instances loaded; raw starts with the same payload, memo and search attributes…`);
  const tp = performance.now();
  await runPool(loaded.instances, opts.concurrency, async (spec, i) => {
    await client.workflow.start('benchNoopWorkflow', {
      taskQueue,
      workflowId: `bench-noop-payload-${tag}-${i}`,
      args: [{ spec, reminderHour: config.reminderHour }],
      memo: { title: spec.title, taskRef: spec.taskRef, leadName: spec.lead.name, planNumber: spec.planNumber },
      typedSearchAttributes: [
        { key: SA.plan, value: `${spec.planId}-noop` },
        { key: SA.task, value: spec.taskKey },
        { key: SA.lead, value: spec.lead.id },
        { key: SA.specHash, value: spec.specHash },
      ],
    });
  });
  const rawPayloadStartsPerSec = loaded.instances.length / ((performance.now() - tp) / 1000);
  log(`N=${n}: raw with payload ${round(rawPayloadStartsPerSec)} starts/s; importing…`);
  let startPhaseBegin = 0;
  let startPhaseEnd = 0;
  const t0 = performance.now();
  const summary = await applyLoadedPlan(loaded, {
    client,
    taskQueue,
    dataDir: config.dataDir,
    reminderHour: config.reminderHour,
    concurrency: opts.concurrency,
    onProgress: (done, total) => {
      if (done === 0) startPhaseBegin = performance.now();
      if (done === total) startPhaseEnd = performance.now();
      if (done > 0 && done % Math.max(1000, Math.floor(total / 5)) === 0) log(`  import ${done}/${total}`);
    },
  });
  const importTotalMs = performance.now() - t0;
  const importStartsPerSec = summary.started / ((startPhaseEnd - startPhaseBegin) / 1000);
  log(`N=${n}: import ${round(importStartsPerSec)} instances/s (${summary.started} started, ${round(importTotalMs / 1000)} s in all)`);

  // The worker, with the real activities; enqueueNotifications wrapped to record when each reminder ran.
  const ran = new Map<string, number>();
  const real = createActivities({ config: { ...config, temporal: { ...config.temporal, taskQueue } }, client, linkSecret: BENCH_SECRET });
  const activities: Activities = {
    ...real,
    async enqueueNotifications(input) {
      const id = Context.current().info.workflowExecution?.workflowId ?? '';
      if (id.startsWith(`bench-rem-${tag}`) && !ran.has(id)) ran.set(id, Date.now());
      if (input.items.length > 0) await real.enqueueNotifications(input);
    },
  };
  const rssBefore = process.memoryUsage().rss;
  const connection = await connectWorker({ ...config, temporal: { ...config.temporal, address: ctx.address } });
  const worker = await createWorker({
    config: { ...config, temporal: { ...config.temporal, taskQueue } },
    connection,
    activities,
    workflowBundle: { code: ctx.bundleCode },
    tuning: {
      ...(opts.cache ? { maxCachedWorkflows: opts.cache } : {}),
      ...(opts.wftPollers !== undefined ? { workflowTaskPollers: opts.wftPollers } : {}),
    },
  });
  const running = worker.run();
  try {
    log(`N=${n}: worker started; waiting for it to take up the ${n} task workflows…`);
    const takeUpStart = performance.now();
    const cached = await waitForWorkerIdle(worker, n, Math.max(120_000, n * 30));
    const takeUpPerSec = n / ((performance.now() - takeUpStart) / 1000);
    log(`N=${n}: first workflow task of every task instance done at ${round(takeUpPerSec)} instances/s`);
    const rss = process.memoryUsage().rss;
    const workerRssMb = rss / 2 ** 20;
    const perThousand = ((rss - rssBefore) / 2 ** 20 / Math.max(1, cached)) * 1000;
    log(`N=${n}: RSS ${round(workerRssMb)} MB with ${cached} workflows cached (+${round(perThousand)} MB per 1000)`);

    // Action latency: submit then confirm on distinct tasks, `actionConcurrency` lanes, each an HTTP POST of a
    // signed link to the web app's JSON API (what the button behind an email's link does), or a direct update.
    const actionTasks = loaded.instances.slice(0, Math.ceil(opts.actions / 2));
    const { act, actionPath, close } = await actionDoor(opts.actionsVia, client, { ...config, temporal: { ...config.temporal, taskQueue } });
    const latencies: number[] = [];
    let refused = 0;
    try {
      await runPool(actionTasks, opts.actionConcurrency, async (spec) => {
        const steps: ['submit' | 'confirm', string, Record<string, unknown>][] = [
          ['submit', spec.lead.id, { summary: 'Đã hoàn thành (thử tải)' }],
          ['confirm', SYNTHETIC.coordinator, { note: 'Thống nhất' }],
        ];
        for (const [action, agencyId, fields] of steps) {
          const t = performance.now();
          const ok = await act(spec.planId, spec.workflowId, action, agencyId, fields);
          latencies.push(performance.now() - t);
          if (!ok) refused += 1;
        }
      });
    } finally {
      await close();
    }
    const actionLatencyMs = summarize(latencies);
    log(`N=${n}: ${latencies.length} actions through ${actionPath}, p50 ${round(actionLatencyMs.p50)} ms, p99 ${round(actionLatencyMs.p99)} ms, ${refused} refused`);
    if (refused > 0) throw new Error(`${refused} of ${latencies.length} actions were refused: the latency figures would not be of real actions`);

    // A full cycle for a sample: accept closes it (submit and confirm done above), then the largest history.
    const sample = actionTasks.slice(0, 20);
    await runPool(sample, 10, async (spec) => {
      await actOnTask(client, spec.workflowId, 'accept', { actor: { agencyId: SYNTHETIC.monitoring }, note: 'Nghiệm thu' });
    });
    let maxHistoryEvents = 0;
    for (const spec of sample) {
      const history = await client.workflow.getHandle(spec.workflowId).fetchHistory();
      maxHistoryEvents = Math.max(maxHistoryEvents, history.events?.length ?? 0);
    }
    log(`N=${n}: largest history after submit/confirm/accept: ${maxHistoryEvents} events`);

    // Reminder timeliness: N open instances whose reminder falls due at the same instant. "Open" means started and
    // taken up by the worker (their timers set) before the instant, as a real plan's instances are days before their
    // reminders: the due instant leaves time to start them and for their first workflow tasks (at the task
    // instances' take-up rate measured above, which is slower than these lighter workflows'), and the benchmark
    // checks that the worker had gone quiet before it.
    const startBudgetMs = (n / Math.max(1, importStartsPerSec)) * 1300 + (n / Math.max(1, takeUpPerSec)) * 1200 + 20_000;
    const now = Date.now();
    const slot = findRealReminderSlot(now + startBudgetMs, now + Math.max(startBudgetMs, opts.reminderMaxWait * 1000));
    let reminderScenario: string;
    let dueAt: number;
    const ids = Array.from({ length: n }, (_, i) => `bench-rem-${tag}-${i}`);
    if (slot) {
      dueAt = slot.at;
      reminderScenario = `taskWorkflow, due-day reminder at ${slot.hour}:00 ${slot.timeZone}`;
      await runPool(ids, opts.concurrency, async (workflowId) => {
        const input: TaskWorkflowInput = { spec: reminderSpec(workflowId, slot.due, slot.timeZone), reminderHour: slot.hour };
        await client.workflow.start('taskWorkflow', { taskQueue, workflowId, args: [input] });
      });
    } else {
      dueAt = Math.ceil((now + startBudgetMs) / 60_000) * 60_000;
      reminderScenario = 'benchAlarmWorkflow (no real whole-hour slot within the wait budget)';
      await runPool(ids, opts.concurrency, async (workflowId) => {
        await client.workflow.start('benchAlarmWorkflow', { taskQueue, workflowId, args: [{ dueAt }] });
      });
    }
    log(`N=${n}: ${n} reminders due at ${new Date(dueAt).toISOString()} (${reminderScenario}); waiting for the worker to take them up…`);
    await waitForWorkerQuiet(worker, 3_000, dueAt - Date.now());
    const marginMs = dueAt - Date.now();
    if (marginMs <= 0) reminderScenario += `; NOT all taken up before the due instant (${round(-marginMs / 1000)} s after): lateness includes take-up`;
    else {
      reminderScenario += `; all taken up ${round(marginMs / 1000)} s before the due instant`;
      log(`N=${n}: all taken up ${round(marginMs / 1000)} s before the due instant; waiting for the reminders…`);
    }
    const waitDeadline = dueAt + Math.max(120_000, n * 60);
    while (ran.size < n && Date.now() < waitDeadline) await sleep(500);
    const lateness = [...ran.values()].map((t) => t - dueAt);
    for (let i = ran.size; i < n; i++) lateness.push(Date.now() - dueAt); // not run yet: at least this late
    const reminderLatenessMs = summarize(lateness);
    log(`N=${n}: reminders ran ${ran.size}/${n}; lateness p50 ${reminderLatenessMs.p50} ms, p99 ${reminderLatenessMs.p99} ms, max ${reminderLatenessMs.max} ms`);
    await runPool(ids, opts.concurrency, async (id) => {
      await client.workflow.getHandle(id).terminate('benchmark finished').catch(() => undefined);
    });

    return {
      n,
      concurrency: opts.concurrency,
      rawStartsPerSec: round(rawStartsPerSec),
      rawPayloadStartsPerSec: round(rawPayloadStartsPerSec),
      importStartsPerSec: round(importStartsPerSec),
      importRatio: round(importStartsPerSec / rawStartsPerSec, 3),
      importTotalMs: Math.round(importTotalMs),
      takeUpPerSec: round(takeUpPerSec),
      reminderScenario,
      reminderLatenessMs,
      actionLatencyMs: { ...actionLatencyMs, p50: round(actionLatencyMs.p50), p99: round(actionLatencyMs.p99), max: round(actionLatencyMs.max) },
      actionPath,
      workerRssMb: round(workerRssMb),
      workerRssMbPer1000Tasks: round(perThousand),
      cachedWorkflows: cached,
      maxHistoryEvents,
      workflowTaskPollers: String(opts.wftPollers ?? config.temporal.workflowTaskPollers),
    };
  } finally {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    await connection.close();
  }
}

function markdown(rows: BenchRow[], machine: Record<string, string | number>, started: string): string {
  const head =
    '| N | raw starts/s | raw with payload+SA starts/s | import starts/s | ratio | take-up/s | reminder lateness p50 / p99 / max (ms) | action p50 / p99 (ms) | RSS (MB) | MB per 1000 tasks | max history events |';
  const lines = rows.map(
    (r) =>
      `| ${r.n} | ${r.rawStartsPerSec} | ${r.rawPayloadStartsPerSec} | ${r.importStartsPerSec} | ${r.importRatio} | ${r.takeUpPerSec} | ${r.reminderLatenessMs.p50} / ${r.reminderLatenessMs.p99} / ${r.reminderLatenessMs.max} | ${r.actionLatencyMs.p50} / ${r.actionLatencyMs.p99} | ${r.workerRssMb} | ${r.workerRssMbPer1000Tasks} | ${r.maxHistoryEvents} |`,
  );
  return [
    `# dondoc benchmark ${started}`,
    '',
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.platform}, ${machine.temporalCli}, TypeScript SDK ${machine.temporalSdk}`,
    '',
    head,
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...lines,
    '',
    ...rows.map((r) => `- N=${r.n}: reminders measured with ${r.reminderScenario}; actions through ${r.actionPath}; import concurrency ${r.concurrency}; workflow-task pollers ${r.workflowTaskPollers}; ${r.cachedWorkflows} workflows cached when RSS was read.`),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const program = new Command()
    .option('--n <list>', 'task instances per run, comma-separated', '1000')
    .option('--engine <engine>', 'dev (the CLI dev server on SQLite) or postgres (the Temporal server on PostgreSQL of `dondoc cluster up`), brought up for the run', 'dev')
    .option('--shards <k>', 'history shards of the postgres engine', '4')
    .option('--address <host:port>', 'an existing Temporal server or cluster instead of --engine')
    .option('--namespace <ns>', 'namespace', 'default')
    .option('--task-queue <name>', 'task queue prefix', 'dondoc-bench')
    .option('--fixed-queue', 'use --task-queue as is (for worker processes started beforehand on it)', false)
    .option('--concurrency <k>', 'starts in flight (raw and import alike)', '32')
    .option('--actions <k>', 'updates in the action-latency scenario', '200')
    .option('--action-concurrency <k>', 'updates in flight', '20')
    .option('--reminder-max-wait <s>', 'longest wait for a real whole-hour reminder slot before using benchAlarmWorkflow', '180')
    .option('--cache <k>', 'worker maxCachedWorkflows (default: the SDK/config default)')
    .option('--wft-pollers <p>', 'workflow-task pollers: a fixed maximum or autoscaling (default: DONDOC_WORKFLOW_TASK_POLLERS, 10)')
    .option('--actions-via <door>', 'web (HTTP POST of signed links to the web app) or service (the update alone)', 'web')
    .option('--out <dir>', 'results folder', path.resolve(__dirname, '..', '..', 'bench', 'results'));
  program.parse();
  const o = program.opts<Record<string, string | undefined>>();
  const opts: Options = {
    n: (o.n ?? '1000').split(',').map((s) => Number(s.trim())).filter((x) => Number.isInteger(x) && x > 0),
    address: o.address,
    namespace: o.namespace ?? 'default',
    taskQueue: o.taskQueue ?? 'dondoc-bench',
    fixedQueue: Boolean(o.fixedQueue),
    concurrency: Number(o.concurrency ?? 32),
    actions: Number(o.actions ?? 200),
    actionConcurrency: Number(o.actionConcurrency ?? 20),
    reminderMaxWait: Number(o.reminderMaxWait ?? 180),
    cache: o.cache ? Number(o.cache) : undefined,
    actionsVia: o.actionsVia === 'service' ? 'service' : 'web',
    wftPollers: o.wftPollers === undefined || o.wftPollers === 'autoscaling' ? o.wftPollers : Number(o.wftPollers),
    out: o.out ?? 'bench/results',
  };
  if (opts.n.length === 0) throw new Error('--n: cần danh sách số nguyên dương, ví dụ 1000,10000');
  if (opts.wftPollers !== undefined && opts.wftPollers !== 'autoscaling' && !(Number.isInteger(opts.wftPollers) && opts.wftPollers >= 2))
    throw new Error(`--wft-pollers: "autoscaling" hoặc một số nguyên ≥ 2, không phải "${o.wftPollers}"`);
  if (o.actionsVia !== 'web' && o.actionsVia !== 'service') throw new Error(`--actions-via: "web" hoặc "service", không phải "${o.actionsVia}"`);
  Runtime.install({ logger: new DefaultLogger('WARN') });

  const engine = o.engine ?? 'dev';
  if (engine !== 'dev' && engine !== 'postgres') throw new Error(`--engine: "dev" hoặc "postgres", không phải "${engine}"`);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-bench-'));
  let server: DevServer | undefined;
  let cluster: RunningCluster | undefined;
  if (!opts.address && engine === 'postgres') {
    fs.chmodSync(workDir, 0o755); // the postgres user reaches the cluster folder
    log(`starting a Temporal server on PostgreSQL (${o.shards ?? '4'} shards, data in ${workDir})…`);
    cluster = await startCluster({ dir: path.join(workDir, 'cluster'), shards: Number(o.shards ?? 4), onProgress: log });
    opts.address = cluster.temporalAddress;
    opts.namespace = cluster.namespace;
  }
  const env: Record<string, string> = {
    DONDOC_DATA_DIR: workDir,
    DONDOC_LINK_SECRET: BENCH_SECRET,
    DONDOC_DIGEST_WINDOW_MINUTES: '0',
    TEMPORAL_NAMESPACE: opts.namespace,
  };
  if (opts.address) env.TEMPORAL_ADDRESS = opts.address;
  if (cluster) env.DONDOC_DATABASE_URL = cluster.databaseUrl; // the mail ledger where production keeps it
  else {
    env.DONDOC_TEMPORAL_PORT = String(await freePort());
    env.DONDOC_TEMPORAL_UI_PORT = '0';
  }
  const config = loadConfig(env);
  if (!opts.address) {
    log(`starting a Temporal dev server (data in ${workDir})…`);
    server = await startDevServer(config, log);
  }
  const address = opts.address ?? server!.address;
  const started = new Date().toISOString().replace(/[:.]/g, '-');
  try {
    const client = await connectClient({ ...config, temporal: { ...config.temporal, address } });
    log('bundling the benchmark workflows…');
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('./workflows'),
      logger: new DefaultLogger('WARN'),
    });
    const machine = machineLine();
    log(`machine: ${JSON.stringify(machine)}`);
    const rows: BenchRow[] = [];
    fs.mkdirSync(opts.out, { recursive: true });
    for (const n of opts.n) {
      rows.push(await runOne(n, opts, { client, config, bundleCode: code, workDir, address }));
      // Written after every N, so a long run that is stopped keeps the rows it finished.
      const engineName = cluster ? `Temporal server ${cluster.shards} shards on PostgreSQL` : opts.address ? opts.address : 'embedded dev server (SQLite)';
      const json = { ...rows[0]!, startedAt: started, engine: engineName, address: opts.address ?? 'embedded dev server', machine, runs: rows };
      fs.writeFileSync(path.join(opts.out, `${started}.json`), `${JSON.stringify(json, null, 2)}\n`);
      fs.writeFileSync(path.join(opts.out, `${started}.md`), markdown(rows, machine, started));
    }
    process.stdout.write(markdown(rows, machine, started));
    log(`results: ${path.join(opts.out, started)}.{json,md}`);
    await client.connection.close();
  } finally {
    await server?.stop();
    if (cluster) await stopCluster(cluster.dir);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  const cause = err instanceof Error && err.cause !== undefined ? `\ncause: ${err.cause instanceof Error ? err.cause.message : JSON.stringify(err.cause)}` : '';
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}${cause}\n`);
  process.exit(1);
});
