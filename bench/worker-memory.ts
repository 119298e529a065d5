/**
 * Memory per cached workflow, measured in a worker that does nothing else: a child process (bench/
 * worker-memory-child.ts, `node --expose-gc`) runs one dondoc worker with a cache larger than K; this process starts
 * K workflows of one kind on its task queue; the child reports RSS, V8 heap, external and array buffers after forced
 * garbage collection, idle and then with the K cached. The figures per cached workflow are the growth over K.
 *
 * Kinds: `floor` is an empty workflow waiting on a timer in a bundle of its own (bench/floor-workflows.ts: the
 * SDK's floor); `empty` is `benchWakeWorkflow`, the same in the benchmark's bundle (the SDK's floor plus the
 * modules of dondoc's bundle that each workflow instantiates); `task` is a real `taskWorkflow` of the synthetic
 * plan, started with the import's own argument.
 *
 * By default the workflows run in the worker's main thread (the SDK's `debugMode`, still with `reuseV8Context`), so
 * that the heap figures and the heap snapshot see them; `threads: true` runs them in the SDK's workflow thread as in
 * production, where only RSS sees them.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { loadPlanFile } from '../plans/load';
import { taskStartOptions } from '../services/import-plan';
import { workflowBundlerOptions } from '../workers/bundle-options';
import { runPool } from './stats';
import { writeSyntheticPlan } from './synthetic-plan';

export type MemoryKind = 'floor' | 'empty' | 'task';

/** Bytes, from `process.memoryUsage()` after forced garbage collection. */
export interface MemorySample {
  rss: number;
  heapUsed: number;
  /** V8 heap reserved (used or not): part of RSS. */
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export type ChildCommand =
  | { type: 'start'; bundlePath: string; cache: number; threads: boolean; snapshotPath?: string }
  | { type: 'started'; k: number }
  | { type: 'stop' };

export type ChildReport =
  | { type: 'idle'; sample: MemorySample }
  | { type: 'cached'; cached: number; sample: MemorySample; takeUpMs: number; snapshot?: string };

export interface WorkerMemoryRow {
  kind: MemoryKind;
  k: number;
  /** Workflows cached when measured (K, unless the worker fell behind). */
  cached: number;
  /** `vm`: workflows in the worker's main thread (heap visible); `threads`: the SDK's workflow thread. */
  mode: 'vm' | 'threads';
  idleMb: { rss: number; heapUsed: number };
  /** Growth per cached workflow over the idle worker, in KB. */
  kbPerCached: { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };
  takeUpMs: number;
  snapshot?: string;
}

export interface WorkerMemoryOptions {
  client: Client;
  /** The environment of a dondoc worker on the benchmark's server (TEMPORAL_ADDRESS, DONDOC_LINK_SECRET, …). */
  env: Record<string, string>;
  /** The benchmark's workflow bundle, written to a file (bench/floor-workflows.ts's for kind `floor`). */
  bundlePath: string;
  kind: MemoryKind;
  k: number;
  /** A unique tag for workflow ids and the task queue. */
  tag: string;
  /** A folder for the synthetic plan (kind `task`). */
  workDir: string;
  threads?: boolean;
  snapshotPath?: string;
  concurrency?: number;
  log?: (line: string) => void;
}

const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

/** Starts the K workflows of one kind on `taskQueue`, with ids that cannot clash with another run. */
async function startWorkflows(o: WorkerMemoryOptions, taskQueue: string): Promise<void> {
  const concurrency = o.concurrency ?? 32;
  if (o.kind !== 'task') {
    const wakeAt = Date.now() + 6 * 3_600_000; // far beyond the measurement: every one of them stays waiting
    const type = o.kind === 'floor' ? 'benchFloorWorkflow' : 'benchWakeWorkflow';
    const ids = Array.from({ length: o.k }, (_, i) => `bench-mem-${o.kind}-${o.tag}-${i}`);
    await runPool(ids, concurrency, async (workflowId) => {
      await o.client.workflow.start(type, { taskQueue, workflowId, args: [{ wakeAt }] });
    });
    return;
  }
  const planId = `bench-mem-${o.tag}`;
  const planPath = writeSyntheticPlan(path.join(o.workDir, planId), {
    planId,
    instances: o.k,
    dueYear: new Date().getUTCFullYear() + 2,
  });
  const reminderHour = Number(o.env.DONDOC_REMINDER_HOUR ?? 8);
  // The same start as the import's (services/import-plan.ts applyLoadedPlan), without the plan's own workflow.
  await runPool(loadPlanFile(planPath).instances, concurrency, async (spec) => {
    await o.client.workflow.start('taskWorkflow', taskStartOptions(spec, taskQueue, { spec, reminderHour }));
  });
}

/** Runs one measurement: a fresh worker child, K workflows of one kind, the growth per cached workflow. */
export async function measureWorkerMemory(o: WorkerMemoryOptions): Promise<WorkerMemoryRow> {
  const taskQueue = `bench-mem-${o.kind}-${o.tag}`;
  const child = fork(path.join(__dirname, 'worker-memory-child.js'), [], {
    execArgv: ['--expose-gc'],
    env: { ...process.env, ...o.env, TEMPORAL_TASK_QUEUE: taskQueue },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const next = (): Promise<ChildReport> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`worker-memory child exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        resolve(m as ChildReport);
      });
    });
  let stopped = false;
  const command = (c: ChildCommand): void => {
    if (c.type === 'stop') stopped = true;
    child.send(c);
  };
  try {
    const idleReport = next();
    command({
      type: 'start',
      bundlePath: o.bundlePath,
      cache: o.k + 100,
      threads: o.threads ?? false,
      ...(o.snapshotPath ? { snapshotPath: o.snapshotPath } : {}),
    });
    const idle = await idleReport;
    if (idle.type !== 'idle') throw new Error('worker-memory child: expected its idle sample');
    o.log?.(`memory ${o.kind} K=${o.k}: worker idle at ${round(idle.sample.rss / 2 ** 20)} MB RSS; starting…`);
    const cachedReport = next();
    // Observed below; a failed start must surface as itself, not as the child's exit once it is stopped.
    cachedReport.catch(() => undefined);
    await startWorkflows(o, taskQueue);
    command({ type: 'started', k: o.k });
    const done = await cachedReport;
    if (done.type !== 'cached') throw new Error('worker-memory child: expected its cached sample');
    command({ type: 'stop' });
    const per = (key: keyof MemorySample): number =>
      round((done.sample[key] - idle.sample[key]) / 1024 / Math.max(1, done.cached));
    const row: WorkerMemoryRow = {
      kind: o.kind,
      k: o.k,
      cached: done.cached,
      mode: o.threads ? 'threads' : 'vm',
      idleMb: { rss: round(idle.sample.rss / 2 ** 20), heapUsed: round(idle.sample.heapUsed / 2 ** 20) },
      kbPerCached: {
        rss: per('rss'),
        heapUsed: per('heapUsed'),
        heapTotal: per('heapTotal'),
        external: per('external'),
        arrayBuffers: per('arrayBuffers'),
      },
      takeUpMs: done.takeUpMs,
      ...(done.snapshot ? { snapshot: done.snapshot } : {}),
    };
    o.log?.(
      `memory ${o.kind} K=${o.k} (${row.mode}): ${row.cached} cached, ${row.kbPerCached.rss} KB RSS and ${row.kbPerCached.heapUsed} KB heap each`,
    );
    return row;
  } finally {
    if (child.exitCode === null) {
      if (!stopped) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
  }
}

/** The benchmark's bundle (bench/workflows.ts, as the worker bundles dondoc) and the floor's, written to `dir`. */
export async function writeWorkflowBundles(dir: string): Promise<{ bench: string; benchCode: string; floor: string }> {
  const make = async (workflowsPath: string, preload: boolean): Promise<string> =>
    (
      await bundleWorkflowCode({
        workflowsPath,
        logger: new DefaultLogger('WARN'),
        ...(preload ? workflowBundlerOptions() : {}),
      })
    ).code;
  const benchCode = await make(require.resolve('./workflows'), true);
  const bench = path.join(dir, 'bench-workflows.js');
  fs.writeFileSync(bench, benchCode);
  const floor = path.join(dir, 'floor-workflows.js');
  fs.writeFileSync(floor, await make(require.resolve('./floor-workflows'), false));
  return { bench, benchCode, floor };
}
