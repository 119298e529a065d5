import type { Client } from '@temporalio/client';
import type { NotificationRequest } from '../domain/types';
import { addDigestItemsSignal } from '../workflows/definitions';
import { digestWorkflowId, type DigestWorkflowInput } from '../workflows/digest-workflow';
import type { EnqueueActivities } from './types';

export interface EnqueueDeps {
  client: Client;
  taskQueue: string;
  windowMinutes: number;
  /** Most items one signal carries (its payload stays far below Temporal's blob limit). */
  maxItemsPerSignal?: number;
}

/** About 1–2 KB each: 200 items make a signal of a few hundred KB at most. */
const MAX_ITEMS_PER_SIGNAL = 200;

/** One caller's items for one digest, and how to answer it. */
interface Caller {
  items: NotificationRequest[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * `enqueueNotifications`: groups items by recipient and local day and signal-with-starts each day's digest
 * workflow. Idempotent: the digest ignores item keys it already holds or sent, so a retry adds nothing.
 *
 * Hand-overs to one digest from this process go one request at a time: items that arrive while a request to the
 * same digest is in flight wait for it and go together in the next one. Alone, an item goes at once; when thousands
 * of tasks wake together (a worker back after an outage, a preparation window of zero), ten tasks of one lead make
 * one signal and one workflow task of their digest instead of ten. Each caller returns only when a request carrying
 * its items has been accepted by Temporal, and fails with it, so its local activity retries as before; the order
 * of one caller's items (an item, then its revision) is kept.
 */
export function createEnqueueActivities(deps: EnqueueDeps): EnqueueActivities {
  const { client, taskQueue, windowMinutes } = deps;
  const maxItems = Math.max(1, deps.maxItemsPerSignal ?? MAX_ITEMS_PER_SIGNAL);
  /** Callers waiting for a request to their digest, in arrival order. */
  const waiting = new Map<string, Caller[]>();

  const send = async (workflowId: string, items: NotificationRequest[]): Promise<void> => {
    const first = items[0]!;
    const args: DigestWorkflowInput = {
      recipient: first.recipient,
      localDate: first.localDate,
      timeZone: first.task.timeZone,
      windowMinutes,
    };
    await client.workflow.signalWithStart('digestWorkflow', {
      workflowId,
      taskQueue,
      args: [args],
      signal: addDigestItemsSignal,
      signalArgs: [items],
    });
  };

  /** Sends what waits for one digest, a request at a time, until nothing waits. */
  const drain = async (workflowId: string): Promise<void> => {
    for (;;) {
      const queue = waiting.get(workflowId) ?? [];
      if (queue.length === 0) {
        waiting.delete(workflowId);
        return;
      }
      // Whole callers, up to the limit: a caller's items are never split across requests.
      let count = queue[0]!.items.length;
      let taken = 1;
      while (taken < queue.length && count + queue[taken]!.items.length <= maxItems) {
        count += queue[taken]!.items.length;
        taken += 1;
      }
      const callers = queue.splice(0, taken);
      try {
        await send(
          workflowId,
          callers.flatMap((c) => c.items),
        );
        for (const c of callers) c.resolve();
      } catch (err) {
        for (const c of callers) c.reject(err);
      }
    }
  };

  const handOver = (workflowId: string, items: NotificationRequest[]): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const queue = waiting.get(workflowId);
      if (queue) {
        // A request to this digest is in flight: go with the next one.
        queue.push({ items, resolve, reject });
        return;
      }
      waiting.set(workflowId, [{ items, resolve, reject }]);
      void drain(workflowId);
    });

  return {
    async enqueueNotifications({ items }) {
      const groups = new Map<string, NotificationRequest[]>();
      for (const item of items) {
        const id = digestWorkflowId(item.recipient, item.localDate, taskQueue);
        groups.set(id, [...(groups.get(id) ?? []), item]);
      }
      await Promise.all([...groups].map(([workflowId, group]) => handOver(workflowId, group)));
    },
  };
}
