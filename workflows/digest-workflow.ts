import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { DigestActivities, DeliverDigestResult } from '../activities/types';
import { addDays, instantOfLocal } from '../domain/calendar';
import type { ContactRole, IsoDate, NotificationRequest } from '../domain/types';
import { addDigestItemsSignal, deliveryFailedSignal, digestItemsQuery } from './definitions';

const { deliverDigest } = proxyActivities<DigestActivities>({
  // One SMTP transaction; a worker that dies mid-send is noticed after this long and the send retried.
  startToCloseTimeout: '45 seconds',
  // An SMTP server down for hours loses nothing: retries back off to every 10 minutes for up to three days.
  scheduleToCloseTimeout: '3 days',
  retry: { initialInterval: '15 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export interface DigestWorkflowInput {
  recipient: { agencyId: string; role: ContactRole };
  localDate: IsoDate;
  timeZone: string;
  /** How long to gather items after the first one arrives before sending. */
  windowMinutes: number;
}

/**
 * Workflow id of the digest of one recipient and day: the single writer of that day's emails. The task queue is
 * part of it so that two dondoc deployments sharing a namespace never mix their mail.
 */
export function digestWorkflowId(recipient: { agencyId: string; role: ContactRole }, localDate: IsoDate, taskQueue: string): string {
  return `dondoc-digest:${taskQueue}:${recipient.agencyId}:${recipient.role}:${localDate}`;
}

/**
 * One recipient's mail for one local day. Items arrive by signal (signal-with-start from `enqueueNotifications`),
 * are deduplicated by key, gathered for a short window and sent as one email; items that arrive later that day go
 * out in a further digest. Being the only workflow with this id, it is the one place that can send this
 * recipient's mail for the day, on a cluster as on one machine. A permanent delivery failure is reported to each
 * task concerned. Ends at the end of the local day.
 */
export async function digestWorkflow(input: DigestWorkflowInput): Promise<{ sent: number; messages: number }> {
  const pending = new Map<string, NotificationRequest>();
  const sent = new Set<string>();
  let messages = 0;
  setHandler(addDigestItemsSignal, (items) => {
    for (const item of items) if (!sent.has(item.key) && !pending.has(item.key)) pending.set(item.key, item);
  });
  setHandler(digestItemsQuery, () => ({ pending: pending.size, sent: [...sent] }));

  const endOfDay = instantOfLocal(addDays(input.localDate, 1), 0, 0, input.timeZone);
  const { workflowId, runId } = workflowInfo();
  for (;;) {
    const remaining = endOfDay - Date.now();
    if (pending.size === 0 && !(remaining > 0 && (await condition(() => pending.size > 0, remaining)))) {
      if (pending.size === 0) break;
    }
    await sleep(`${Math.max(0, input.windowMinutes)} minutes`);
    const batch = [...pending.values()];
    pending.clear();
    // An item handed over again while its message is being sent (a task workflow's hand-over retried after a
    // worker died) must not go out a second time: its key counts as sent from the moment it leaves `pending`.
    if (patched('digest-keys-in-flight')) for (const item of batch) sent.add(item.key);
    messages += 1;
    const result: DeliverDigestResult = await deliverDigest({
      digestId: `${workflowId}#${runId}#${messages}`,
      recipient: input.recipient,
      localDate: input.localDate,
      items: batch,
    }).catch((err: unknown) => ({
      status: 'rejected' as const,
      messageId: '',
      to: [],
      reason: `Không gửi được sau nhiều lần thử: ${err instanceof Error ? err.message : String(err)}`,
    }));
    for (const item of batch) sent.add(item.key);
    if (result.status === 'rejected') {
      for (const item of batch) {
        await getExternalWorkflowHandle(item.task.workflowId)
          .signal(deliveryFailedSignal, {
            key: item.key,
            recipient: result.to.join(', ') || `${input.recipient.agencyId}/${input.recipient.role}`,
            reason: result.reason,
          })
          .catch(() => undefined); // the task may have ended; the failure stays in this history
      }
    }
  }
  await condition(allHandlersFinished);
  return { sent: sent.size, messages };
}
