import type { Client } from '@temporalio/client';
import type { NotificationRequest } from '../domain/types';
import { addDigestItemsSignal } from '../workflows/definitions';
import { digestWorkflowId, type DigestWorkflowInput } from '../workflows/digest-workflow';
import type { EnqueueActivities } from './types';

export interface EnqueueDeps {
  client: Client;
  taskQueue: string;
  windowMinutes: number;
}

/**
 * `enqueueNotifications`: groups items by recipient and local day and signal-with-starts each day's digest
 * workflow. Idempotent: the digest ignores item keys it already holds or sent, so a retry adds nothing.
 */
export function createEnqueueActivities({ client, taskQueue, windowMinutes }: EnqueueDeps): EnqueueActivities {
  return {
    async enqueueNotifications({ items }) {
      const groups = new Map<string, NotificationRequest[]>();
      for (const item of items) {
        const id = digestWorkflowId(item.recipient, item.localDate, taskQueue);
        groups.set(id, [...(groups.get(id) ?? []), item]);
      }
      await Promise.all(
        [...groups].map(async ([workflowId, group]) => {
          const first = group[0]!;
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
            signalArgs: [group],
          });
        }),
      );
    },
  };
}
