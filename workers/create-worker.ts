import fs from 'node:fs';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { Activities } from '../activities';
import type { DondocConfig } from '../config';
import { workflowBundlerOptions } from './bundle-options';

type PollerBehavior = NonNullable<WorkerOptions['workflowTaskPollerBehavior']>;

/**
 * Memory of one cached task workflow: the RSS growth per cached taskWorkflow of a worker alone, measured with
 * bench/memory-per-workflow.ts (250–320 KB at K = 500 and 2,000, as much as an empty workflow: see
 * bench/README.md), rounded up past that spread; and what a worker uses before it caches any (160–210 MB idle).
 */
export const KB_PER_CACHED_WORKFLOW = 400;
export const WORKER_BASE_MB = 300;
/** Memory assumed when neither DONDOC_WORKER_MEMORY_MB nor a cgroup limit says: a worker under 1 GB. */
const DEFAULT_WORKER_MEMORY_MB = 1024;

/** The memory limit of this process's cgroup (containers, systemd MemoryMax), in MB, if there is one. */
function cgroupMemoryMb(): number | undefined {
  for (const file of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const bytes = Number(fs.readFileSync(file, 'utf8').trim());
      // cgroup v1 writes a huge number for "no limit"; v2 writes "max" (NaN here).
      if (Number.isFinite(bytes) && bytes > 0 && bytes < 2 ** 50) return Math.floor(bytes / 2 ** 20);
    } catch {
      // not in a cgroup with a memory limit
    }
  }
  return undefined;
}

/**
 * How many workflows the worker keeps cached: DONDOC_MAX_CACHED_WORKFLOWS if set, otherwise what fits in the memory
 * the worker is given (DONDOC_WORKER_MEMORY_MB, else the cgroup limit, else 1 GB) after its base, at
 * KB_PER_CACHED_WORKFLOW each, keeping a fifth of it free. Beyond the cache, workflows are replayed when woken.
 */
export function workerCacheSize(config: DondocConfig, memoryMb = config.workerMemoryMb ?? cgroupMemoryMb()): number {
  if (config.temporal.maxCachedWorkflows !== undefined) return config.temporal.maxCachedWorkflows;
  const mb = memoryMb ?? DEFAULT_WORKER_MEMORY_MB;
  return Math.max(10, Math.floor(((mb - WORKER_BASE_MB) * 1024 * 0.8) / KB_PER_CACHED_WORKFLOW));
}

export interface CreateWorkerOptions {
  config: DondocConfig;
  connection: NativeConnection;
  activities: Activities;
  /** A prebuilt workflow bundle (tests, benchmarks); otherwise workflows/ is bundled at start. */
  workflowBundle?: { codePath: string } | { code: string };
  /** Overrides for tuning runs (benchmarks): cache size, concurrency. */
  tuning?: Partial<
    Pick<
      WorkerOptions,
      | 'maxCachedWorkflows'
      | 'maxConcurrentWorkflowTaskExecutions'
      | 'maxConcurrentActivityTaskExecutions'
      // Workflows in the main thread, so that a memory measurement sees their heap (bench/worker-memory.ts).
      | 'debugMode'
    >
  > & {
    workflowTaskPollers?: 'autoscaling' | number;
  };
}

/** Workflow-task polling: autoscaling, or a fixed maximum split by the SDK between the sticky and normal queues. */
function pollerBehavior(pollers: 'autoscaling' | number): PollerBehavior {
  return pollers === 'autoscaling' ? { type: 'autoscaling' } : { type: 'simple-maximum', maximum: pollers };
}

/** Builds dondoc's worker: every workflow of workflows/index.ts and every activity, on the configured task queue. */
export async function createWorker(opts: CreateWorkerOptions): Promise<Worker> {
  const { config, connection, activities, workflowBundle, tuning } = opts;
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...(workflowBundle
      ? { workflowBundle }
      : { workflowsPath: require.resolve('../workflows'), bundlerOptions: workflowBundlerOptions() }),
    activities,
    maxCachedWorkflows: tuning?.maxCachedWorkflows ?? workerCacheSize(config),
    maxConcurrentWorkflowTaskExecutions: tuning?.maxConcurrentWorkflowTaskExecutions,
    maxConcurrentActivityTaskExecutions:
      tuning?.maxConcurrentActivityTaskExecutions ?? config.temporal.maxConcurrentActivities,
    workflowTaskPollerBehavior: pollerBehavior(tuning?.workflowTaskPollers ?? config.temporal.workflowTaskPollers),
    ...(tuning?.debugMode ? { debugMode: true } : {}),
    shutdownGraceTime: '10 seconds',
  });
}
