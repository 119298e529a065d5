/**
 * dondoc benchmark: `npm run bench -- [--n 1000,10000] [--engine dev|postgres] [--address host:port --namespace ns --task-queue q]`.
 * See bench/README.md for what each figure means and how it is measured.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { Command } from 'commander';
import { createActivities, type Activities } from '../activities';
import { loadConfig, type DondocConfig } from '../config';
import { loadPlanFile } from '../plans/load';
import { startCluster, stopCluster, type RunningCluster } from '../cluster';
import { cachedTemporalPaths, startDevServer, type DevServer } from '../services/dev-server';
import { applyLoadedPlan } from '../services/import-plan';
import { actOnTask } from '../services/tasks';
import { connectClient, connectWorker } from '../services/temporal-connection';
import { createWorker } from '../workers/create-worker';
import { SA } from '../workflows/definitions';
import { messageIdForDigest } from '../activities/email-activities';
import { workerCacheSize } from '../workers/create-worker';
import {
  BENCH_SECRET,
  log,
  measureActionsOpenLoop,
  measureAnnouncedDelivery,
  measureRawWake,
  measureTaskWake,
  round,
  type OpenLoopRow,
  type ScenarioOptions,
} from './scenarios';
import { freePort, waitForWorkerIdle } from './harness';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { runPool, type Summary } from './stats';
import { SYNTHETIC, writeSyntheticPlan } from './synthetic-plan';
import { measureWorkerMemory, writeWorkflowBundles } from './worker-memory';

interface Options extends ScenarioOptions {
  n: number[];
  address?: string;
  namespace: string;
  taskQueue: string;
  fixedQueue: boolean;
  cache?: number;
  wftPollers?: 'autoscaling' | number;
  out: string;
}

/** One row of results (one N); the keys of issue 15 first. */
export interface BenchRow {
  engine: string;
  n: number;
  importRatio: number;
  reminderScenario: 'taskWorkflow';
  /** The announced minute's delivery against it, per message carrying the scenario's items (sink arrival). */
  digestLatenessMs: Summary;
  digestsExpected: number;
  digestsDelivered: number;
  digestsDuplicated: number;
  itemsMissing: number;
  /** Our wake-ups per second over Temporal's raw ones, N at one instant each. */
  wakeRatio: number;
  actionOpenLoop: OpenLoopRow[];
  workerRssMb: number;
  /** RSS growth per cached taskWorkflow of a worker-only child process (bench/worker-memory.ts). */
  kbPerCachedWorkflow: number;
  /** The same for an empty workflow in a bundle of its own: the SDK's floor. */
  kbPerCachedEmptyWorkflow: number;
  maxHistoryEvents: number;
  // The rest.
  reminderScenarioDetail: string;
  concurrency: number;
  rawStartsPerSec: number;
  /** Empty workflow started with the import's own argument, memo and search attributes. */
  rawPayloadStartsPerSec: number;
  importStartsPerSec: number;
  importTotalMs: number;
  /** Task instances whose first workflow task the worker completed per second, right after the import. */
  takeUpPerSec: number;
  rawWakePerSec: number;
  ourWakePerSec: number;
  actionPath: string;
  workerRssMbAfterTakeUp: number;
  workerRssMbPer1000Tasks: number;
  /** V8 heap growth per cached workflow in that child (task, floor). */
  heapKbPerCachedWorkflow: number;
  heapKbPerCachedEmptyWorkflow: number;
  /** Workflows cached in that child: min(N, MEMORY_K). */
  memoryMeasuredWith: number;
  /** The former figure: this process's RSS growth per workflow its worker cached (client, web app, specs included). */
  benchProcessKbPerCachedWorkflow: number;
  cachedWorkflows: number;
  maxCachedWorkflows: number;
  /** How the worker polled for workflow tasks. */
  workflowTaskPollers: string;
}

/** Workflows cached in the worker-only memory measurement (at most N). */
const MEMORY_K = 1000;

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
    temporalSdk: (
      JSON.parse(fs.readFileSync(require.resolve('@temporalio/worker/package.json'), 'utf8')) as { version: string }
    ).version,
  };
}

/** Measures `client.workflow.start` of an empty workflow, `concurrency` in flight, no worker needed. */
async function measureRawStarts(
  client: Client,
  taskQueue: string,
  n: number,
  concurrency: number,
  tag: string,
): Promise<number> {
  const ids = Array.from({ length: n }, (_, i) => `bench-noop-${tag}-${i}`);
  const t0 = performance.now();
  await runPool(ids, concurrency, async (workflowId) => {
    await client.workflow.start('benchNoopWorkflow', { taskQueue, workflowId, args: [] });
  });
  return n / ((performance.now() - t0) / 1000);
}

async function runOne(
  n: number,
  opts: Options,
  ctx: {
    client: Client;
    config: DondocConfig;
    bundleCode: string;
    /** Bundle files for the worker-only memory measurement (bench/worker-memory.ts). */
    bundles: { bench: string; floor: string };
    /** The environment of a dondoc worker on this server, for that measurement's child process. */
    workerEnv: Record<string, string>;
    workDir: string;
    address: string;
    sink: SmtpSink;
    engineName: string;
  },
): Promise<BenchRow> {
  const { client, config } = ctx;
  const tag = `${n}-${Date.now().toString(36)}`;
  const taskQueue = opts.fixedQueue ? opts.taskQueue : `${opts.taskQueue}-${tag}`;

  log(`N=${n}: task queue ${taskQueue}; raw starts of an empty workflow, ${opts.concurrency} in flight…`);
  const rawStartsPerSec = await measureRawStarts(client, taskQueue, n, opts.concurrency, tag);
  log(`N=${n}: raw ${round(rawStartsPerSec)} starts/s`);

  const planId = `bench-${tag}`;
  const planPath = writeSyntheticPlan(path.join(ctx.workDir, planId), {
    planId,
    instances: n,
    dueYear: new Date().getUTCFullYear() + 2,
  });
  const loaded = loadPlanFile(planPath);
  log(
    `N=${n}: plan of ${loaded.instances.length} instances loaded; raw starts with the same payload, memo and search attributes…`,
  );
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
  log(
    `N=${n}: import ${round(importStartsPerSec)} instances/s (${summary.started} started, ${round(importTotalMs / 1000)} s in all)`,
  );

  // The worker, with the real activities (mail through the SMTP sink on loopback); enqueueNotifications wrapped to
  // record when each wake-up ran, deliverDigest to record which items each message carried.
  const ran = new Map<string, number>();
  const digests = new Map<string, string[]>();
  const real = createActivities({
    config: { ...config, temporal: { ...config.temporal, taskQueue } },
    client,
    linkSecret: BENCH_SECRET,
  });
  const activities: Activities = {
    ...real,
    async enqueueNotifications(input) {
      const id = Context.current().info.workflowExecution?.workflowId ?? '';
      // A wake-up is the raw workflow's no-op call (no items) or a task's reminder hand-over; a new task's notice
      // (sent when the task is taken up, since the 'import-notice' patch) is not one.
      const wakeUp = input.items.length === 0 || input.items.some((i) => i.kind !== 'plan_imported');
      if (wakeUp && id.startsWith('bench-') && !ran.has(id)) ran.set(id, Date.now());
      if (input.items.length > 0) await real.enqueueNotifications(input);
    },
    async deliverDigest(input) {
      digests.set(
        messageIdForDigest(input.digestId),
        input.items.map((i) => i.key),
      );
      return real.deliverDigest(input);
    },
  };
  const cacheSize = opts.cache ?? workerCacheSize(config);
  const connection = await connectWorker({ ...config, temporal: { ...config.temporal, address: ctx.address } });
  const worker = await createWorker({
    config: { ...config, temporal: { ...config.temporal, taskQueue } },
    connection,
    activities,
    workflowBundle: { code: ctx.bundleCode },
    tuning: {
      ...(cacheSize !== undefined ? { maxCachedWorkflows: cacheSize } : {}),
      ...(opts.wftPollers !== undefined ? { workflowTaskPollers: opts.wftPollers } : {}),
    },
  });
  // The worker's own base (bundle loaded in its workflow thread) is not counted per cached workflow.
  const rssBefore = process.memoryUsage().rss;
  const running = worker.run();
  // A worker that fails to start (or dies) must stop the benchmark, not leave it waiting on updates for ever.
  let workerFailure: Error | undefined;
  running.catch((err: unknown) => {
    workerFailure = err instanceof Error ? err : new Error(`worker stopped: ${JSON.stringify(err)}`);
    log(`worker stopped: ${err instanceof Error ? err.message : String(err)}`);
  });
  try {
    log(`N=${n}: worker started; waiting for it to take up the ${n} task workflows…`);
    const takeUpStart = performance.now();
    const cached = await waitForWorkerIdle(worker, n, Math.max(120_000, n * 30));
    if (workerFailure) throw workerFailure;
    const takeUpPerSec = n / ((performance.now() - takeUpStart) / 1000);
    log(`N=${n}: first workflow task of every task instance done at ${round(takeUpPerSec)} instances/s`);
    const rss = process.memoryUsage().rss;
    const workerRssMb = rss / 2 ** 20;
    const perThousand = ((rss - rssBefore) / 2 ** 20 / Math.max(1, cached)) * 1000;
    log(`N=${n}: RSS ${round(workerRssMb)} MB with ${cached} workflows cached (+${round(perThousand)} MB per 1000)`);

    // Events per task cycle and the largest history: 20 tasks run submit → confirm → accept (a full cycle on time).
    const sample = loaded.instances.slice(0, 20);
    await runPool(sample, 10, async (spec) => {
      await actOnTask(client, spec.workflowId, 'submit', {
        actor: { agencyId: spec.lead.id },
        summary: 'Đã hoàn thành (thử tải)',
      });
      await actOnTask(client, spec.workflowId, 'confirm', {
        actor: { agencyId: SYNTHETIC.coordinator },
        note: 'Thống nhất',
      });
      await actOnTask(client, spec.workflowId, 'accept', {
        actor: { agencyId: SYNTHETIC.monitoring },
        note: 'Nghiệm thu',
      });
    });
    let maxHistoryEvents = 0;
    for (const spec of sample) {
      const history = await client.workflow.getHandle(spec.workflowId).fetchHistory();
      maxHistoryEvents = Math.max(maxHistoryEvents, history.events?.length ?? 0);
    }
    log(`N=${n}: largest history after submit/confirm/accept: ${maxHistoryEvents} events`);

    // Actions, open loop, and the raw update at the same rates.
    const actionOpenLoop = await measureActionsOpenLoop(loaded.instances.slice(20), opts, {
      client,
      config: { ...config, temporal: { ...config.temporal, taskQueue } },
      taskQueue,
      tag,
    });

    // Wake-ups: Temporal's raw (empty workflows, one instant, one no-op local activity) against ours (real task
    // workflows whose due-day reminder falls at one instant: preparation window 0).
    // Twice what the import and take-up took, and 30 s: the wake-ups must find every instance taken up.
    const startBudgetMs =
      (n / Math.max(1, importStartsPerSec)) * 2000 + (n / Math.max(1, takeUpPerSec)) * 2000 + 30_000;
    const rawWake = await measureRawWake(n, opts, { client, taskQueue, tag, worker, startBudgetMs, ran });
    const ourWake = await measureTaskWake(n, opts, {
      client,
      taskQueue,
      tag,
      worker,
      startBudgetMs,
      ran,
      planId: loaded.plan.id,
    });
    const wakeRatio = round(ourWake.perSec / rawWake.perSec, 3);
    log(`N=${n}: wake-ups raw ${round(rawWake.perSec)}/s, ours ${round(ourWake.perSec)}/s: ratio ${wakeRatio}`);

    // Reminders on the announced minute, end to end: real task workflows, real digests, SMTP on loopback.
    const delivery = await measureAnnouncedDelivery(n, opts, {
      client,
      taskQueue,
      tag,
      worker,
      startBudgetMs,
      ran,
      digests,
      sink: ctx.sink,
      planId: loaded.plan.id,
    });
    const rssEnd = process.memoryUsage().rss / 2 ** 20;

    // Memory per cached workflow, in a worker that does nothing else (a child process): real task workflows of
    // this plan's shape, and the SDK's floor (an empty workflow in a bundle of its own).
    const memoryK = Math.min(n, MEMORY_K);
    const measure = (kind: 'floor' | 'task'): ReturnType<typeof measureWorkerMemory> =>
      measureWorkerMemory({
        client,
        env: ctx.workerEnv,
        bundlePath: kind === 'floor' ? ctx.bundles.floor : ctx.bundles.bench,
        kind,
        k: memoryK,
        tag: `${kind}-${tag}`,
        workDir: ctx.workDir,
        log,
      });
    const floorMemory = await measure('floor');
    const taskMemory = await measure('task');

    return {
      engine: ctx.engineName,
      n,
      concurrency: opts.concurrency,
      rawStartsPerSec: round(rawStartsPerSec),
      rawPayloadStartsPerSec: round(rawPayloadStartsPerSec),
      importStartsPerSec: round(importStartsPerSec),
      importRatio: round(importStartsPerSec / rawStartsPerSec, 3),
      importTotalMs: Math.round(importTotalMs),
      takeUpPerSec: round(takeUpPerSec),
      reminderScenario: 'taskWorkflow',
      reminderScenarioDetail: delivery.detail,
      digestLatenessMs: delivery.lateness,
      digestsExpected: delivery.expected,
      digestsDelivered: delivery.delivered,
      digestsDuplicated: delivery.duplicated,
      itemsMissing: delivery.missing,
      rawWakePerSec: round(rawWake.perSec),
      ourWakePerSec: round(ourWake.perSec),
      wakeRatio,
      actionOpenLoop,
      actionPath:
        opts.actionsVia === 'web'
          ? 'HTTP POST /api/actions/:token of web/app.ts on loopback'
          : 'services/tasks actOnTask',
      workerRssMb: round(Math.max(workerRssMb, rssEnd)),
      workerRssMbAfterTakeUp: round(workerRssMb),
      workerRssMbPer1000Tasks: round(perThousand),
      kbPerCachedWorkflow: taskMemory.kbPerCached.rss,
      kbPerCachedEmptyWorkflow: floorMemory.kbPerCached.rss,
      heapKbPerCachedWorkflow: taskMemory.kbPerCached.heapUsed,
      heapKbPerCachedEmptyWorkflow: floorMemory.kbPerCached.heapUsed,
      memoryMeasuredWith: memoryK,
      benchProcessKbPerCachedWorkflow: round((rss - rssBefore) / 1024 / Math.max(1, cached)),
      cachedWorkflows: cached,
      maxCachedWorkflows: cacheSize,
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
    '| engine | N | raw starts/s | import starts/s | importRatio | take-up/s | digest lateness p50 / p99 / max (ms) | digests expected / delivered / duplicated | items missing | wake raw / ours (/s) | wakeRatio | RSS (MB), cached of cache | KB per cached workflow: task / SDK floor (worker alone, K) | max history events |';
  const lines = rows.map(
    (r) =>
      `| ${r.engine} | ${r.n} | ${r.rawStartsPerSec} | ${r.importStartsPerSec} | ${r.importRatio} | ${r.takeUpPerSec} | ${r.digestLatenessMs.p50} / ${r.digestLatenessMs.p99} / ${r.digestLatenessMs.max} | ${r.digestsExpected} / ${r.digestsDelivered} / ${r.digestsDuplicated} | ${r.itemsMissing} | ${r.rawWakePerSec} / ${r.ourWakePerSec} | ${r.wakeRatio} | ${r.workerRssMb}, ${r.cachedWorkflows} of ${r.maxCachedWorkflows} | ${r.kbPerCachedWorkflow} / ${r.kbPerCachedEmptyWorkflow} (${r.memoryMeasuredWith}) | ${r.maxHistoryEvents} |`,
  );
  const actions = rows.flatMap((r) =>
    r.actionOpenLoop.map(
      (a) =>
        `| ${r.n} | ${a.ratePerSec} | ${a.count} | ${a.p50} / ${a.p99} | ${a.rawP50} / ${a.rawP99} | ${round(a.p99 / a.rawP99, 2)} | ${a.failed} / ${a.rawFailed} |`,
    ),
  );
  return [
    `# dondoc benchmark ${started}`,
    '',
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.platform}, ${machine.temporalCli}, TypeScript SDK ${machine.temporalSdk}`,
    '',
    head,
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...lines,
    '',
    'Actions, open loop (Poisson arrivals):',
    '',
    '| N | rate (/s) | actions | ours p50 / p99 (ms) | raw update p50 / p99 (ms) | p99 ours / raw | failed ours / raw |',
    '|---|---|---|---|---|---|---|',
    ...actions,
    '',
    ...rows.map(
      (r) =>
        `- N=${r.n}: reminders: ${r.reminderScenarioDetail}; actions through ${r.actionPath}; import concurrency ${r.concurrency}; workflow-task pollers ${r.workflowTaskPollers}.`,
    ),
    '',
    'Targets (issue 15): every digest within 5 s of its minute with 0 missing and 0 duplicated at N = 33,210 on the dev server; wakeRatio ≥ 0.8; at 5 actions/s p99 ≤ 2 × the raw update p99; ≤ 150 KB per cached workflow and RSS < 1 GB; importRatio ≥ 0.95.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const program = new Command()
    .option('--n <list>', 'task instances per run, comma-separated', '1000')
    .option(
      '--engine <engine>',
      'dev (the CLI dev server on SQLite) or postgres (the Temporal server on PostgreSQL of `dondoc cluster up`), brought up for the run',
      'dev',
    )
    .option('--shards <k>', 'history shards of the postgres engine', '4')
    .option('--address <host:port>', 'an existing Temporal server or cluster instead of --engine')
    .option('--namespace <ns>', 'namespace', 'default')
    .option('--task-queue <name>', 'task queue prefix', 'dondoc-bench')
    .option('--fixed-queue', 'use --task-queue as is (for worker processes started beforehand on it)', false)
    .option('--concurrency <k>', 'starts in flight (raw and import alike)', '32')
    .option('--action-rates <list>', 'arrival rates of the open-loop actions, per second, comma-separated', '1,5,20')
    .option('--action-seconds <s>', 'seconds of arrivals at each rate (shorter for development)', '60')
    .option('--raw-update-workflows <k>', 'empty workflows taking the raw updates', '50')
    .option(
      '--prepare-minutes <m>',
      'preparation window of the announced-delivery scenario (default: from N, room for 40 wake-ups a second)',
    )
    .option(
      '--cache <k>',
      'worker maxCachedWorkflows (default: sized from the worker memory, workers/create-worker.ts)',
    )
    .option(
      '--wft-pollers <p>',
      'workflow-task pollers: a fixed maximum or autoscaling (default: DONDOC_WORKFLOW_TASK_POLLERS, 10)',
    )
    .option(
      '--actions-via <door>',
      'web (HTTP POST of signed links to the web app) or service (the update alone)',
      'web',
    )
    .option('--out <dir>', 'results folder', path.resolve(__dirname, '..', '..', 'bench', 'results'));
  program.parse();
  const o = program.opts<Record<string, string | undefined>>();
  const opts: Options = {
    n: (o.n ?? '1000')
      .split(',')
      .map((s) => Number(s.trim()))
      .filter((x) => Number.isInteger(x) && x > 0),
    address: o.address,
    namespace: o.namespace ?? 'default',
    taskQueue: o.taskQueue ?? 'dondoc-bench',
    fixedQueue: Boolean(o.fixedQueue),
    concurrency: Number(o.concurrency ?? 32),
    actionRates: (o.actionRates ?? '1,5,20').split(',').map((x) => Number(x.trim())),
    actionSeconds: Number(o.actionSeconds ?? 60),
    rawUpdateWorkflows: Number(o.rawUpdateWorkflows ?? 50),
    prepareMinutes: o.prepareMinutes === undefined ? undefined : Number(o.prepareMinutes),
    cache: o.cache ? Number(o.cache) : undefined,
    actionsVia: o.actionsVia === 'service' ? 'service' : 'web',
    wftPollers: o.wftPollers === undefined || o.wftPollers === 'autoscaling' ? o.wftPollers : Number(o.wftPollers),
    out: o.out ?? 'bench/results',
  };
  if (opts.n.length === 0) throw new Error('--n: cần danh sách số nguyên dương, ví dụ 1000,10000');
  if (
    opts.wftPollers !== undefined &&
    opts.wftPollers !== 'autoscaling' &&
    !(Number.isInteger(opts.wftPollers) && opts.wftPollers >= 2)
  )
    throw new Error(`--wft-pollers: "autoscaling" hoặc một số nguyên ≥ 2, không phải "${o.wftPollers}"`);
  if (opts.actionRates.some((r) => !(r > 0)) || !(opts.actionSeconds > 0) || !(opts.rawUpdateWorkflows >= 1))
    throw new Error(
      '--action-rates, --action-seconds, --raw-update-workflows: cần số dương, ví dụ --action-rates 1,5,20 --action-seconds 60',
    );
  if (
    opts.prepareMinutes !== undefined &&
    !(Number.isInteger(opts.prepareMinutes) && opts.prepareMinutes >= 1 && opts.prepareMinutes <= 720)
  )
    throw new Error(`--prepare-minutes: một số nguyên từ 1 đến 720, không phải "${o.prepareMinutes}"`);
  if (o.actionsVia !== 'web' && o.actionsVia !== 'service')
    throw new Error(`--actions-via: "web" hoặc "service", không phải "${o.actionsVia}"`);
  Runtime.install({ logger: new DefaultLogger('WARN') });

  const engine = o.engine ?? 'dev';
  if (engine !== 'dev' && engine !== 'postgres')
    throw new Error(`--engine: "dev" hoặc "postgres", không phải "${engine}"`);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-bench-'));
  let server: DevServer | undefined;
  let cluster: RunningCluster | undefined;
  if (!opts.address && engine === 'postgres') {
    fs.chmodSync(workDir, 0o755); // the postgres user reaches the cluster folder
    log(`starting a Temporal server on PostgreSQL (${o.shards ?? '4'} shards, data in ${workDir})…`);
    cluster = await startCluster({
      dir: path.join(workDir, 'cluster'),
      shards: Number(o.shards ?? 4),
      onProgress: log,
    });
    opts.address = cluster.temporalAddress;
    opts.namespace = cluster.namespace;
  }
  // Mail goes through a real SMTP server on loopback, in this process.
  const sink = await startSmtpSink();
  const env: Record<string, string> = {
    DONDOC_SMTP_URL: sink.url,
    DONDOC_DATA_DIR: workDir,
    DONDOC_LINK_SECRET: BENCH_SECRET,
    DONDOC_DIGEST_WINDOW_MINUTES: '0',
    TEMPORAL_NAMESPACE: opts.namespace,
  };
  if (opts.address) env.TEMPORAL_ADDRESS = opts.address;
  if (cluster)
    env.DONDOC_DATABASE_URL = cluster.databaseUrl; // the mail ledger where production keeps it
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
    const bundles = await writeWorkflowBundles(workDir);
    const workerEnv = { ...env, TEMPORAL_ADDRESS: address };
    const machine = machineLine();
    log(`machine: ${JSON.stringify(machine)}`);
    const rows: BenchRow[] = [];
    fs.mkdirSync(opts.out, { recursive: true });
    const engineName = cluster ? `postgres (${cluster.shards} shards)` : opts.address ? opts.address : 'dev';
    for (const n of opts.n) {
      rows.push(
        await runOne(n, opts, {
          client,
          config,
          bundleCode: bundles.benchCode,
          bundles,
          workerEnv,
          workDir,
          address,
          sink,
          engineName,
        }),
      );
      // Written after every N, so a long run that is stopped keeps the rows it finished.
      const json = {
        ...rows[0]!,
        startedAt: started,
        address: opts.address ?? 'embedded dev server',
        machine,
        runs: rows,
      };
      fs.writeFileSync(path.join(opts.out, `${started}.json`), `${JSON.stringify(json, null, 2)}\n`);
      fs.writeFileSync(path.join(opts.out, `${started}.md`), markdown(rows, machine, started));
    }
    process.stdout.write(markdown(rows, machine, started));
    log(`results: ${path.join(opts.out, started)}.{json,md}`);
    await client.connection.close();
  } finally {
    await sink.close();
    await server?.stop();
    if (cluster) await stopCluster(cluster.dir);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  const cause =
    err instanceof Error && err.cause !== undefined
      ? `\ncause: ${err.cause instanceof Error ? err.cause.message : JSON.stringify(err.cause)}`
      : '';
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}${cause}\n`);
  process.exit(1);
});
