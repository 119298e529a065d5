/**
 * The benchmark's workflow bundle: every dondoc workflow plus two trivial ones used to measure Temporal itself.
 * Bundled separately from workflows/index.ts so the product bundle never carries benchmark code.
 */
import { condition, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { EnqueueActivities } from '../activities/types';
import { benchNoopUpdate } from './definitions';

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

/**
 * Temporal's raw wake-up: a timer to one instant shared by N of these, then one no-op local activity (the same
 * call a reminder makes, with nothing to hand over). The benchmark times them until all have finished.
 */
export async function benchWakeWorkflow(input: { wakeAt: number }): Promise<void> {
  await condition(() => false, Math.max(1, input.wakeAt - Date.now()));
  await enqueueNotifications({ items: [] });
}

/** Temporal's raw update: an empty workflow that answers `benchNoop` (validator included) until terminated. */
export async function benchUpdateWorkflow(): Promise<void> {
  setHandler(benchNoopUpdate, (x) => x, {
    validator: (x) => {
      if (typeof x !== 'number') throw new Error('a number');
    },
  });
  await condition(() => false);
}
