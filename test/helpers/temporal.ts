import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import type { Activities } from '../../activities';
import { loadConfig, type DondocConfig } from '../../config';
import { createWorker } from '../../workers/create-worker';

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

interface EnvFactory {
  create(opts: {
    server: { type: 'existing' };
    supportsTimeSkipping: boolean;
    namespace: string;
    address: string;
  }): Promise<TestWorkflowEnvironment>;
}

/**
 * A client of the run's shared time-skipping test server (started once in global setup). The SDK builds
 * time-skipping environments only around a server it starts itself; `create` is the same constructor its
 * public factories use, given the existing server.
 */
export async function connectTimeSkipping(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const address = process.env.DONDOC_TEST_TS_ADDRESS;
  if (!address) throw new Error('No time-skipping server: run the tests with "npm test"');
  return (TestWorkflowEnvironment as unknown as EnvFactory).create({
    server: { type: 'existing' },
    supportsTimeSkipping: true,
    namespace: 'default',
    address,
  });
}

/** A client of the run's shared dev server (visibility queries, real timers). */
export async function connectDevServer(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const address = process.env.DONDOC_TEST_DEV_ADDRESS;
  if (!address) throw new Error('No dev server: run the tests with "npm test"');
  return TestWorkflowEnvironment.createFromExistingServer({ address, namespace: 'default' });
}

let counter = 0;
/** A task queue and id prefix unique to one test. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

export function testConfig(overrides: Record<string, string> = {}): DondocConfig {
  return loadConfig({ DONDOC_LINK_SECRET: 'test-secret-test-secret-test-secret-0123', ...overrides });
}

/** A worker on the shared bundle, with the given activities, on its own task queue. */
export async function testWorker(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  activities: Activities,
  config: DondocConfig = testConfig({ TEMPORAL_TASK_QUEUE: taskQueue }),
): Promise<Worker> {
  const codePath = process.env.DONDOC_TEST_BUNDLE;
  if (!codePath) throw new Error('No workflow bundle: run the tests with "npm test"');
  return createWorker({
    config: { ...config, temporal: { ...config.temporal, taskQueue } },
    connection: env.nativeConnection,
    activities,
    workflowBundle: { codePath },
  });
}

/**
 * Terminates workflows a test started (by workflow id, so continued-as-new runs are included). On the shared
 * time-skipping server a workflow left running without a worker stops time from skipping for everyone.
 */
export async function terminateAll(handles: WorkflowHandle[]): Promise<void> {
  await Promise.all(
    handles.map(async (h) => {
      const latest = h.client.getHandle(h.workflowId);
      // Let a workflow task in flight finish first: the time-skipping test server keeps its clock locked for a task
      // of a workflow terminated while the task was out, and every later test's time would stand still.
      for (let i = 0; i < 100; i++) {
        const d = await latest.describe().catch(() => undefined);
        if (!d || d.status.name !== 'RUNNING' || !d.raw.pendingWorkflowTask) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await latest.terminate('test finished').catch(() => undefined);
    }),
  );
}
