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
export function digestWorkflowId(
  recipient: { agencyId: string; role: ContactRole },
  localDate: IsoDate,
  taskQueue: string,
): string {
  return `dondoc-digest:${taskQueue}:${recipient.agencyId}:${recipient.role}:${localDate}`;
}

/**
 * One recipient's mail for one local day. Items arrive by signal (signal-with-start from `enqueueNotifications`),
 * are deduplicated by key, gathered for a short window and sent as one email; items that arrive later that day go
 * out in a further digest. Being the only workflow with this id, it is the one place that can send this
 * recipient's mail for the day, on a cluster as on one machine. A permanent delivery failure is reported to each
 * task concerned. Ends at the end of the local day. From the 'announced-delivery' patch the items prepared for an
 * announced minute go out on it (`announcedDigest` below).
 */
export async function digestWorkflow(input: DigestWorkflowInput): Promise<{ sent: number; messages: number }> {
  if (patched('announced-delivery')) return announcedDigest(input);
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

/** A late item waits this long for others late with it; each further late message of the day waits twice as long. */
const LATE_GATHER_MS = 15_000;
const LATE_GATHER_MAX_MS = 10 * 60_000;

interface Held {
  item: NotificationRequest;
  /** When the item is to go out. */
  dueAt: number;
  /** Prepared for an announced minute that had already passed when it arrived. */
  late: boolean;
}

/**
 * The digest since the 'announced-delivery' patch. An item prepared for an announced minute (`deliverAt`) waits
 * for it, and every item due by then goes out in one message on the minute. An item without one (an action's
 * notice) waits the gathering window, or goes out with the announced message if that comes first. An item
 * prepared for a minute already past goes out promptly: it waits 15 s for others late with it (twice as long for
 * each further late message of the day, so a slow trickle makes a few messages, not one per item). A revised item
 * (fewer actions offered) replaces the version held; a withdrawn one is dropped. A key goes out at most once.
 */
async function announcedDigest(input: DigestWorkflowInput): Promise<{ sent: number; messages: number }> {
  const pending = new Map<string, Held>();
  const sent = new Set<string>();
  const withdrawn = new Set<string>();
  const windowMs = Math.max(0, input.windowMinutes) * 60_000;
  let messages = 0;
  let lateMessages = 0;
  let changed = false;
  const deliverAtOf = (item: NotificationRequest): number => (item.deliverAt ? Date.parse(item.deliverAt) : NaN);

  setHandler(addDigestItemsSignal, (items) => {
    const now = Date.now();
    for (const item of items) {
      if (sent.has(item.key) || withdrawn.has(item.key)) continue;
      const held = pending.get(item.key);
      if (item.withdrawn) {
        pending.delete(item.key);
        withdrawn.add(item.key);
        changed = true;
        continue;
      }
      if (held) {
        if ((item.revision ?? 0) > (held.item.revision ?? 0)) pending.set(item.key, { ...held, item });
        continue;
      }
      const deliverAt = deliverAtOf(item);
      const late = Number.isFinite(deliverAt) && deliverAt <= now;
      const dueAt = !Number.isFinite(deliverAt)
        ? now + windowMs
        : late
          ? now + Math.min(LATE_GATHER_MAX_MS, LATE_GATHER_MS * 2 ** lateMessages)
          : deliverAt;
      pending.set(item.key, { item, dueAt, late });
      changed = true;
    }
  });
  setHandler(digestItemsQuery, () => ({ pending: pending.size, sent: [...sent] }));

  const endOfDay = instantOfLocal(addDays(input.localDate, 1), 0, 0, input.timeZone);
  for (;;) {
    const now = Date.now();
    changed = false;
    if (pending.size === 0) {
      if (now >= endOfDay || !(await condition(() => pending.size > 0, endOfDay - now))) break;
      continue;
    }
    const next = Math.min(...[...pending.values()].map((h) => h.dueAt));
    if (next > now) {
      await condition(() => changed, next - now);
      continue;
    }
    // Everything not waiting for an announced minute still ahead goes in this one message.
    const batch = [...pending.values()].filter((h) => !(deliverAtOf(h.item) > now));
    for (const h of batch) {
      pending.delete(h.item.key);
      sent.add(h.item.key);
    }
    if (batch.some((h) => h.late)) lateMessages += 1;
    messages += 1;
    await deliverBatch(
      input,
      `${messages}`,
      batch.map((h) => h.item),
    );
  }
  await condition(allHandlersFinished);
  return { sent: sent.size, messages };
}

/** Sends one message; a permanent failure is reported to each task concerned. */
async function deliverBatch(input: DigestWorkflowInput, sequence: string, batch: NotificationRequest[]): Promise<void> {
  const { workflowId, runId } = workflowInfo();
  const result: DeliverDigestResult = await deliverDigest({
    digestId: `${workflowId}#${runId}#${sequence}`,
    recipient: input.recipient,
    localDate: input.localDate,
    items: batch,
  }).catch((err: unknown) => ({
    status: 'rejected' as const,
    messageId: '',
    to: [],
    reason: `Không gửi được sau nhiều lần thử: ${err instanceof Error ? err.message : String(err)}`,
  }));
  if (result.status !== 'rejected') return;
  for (const item of batch)
    await getExternalWorkflowHandle(item.task.workflowId)
      .signal(deliveryFailedSignal, {
        key: item.key,
        recipient: result.to.join(', ') || `${input.recipient.agencyId}/${input.recipient.role}`,
        reason: result.reason,
      })
      .catch(() => undefined); // the task may have ended; the failure stays in this history
}
