import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';

type PollerBehavior = NonNullable<WorkerOptions['workflowTaskPollerBehavior']>;
import type { Activities } from '../activities';
import type { DondocConfig } from '../config';

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
      'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions' | 'maxConcurrentActivityTaskExecutions'
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
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    activities,
    maxCachedWorkflows: tuning?.maxCachedWorkflows ?? config.temporal.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: tuning?.maxConcurrentWorkflowTaskExecutions,
    maxConcurrentActivityTaskExecutions:
      tuning?.maxConcurrentActivityTaskExecutions ?? config.temporal.maxConcurrentActivities,
    workflowTaskPollerBehavior: pollerBehavior(tuning?.workflowTaskPollers ?? config.temporal.workflowTaskPollers),
    shutdownGraceTime: '10 seconds',
  });
}
