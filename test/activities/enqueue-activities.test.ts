/**
 * The hand-over to digests on the dev server (no worker: the digest workflows are started and signalled, and their
 * histories show what each signal carried).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createEnqueueActivities } from '../../activities/enqueue-activities';
import type { NotificationRequest } from '../../domain/types';
import { digestWorkflowId } from '../../workflows/digest-workflow';
import { makeItem } from '../mail/fixtures';
import { connectDevServer, terminateAll, uniqueId } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await connectDevServer();
});
afterAll(async () => {
  await env?.teardown();
});

const item = (n: number, agencyId = 'so-tu-phap', revision?: number): NotificationRequest => ({
  ...makeItem('reminder', { n }),
  recipient: { agencyId, role: 'focal' },
  ...(revision !== undefined ? { revision } : {}),
});

/** The items of each signal the digest received, in order. */
async function signals(workflowId: string): Promise<NotificationRequest[][]> {
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .filter((e) => e.workflowExecutionSignaledEventAttributes)
    .map((e) => {
      const payload = e.workflowExecutionSignaledEventAttributes!.input!.payloads![0]!;
      return JSON.parse(Buffer.from(payload.data!).toString('utf8')) as NotificationRequest[];
    });
}

async function withQueue(fn: (taskQueue: string, ids: (agency: string) => string) => Promise<void>): Promise<void> {
  const taskQueue = uniqueId('enqueue');
  const started = new Set<string>();
  const ids = (agency: string): string => {
    const id = digestWorkflowId({ agencyId: agency, role: 'focal' }, '2019-09-23', taskQueue);
    started.add(id);
    return id;
  };
  try {
    await fn(taskQueue, ids);
  } finally {
    await terminateAll([...started].map((id) => env.client.workflow.getHandle(id)));
  }
}

describe('enqueueNotifications', () => {
  test('forty tasks handing over at once to one digest make a few signals, every item exactly once', async () => {
    await withQueue(async (taskQueue, ids) => {
      const { enqueueNotifications } = createEnqueueActivities({ client: env.client, taskQueue, windowMinutes: 10 });
      await Promise.all(
        Array.from({ length: 40 }, (_, n) => enqueueNotifications({ items: [item(n), item(n, 'mttq-tinh')] })),
      );
      for (const agency of ['so-tu-phap', 'mttq-tinh']) {
        const received = await signals(ids(agency));
        // The first goes alone at once; the others waited for it and went together.
        expect(received.length).toBeLessThanOrEqual(3);
        expect(
          received
            .flat()
            .map((i) => i.key)
            .sort(),
        ).toEqual(Array.from({ length: 40 }, (_, n) => item(n, agency).key).sort());
      }
    });
  });

  test('a signal carries at most the limit, and one caller’s items are never split', async () => {
    await withQueue(async (taskQueue, ids) => {
      const { enqueueNotifications } = createEnqueueActivities({
        client: env.client,
        taskQueue,
        windowMinutes: 10,
        maxItemsPerSignal: 5,
      });
      await Promise.all([
        enqueueNotifications({ items: [item(0)] }),
        ...Array.from({ length: 6 }, (_, n) => enqueueNotifications({ items: [item(10 + 2 * n), item(11 + 2 * n)] })),
      ]);
      const received = await signals(ids('so-tu-phap'));
      expect(received.flat()).toHaveLength(13);
      for (const s of received) expect(s.length).toBeLessThanOrEqual(5);
      for (let n = 0; n < 6; n++) {
        const holder = received.find((s) => s.some((i) => i.key === item(10 + 2 * n).key))!;
        expect(holder.some((i) => i.key === item(11 + 2 * n).key)).toBe(true);
      }
    });
  });

  test('an item and its revision arrive in the order they were handed over', async () => {
    await withQueue(async (taskQueue, ids) => {
      const { enqueueNotifications } = createEnqueueActivities({ client: env.client, taskQueue, windowMinutes: 10 });
      const first = enqueueNotifications({ items: [item(1)] });
      const revised = enqueueNotifications({ items: [item(1, 'so-tu-phap', 1)] });
      await Promise.all([first, revised]);
      const order = (await signals(ids('so-tu-phap'))).flat().map((i) => i.revision ?? 0);
      expect(order).toEqual([0, 1]);
    });
  });

  test('a refused request fails its own callers only; the next ones still go', async () => {
    await withQueue(async (taskQueue, ids) => {
      const { enqueueNotifications } = createEnqueueActivities({ client: env.client, taskQueue, windowMinutes: 10 });
      // A workflow id over Temporal's length limit: the server refuses the signal-with-start.
      const tooLong = 'x'.repeat(1200);
      const results = await Promise.allSettled([
        enqueueNotifications({ items: [item(1, tooLong)] }),
        enqueueNotifications({ items: [item(2, tooLong)] }),
        enqueueNotifications({ items: [item(3)] }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
      expect((await signals(ids('so-tu-phap'))).flat().map((i) => i.key)).toEqual([item(3).key]);
      // Nothing is left waiting: a later hand-over to the refused digest is tried afresh (and refused again).
      await expect(enqueueNotifications({ items: [item(4, tooLong)] })).rejects.toThrow();
    });
  });
});
