/** How the task workflow hands its notifications over to the digest workflows. */
import { proxyActivities, proxyLocalActivities, type RetryPolicy } from '@temporalio/workflow';
import type { EnqueueActivities } from '../activities/types';

const ENQUEUE_RETRY: RetryPolicy = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '5 minutes',
  maximumAttempts: 200,
};

/** How histories recorded before the 'notify-local-activity' patch hand notifications over: an activity task. */
export const { enqueueNotifications: enqueueAsActivityTask } = proxyActivities<EnqueueActivities>({
  startToCloseTimeout: '30 seconds',
  retry: ENQUEUE_RETRY,
});

/**
 * Handing notifications over is one signal-with-start per recipient: a local activity runs it inside the workflow
 * task that decided it, so a reminder costs one workflow task instead of two plus an activity task, and a person's
 * action is answered without waiting for an activity round trip. Idempotent per item key, so a worker dying
 * mid-call and the workflow task retrying it sends nothing twice.
 */
export const { enqueueNotifications: enqueueLocally } = proxyLocalActivities<EnqueueActivities>({
  startToCloseTimeout: '30 seconds',
  // Short outages retry inside the workflow task; longer backoffs become durable timers.
  localRetryThreshold: '30 seconds',
  retry: ENQUEUE_RETRY,
});
