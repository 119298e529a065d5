/**
 * The digest workflow on the time-skipping server: one recipient's mail for one local day. With
 * DONDOC_RECORD_HISTORIES=1 each test records its history for the replay test.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Activities } from '../../activities';
import type { DeliverDigestInput } from '../../activities/types';
import type { NotificationRequest } from '../../domain/types';
import { addDigestItemsSignal, digestItemsQuery } from '../../workflows/definitions';
import type { digestWorkflow, DigestWorkflowInput } from '../../workflows/digest-workflow';
import { saveHistory } from '../helpers/histories';
import { eventually, localToday } from '../helpers/task-run';
import { connectTimeSkipping, terminateAll, testWorker, uniqueId } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await connectTimeSkipping();
});
afterAll(async () => {
  await env?.teardown();
});

function item(key: string, localDate: string): NotificationRequest {
  return {
    key,
    kind: 'reminder',
    recipient: { agencyId: 'so-tu-phap', role: 'focal' },
    localDate,
    task: {
      workflowId: `dondoc:p:${key}:so-tu-phap`,
      planId: 'p',
      planNumber: '1/KH',
      planTitle: 'Kế hoạch',
      taskRef: key,
      title: `Nhiệm vụ ${key}`,
      lead: { id: 'so-tu-phap', name: 'Sở Tư pháp' },
      cycle: 0,
      due: null,
      timeZone: 'Asia/Ho_Chi_Minh',
    },
    details: { workingDaysBefore: 3 },
  };
}

/** Activities whose deliverDigest records each message and can be held open until released. */
function deliveries(): { activities: Activities; sent: DeliverDigestInput[]; hold: () => void; release: () => void; started: () => number } {
  const sent: DeliverDigestInput[] = [];
  let gate: Promise<void> = Promise.resolve();
  let open: () => void = () => undefined;
  let calls = 0;
  const activities: Activities = {
    async enqueueNotifications() {
      throw new Error('not used by digests');
    },
    async deliverDigest(input) {
      calls += 1;
      await gate;
      sent.push(input);
      return { status: 'sent', messageId: `<${input.digestId}>`, to: ['a@x'], accepted: ['a@x'] };
    },
    async sendPeriodicReport() {
      throw new Error('not used by digests');
    },
  };
  return {
    activities,
    sent,
    hold: () => {
      gate = new Promise((r) => (open = r));
    },
    release: () => open(),
    started: () => calls,
  };
}

async function withDigest<T>(activities: Activities, fn: (start: (input: DigestWorkflowInput) => Promise<string>) => Promise<T>): Promise<T> {
  const taskQueue = uniqueId('digest');
  const worker = await testWorker(env, taskQueue, activities);
  const ids: string[] = [];
  try {
    return await worker.runUntil(
      fn(async (input) => {
        const workflowId = uniqueId('dondoc-digest');
        await env.client.workflow.start<typeof digestWorkflow>('digestWorkflow', { taskQueue, workflowId, args: [input] });
        ids.push(workflowId);
        return workflowId;
      }),
    );
  } finally {
    await terminateAll(ids.map((id) => env.client.workflow.getHandle(id)));
  }
}

describe('digest workflow', () => {
  test('items of a day gathered for the window go out as one message', async () => {
    const d = deliveries();
    const today = await localToday(env);
    await withDigest(d.activities, async (start) => {
      const id = await start({ recipient: { agencyId: 'so-tu-phap', role: 'focal' }, localDate: today, timeZone: 'Asia/Ho_Chi_Minh', windowMinutes: 10 });
      const h = env.client.workflow.getHandle(id);
      await h.signal(addDigestItemsSignal, [item('1', today), item('2', today)]);
      await h.signal(addDigestItemsSignal, [item('2', today), item('3', today)]);
      await env.sleep('11 minutes');
      await eventually(() => expect(d.sent).toHaveLength(1));
      expect(d.sent[0]!.items.map((i) => i.key)).toEqual(['1', '2', '3']);
      await saveHistory(h, 'digest-one-message');
    });
  });

  test('an item signalled again while its message is being sent is not sent a second time', async () => {
    const d = deliveries();
    const today = await localToday(env);
    await withDigest(d.activities, async (start) => {
      const id = await start({ recipient: { agencyId: 'so-tu-phap', role: 'focal' }, localDate: today, timeZone: 'Asia/Ho_Chi_Minh', windowMinutes: 0 });
      const h = env.client.workflow.getHandle(id);
      d.hold();
      await h.signal(addDigestItemsSignal, [item('1', today)]);
      await eventually(() => expect(d.started()).toBe(1));
      // The task workflow's hand-over is retried (a worker killed mid-task): the same item arrives again.
      await h.signal(addDigestItemsSignal, [item('1', today), item('4', today)]);
      d.release();
      await eventually(() => expect(d.sent.length).toBeGreaterThanOrEqual(2));
      await env.sleep('2 minutes');
      await saveHistory(h, 'digest-resent-while-sending');
      expect(d.sent.map((m) => m.items.map((i) => i.key))).toEqual([['1'], ['4']]);
      expect((await h.query(digestItemsQuery)).sent.sort()).toEqual(['1', '4']);
    });
  });
});
