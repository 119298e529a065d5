/**
 * Running task workflows on the shared time-skipping server: a worker on its own task queue with activities that
 * record what the workflow asked to send, and the calendar helpers the tests share.
 */
import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Activities } from '../../activities';
import type { NotificationRequest, TaskInstanceSpec } from '../../domain/types';
import type { taskWorkflow } from '../../workflows/task-workflow';
import { terminateAll, testWorker, uniqueId } from './temporal';

/** Activities that record what the workflow asked to send, typed as the real ones. */
export function recordingActivities(): { activities: Activities; items: NotificationRequest[] } {
  const items: NotificationRequest[] = [];
  const activities: Activities = {
    async enqueueNotifications({ items: batch }) {
      items.push(...batch);
    },
    async deliverDigest() {
      throw new Error('task workflows never deliver mail themselves');
    },
    async sendPeriodicReport() {
      throw new Error('not used by task workflows');
    },
  };
  return { activities, items };
}

/** Notifications leave from the workflow's main loop after the action has answered: poll for them. */
export async function eventually(check: () => void, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Today in Hà Nội on the server's clock. */
export async function localToday(env: TestWorkflowEnvironment): Promise<string> {
  const now = await env.currentTimeMs();
  return new Date(now + 7 * 3600_000).toISOString().slice(0, 10);
}

export function plusDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export type StartTask = (spec: TaskInstanceSpec) => Promise<WorkflowHandleWithFirstExecutionRunId<typeof taskWorkflow>>;

/** Runs `fn` with a worker on a fresh task queue; every workflow it started is terminated afterwards. */
export async function runWith<T>(
  env: TestWorkflowEnvironment,
  activities: Activities,
  fn: (start: StartTask) => Promise<T>,
): Promise<T> {
  const taskQueue = uniqueId('tq');
  const worker = await testWorker(env, taskQueue, activities);
  const started: WorkflowHandle[] = [];
  const start: StartTask = async (spec) => {
    const handle = await env.client.workflow.start<typeof taskWorkflow>('taskWorkflow', {
      taskQueue,
      workflowId: spec.workflowId,
      args: [{ spec, reminderHour: 8 }],
      memo: { leadName: spec.lead.name },
    });
    started.push(handle);
    return handle;
  };
  try {
    return await worker.runUntil(async () => {
      try {
        return await fn(start);
      } finally {
        // Terminated while the worker still runs: a workflow task handed to a worker that is gone holds the
        // time-skipping server's clock for every later test (the server keeps its lock until the task completes).
        await terminateAll(started);
      }
    });
  } finally {
    await terminateAll(started);
  }
}
