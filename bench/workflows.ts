/**
 * The benchmark's workflow bundle: every dondoc workflow plus two trivial ones used to measure Temporal itself.
 * Bundled separately from workflows/index.ts so the product bundle never carries benchmark code.
 */
import { condition, proxyLocalActivities } from '@temporalio/workflow';
import type { EnqueueActivities } from '../activities/types';

export * from '../workflows';

// The same kind of call taskWorkflow makes since the 'notify-local-activity' patch.
const { enqueueNotifications } = proxyLocalActivities<EnqueueActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 200 },
});

/** An empty workflow: its start rate is Temporal's raw start rate from this client. */
export async function benchNoopWorkflow(): Promise<void> {
  // Nothing: the benchmark measures the start call only.
}

/**
 * A stand-in for a task instance's reminder: waits on the same kind of timer the task workflow uses
 * (`condition(fn, ms)` until an instant) and then hands an empty batch to `enqueueNotifications`, whose wrapper in
 * the benchmark records when it ran. Used when no real whole-hour reminder slot of `taskWorkflow` falls within the
 * benchmark's wait budget.
 */
export async function benchAlarmWorkflow(input: { dueAt: number }): Promise<void> {
  let dirty = false;
  await condition(() => dirty, Math.max(0, input.dueAt - Date.now()));
  dirty = true;
  await enqueueNotifications({ items: [] });
}
