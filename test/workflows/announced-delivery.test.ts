/**
 * Reminders on the announced minute, on the time-skipping server with real timers: task workflows prepare their
 * items at spread instants before it, the real enqueue activity hands them to the day's digest, and the digest
 * sends one message on the minute. With DONDOC_RECORD_HISTORIES=1 the tests record their histories for the replay
 * test.
 */
import { Context } from '@temporalio/activity';
import { createEmailActivities } from '../../activities/email-activities';
import { createFileLedger } from '../../mail/ledger';
import { createSmtpMailer } from '../../mail/mailer';
import { createLinkSigner } from '../../security/links';
import { currentActionsOf } from '../../services/tasks';
import { startSmtpServer } from '../mail/smtp-harness';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Activities } from '../../activities';
import { createEnqueueActivities } from '../../activities/enqueue-activities';
import type { DeliverDigestInput } from '../../activities/types';
import { createCalendar, instantOfLocal, VN_CALENDAR_OVERRIDES } from '../../domain/calendar';
import { prepareInstant, defaultDeliverySchedule } from '../../domain/lifecycle/delivery';
import type { TaskCore } from '../../domain/lifecycle/core';
import type { NotificationRequest, TaskInstanceSpec } from '../../domain/types';
import { updateOf } from '../../workflows/actions';
import { addDigestItemsSignal, digestItemsQuery } from '../../workflows/definitions';
import { digestWorkflowId, type digestWorkflow } from '../../workflows/digest-workflow';
import type { taskWorkflow } from '../../workflows/task-workflow';
import { saveHistory } from '../helpers/histories';
import { AGENCIES, deadlineSchedule, makeSpec } from '../helpers/spec';
import { eventually, localToday, plusDays } from '../helpers/task-run';
import { connectTimeSkipping, terminateAll, testWorker, uniqueId } from '../helpers/temporal';

const TZ = 'Asia/Ho_Chi_Minh';
const calendar = createCalendar(VN_CALENDAR_OVERRIDES);
const at = (day: string, h: number, m: number): number => instantOfLocal(day, h, m, TZ);

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await connectTimeSkipping();
});
afterAll(async () => {
  await env?.teardown();
});

interface Sent {
  input: DeliverDigestInput;
  /** Workflow time at which the digest scheduled the message. */
  at: number;
}

/** The real hand-over to digests, and a deliverDigest that records each message and when it was scheduled. */
function realPath(taskQueue: string): {
  activities: Activities;
  sent: Sent[];
  importNotices: Sent[];
  prepared: Map<string, number>;
  digests: Set<string>;
} {
  const sent: Sent[] = [];
  const importNotices: Sent[] = [];
  const prepared = new Map<string, number>();
  const digests = new Set<string>();
  const enqueue = createEnqueueActivities({ client: env.client, taskQueue, windowMinutes: 10 });
  const activities: Activities = {
    async enqueueNotifications(input) {
      for (const item of input.items) digests.add(digestWorkflowId(item.recipient, item.localDate, taskQueue));
      for (const item of input.items)
        if (!prepared.has(item.key)) prepared.set(item.key, Date.parse(item.deliverAt ?? ''));
      await enqueue.enqueueNotifications(input);
    },
    async deliverDigest(input) {
      // The lead's notice of its new tasks goes out when the task starts (patched 'import-notice'), days before
      // the reminders these tests are about: kept apart.
      const at = Context.current().info.currentAttemptScheduledTimestampMs;
      if (input.items.every((i) => i.kind === 'plan_imported')) importNotices.push({ input, at });
      else sent.push({ input, at });
      return { status: 'sent', messageId: `<${input.digestId}>`, to: ['a@x'], accepted: ['a@x'] };
    },
    async sendPeriodicReport() {
      throw new Error('not used here');
    },
  };
  return { activities, sent, importNotices, prepared, digests };
}

/** Runs `fn` with a worker on a fresh queue; every task and digest workflow is terminated afterwards. */
async function withWorker<T>(
  fn: (ctx: {
    taskQueue: string;
    sent: Sent[];
    importNotices: Sent[];
    start: (spec: TaskInstanceSpec) => Promise<ReturnType<TestWorkflowEnvironment['client']['workflow']['getHandle']>>;
  }) => Promise<T>,
): Promise<T> {
  const taskQueue = uniqueId('announced');
  const { activities, sent, importNotices, digests } = realPath(taskQueue);
  const worker = await testWorker(env, taskQueue, activities);
  const ids: string[] = [];
  try {
    return await worker.runUntil(async () => {
      try {
        return await fn({
          taskQueue,
          sent,
          importNotices,
          start: async (spec) => {
            ids.push(spec.workflowId);
            return env.client.workflow.start<typeof taskWorkflow>('taskWorkflow', {
              taskQueue,
              workflowId: spec.workflowId,
              args: [{ spec, reminderHour: 8 }],
            });
          },
        });
      } finally {
        // Every digest a test's items reached, sent or not: one left running without its worker would hold the
        // time-skipping server's clock for the tests after it.
        await terminateAll([...ids, ...digests].map((id) => env.client.workflow.getHandle(id)));
      }
    });
  } finally {
    await terminateAll(ids.map((id) => env.client.workflow.getHandle(id)));
  }
}

/** A working day at least a week ahead, so no earlier alarm of the test's specs falls before it. */
async function dueDay(): Promise<string> {
  return calendar.nextWorkingDay(plusDays(await localToday(env), 7));
}

const dueTodayOnly = (id: string, due: string): TaskInstanceSpec =>
  makeSpec(id, { schedule: deadlineSchedule(due), reminderOffsets: [0], ladder: [], overdueEveryWorkingDays: 100 });

const sleepUntil = async (instant: number): Promise<void> => {
  const wait = instant - (await env.currentTimeMs());
  if (wait > 0) await env.sleep(wait);
};

describe('reminders on the announced minute', () => {
  test('ten instances due the same day prepare at spread instants and their lead gets one email at 08:00', async () => {
    const due = await dueDay();
    await withWorker(async ({ sent, importNotices, start, taskQueue }) => {
      const ids = Array.from({ length: 10 }, (_, i) => uniqueId(`wf-${i}`));
      const handles = await Promise.all(ids.map((id) => start(dueTodayOnly(id, due))));
      await sleepUntil(at(due, 8, 1));
      // The start of the ten told their lead once, in one mail listing the ten.
      expect(importNotices.flatMap((m) => m.input.items.map((i) => i.task.workflowId)).sort()).toEqual([...ids].sort());
      await eventually(() => expect(sent).toHaveLength(1));
      const [message] = sent;
      expect(message!.input.localDate).toBe(due);
      expect(message!.input.recipient).toEqual({ agencyId: AGENCIES.lead.id, role: 'focal' });
      expect(message!.input.items.map((i) => i.task.workflowId).sort()).toEqual([...ids].sort());
      expect(message!.input.items.every((i) => i.kind === 'due_today')).toBe(true);
      // On the minute: scheduled by the digest's timer at 08:00:00, not when the last item was prepared.
      expect(message!.at - at(due, 8, 0)).toBeGreaterThanOrEqual(0);
      expect(message!.at - at(due, 8, 0)).toBeLessThan(1000);
      // Each instance woke at its own instant of 07:00–07:59, a function of its workflow id.
      const schedule = defaultDeliverySchedule(8);
      const wakes = ids.map((id) => prepareInstant(schedule, id, due, at));
      expect(new Set(wakes).size).toBeGreaterThan(5);
      for (const w of wakes) {
        expect(w).toBeGreaterThanOrEqual(at(due, 7, 0));
        expect(w).toBeLessThan(at(due, 7, 59));
      }
      // The histories agree: each instance's timer fired at its own instant, not at 08:00.
      for (const [i, h] of handles.entries()) {
        const events = (await h.fetchHistory()).events ?? [];
        const fires = events
          .filter((e) => e.timerStartedEventAttributes)
          .map((e) => {
            const started = Number(e.eventTime!.seconds) * 1000 + Math.floor((e.eventTime!.nanos ?? 0) / 1e6);
            const d = e.timerStartedEventAttributes!.startToFireTimeout!;
            return started + Number(d.seconds) * 1000 + Math.floor((d.nanos ?? 0) / 1e6);
          });
        expect(fires.some((f) => Math.abs(f - wakes[i]!) < 2000)).toBe(true);
      }
      await env.sleep('1 hour');
      expect(sent).toHaveLength(1);
      await saveHistory(handles[0]!, 'announced-delivery-task');
      await saveHistory(
        env.client.workflow.getHandle(digestWorkflowId({ agencyId: AGENCIES.lead.id, role: 'focal' }, due, taskQueue)),
        'announced-delivery-digest',
      );
    });
  });

  test('a reminder waiting for its minute offers no action the task no longer allows', async () => {
    const due = await dueDay();
    await withWorker(async ({ sent, start }) => {
      const submitted = await start(dueTodayOnly(uniqueId('wf-submitted'), due));
      const extending = await start(dueTodayOnly(uniqueId('wf-extending'), due));
      const declined = await start(dueTodayOnly(uniqueId('wf-declined'), due));
      const untouched = await start(dueTodayOnly(uniqueId('wf-untouched'), due));
      // Every item is prepared by 07:59; the lead acts before the 08:00 email goes out.
      await sleepUntil(at(due, 7, 59) + 10_000);
      expect(sent).toHaveLength(0);
      await submitted.executeUpdate(updateOf('submit'), {
        args: [{ actor: { agencyId: AGENCIES.lead.id }, summary: 'Đã hoàn thành' }],
      });
      await extending.executeUpdate(updateOf('request_extension'), {
        args: [{ actor: { agencyId: AGENCIES.lead.id }, newDue: plusDays(due, 30), reason: 'Chờ kinh phí' }],
      });
      await declined.executeUpdate(updateOf('decline'), {
        args: [{ actor: { agencyId: AGENCIES.lead.id }, reason: 'Không thuộc thẩm quyền' }],
      });
      await sleepUntil(at(due, 8, 1));
      const reminders = (): NotificationRequest[] =>
        sent.flatMap((s) => s.input.items).filter((i) => i.kind === 'due_today');
      await eventually(() => expect(reminders()).toHaveLength(2));
      expect(sent).toHaveLength(1);
      const byTask = new Map(reminders().map((i) => [i.task.workflowId, i]));
      // Submitted: a reminder to submit is withdrawn. Extension requested: the lead can do nothing from this email
      // (submit waits for the decision), so it is withdrawn too. Declined: submit stays, a request for more time
      // does not.
      expect(byTask.has(submitted.workflowId)).toBe(false);
      expect(byTask.has(extending.workflowId)).toBe(false);
      expect(byTask.get(declined.workflowId)!.details.actions).toEqual(['submit']);
      expect(byTask.get(untouched.workflowId)!.details.actions).toEqual(['submit', 'request_extension']);
      await saveHistory(submitted, 'announced-delivery-withdrawn');
      await saveHistory(declined, 'announced-delivery-trimmed');
    });
  });
});

describe('an alarm fired after its minute', () => {
  test('goes out promptly, not held for the next announced minute', async () => {
    const day = calendar.nextWorkingDay(plusDays(await localToday(env), 3));
    await withWorker(async ({ sent, taskQueue }) => {
      // 03:00 local: a worker that was away for ten days comes back; the due-day reminder of a deadline ten days
      // ago was due long ago.
      await sleepUntil(at(day, 3, 0));
      const due = calendar.addWorkingDays(day, -8);
      const spec = dueTodayOnly(uniqueId('wf-away'), due);
      const now = await env.currentTimeMs();
      const core: TaskCore = {
        state: 'in_progress',
        resumeState: 'in_progress',
        cycle: 0,
        lead: spec.lead,
        due,
        originalDue: due,
        opensOn: null,
        since: now - 20 * 86_400_000,
        fired: [],
        deadlineHistory: [],
        confirmations: [],
        ladderLevelReached: 0,
        extensionsGranted: 0,
        targetValues: [],
        deliveryFailures: [],
        pastCycles: [],
        timeline: [],
      };
      const handle = await env.client.workflow.start<typeof taskWorkflow>('taskWorkflow', {
        taskQueue,
        workflowId: spec.workflowId,
        args: [{ spec, reminderHour: 8, core }],
      });
      try {
        await env.sleep('20 seconds');
        await eventually(() => expect(sent).toHaveLength(1));
        expect(sent[0]!.input.items.map((i) => i.kind)).toEqual(['due_today']);
        // Within the 15 s a late item waits for company (and the start), hours before today's 08:00.
        expect(sent[0]!.at - now).toBeLessThanOrEqual(20_000);
        expect(sent[0]!.at).toBeLessThan(at(day, 8, 0));
        await saveHistory(handle, 'announced-delivery-fired-late');
      } finally {
        await terminateAll([handle]);
      }
    });
  });
});

describe('an item prepared late', () => {
  function item(key: string, deliverAt: number, localDate: string): NotificationRequest {
    return {
      key,
      kind: 'reminder',
      recipient: { agencyId: 'so-tu-phap', role: 'focal' },
      localDate,
      deliverAt: new Date(deliverAt).toISOString(),
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
        timeZone: TZ,
      },
      details: { workingDaysBefore: 3, actions: ['submit'] },
    };
  }

  test('goes out promptly, never twice, and a trickle of late items makes few messages', async () => {
    const taskQueue = uniqueId('late');
    const { activities, sent } = realPath(taskQueue);
    const worker = await testWorker(env, taskQueue, activities);
    const today = await localToday(env);
    const workflowId = uniqueId('dondoc-digest');
    const h = env.client.workflow.getHandle(workflowId);
    try {
      await worker.runUntil(async () => {
        await env.client.workflow.start<typeof digestWorkflow>('digestWorkflow', {
          taskQueue,
          workflowId,
          args: [
            { recipient: { agencyId: 'so-tu-phap', role: 'focal' }, localDate: today, timeZone: TZ, windowMinutes: 10 },
          ],
        });
        const minute = (await env.currentTimeMs()) - 5 * 60_000; // the announced minute passed five minutes ago
        const t0 = await env.currentTimeMs();
        await h.signal(addDigestItemsSignal, [item('1', minute, today), item('2', minute, today)]);
        await env.sleep('5 seconds');
        await h.signal(addDigestItemsSignal, [item('2', minute, today), item('3', minute, today)]);
        await env.sleep('20 seconds');
        await eventually(() => expect(sent).toHaveLength(1));
        // Within 15 s of the first late item, the three together.
        expect(sent[0]!.at - t0).toBeLessThanOrEqual(16_000);
        expect(sent[0]!.input.items.map((i) => i.key)).toEqual(['1', '2', '3']);
        // Items late after that message wait twice as long for company: 30 s.
        const t1 = await env.currentTimeMs();
        await h.signal(addDigestItemsSignal, [item('3', minute, today), item('4', minute, today)]);
        for (const k of ['5', '6', '7']) {
          await env.sleep('5 seconds');
          await h.signal(addDigestItemsSignal, [item(k, minute, today)]);
        }
        await env.sleep('40 seconds');
        await eventually(() => expect(sent).toHaveLength(2));
        expect(sent[1]!.at - t1).toBeLessThanOrEqual(31_000);
        expect(sent[1]!.input.items.map((i) => i.key)).toEqual(['4', '5', '6', '7']);
        expect((await h.query(digestItemsQuery)).sent.sort()).toEqual(['1', '2', '3', '4', '5', '6', '7']);
        await saveHistory(h, 'announced-delivery-late');
      });
    } finally {
      await terminateAll([h]);
    }
  });
});

describe('an item waiting in the gathering window (no announced minute)', () => {
  test("a new task's notice offers only what the task still allows when the digest goes out", async () => {
    // The lead's notice of its new tasks waits the digest's gathering window (10 minutes here). The lead reports
    // one task done from the board meanwhile: the email must not ask it to report that one again.
    const smtp = await startSmtpServer();
    const mailer = createSmtpMailer(smtp.url);
    const signer = createLinkSigner('last-look-secret-0123456789abcdef');
    const taskQueue = uniqueId('last-look');
    const { activities: base, digests } = realPath(taskQueue);
    const email = createEmailActivities({
      mailer,
      recipients: {
        resolve: (agencyId, role) =>
          agencyId === AGENCIES.lead.id
            ? { name: role, agencyName: AGENCIES.lead.name, email: 'lead@so.example.vn' }
            : undefined,
      },
      ledger: createFileLedger(await fs.mkdtemp(path.join(os.tmpdir(), 'dondoc-last-look-'))),
      links: signer,
      config: {
        from: 'dondoc@example.vn',
        publicUrl: 'https://dondoc.example.vn',
        language: 'vi',
        linkTtlDays: 14,
        timeZone: TZ,
      },
      currentActions: (w) => currentActionsOf(env.client, w),
    });
    const worker = await testWorker(env, taskQueue, { ...base, deliverDigest: email.deliverDigest });
    const due = await dueDay();
    const ids = [uniqueId('wf-done-meanwhile'), uniqueId('wf-still-open')];
    try {
      await worker.runUntil(async () => {
        const [done, open] = await Promise.all(
          ids.map((id) =>
            env.client.workflow.start<typeof taskWorkflow>('taskWorkflow', {
              taskQueue,
              workflowId: id,
              args: [{ spec: dueTodayOnly(id, due), reminderHour: 8 }],
            }),
          ),
        );
        await done!.executeUpdate(updateOf('submit'), {
          args: [{ actor: { agencyId: AGENCIES.lead.id }, summary: 'Đã hoàn thành' }],
        });
        await env.sleep('11 minutes');
        await eventually(() => expect(smtp.received.length).toBeGreaterThan(0));
        await env.sleep('30 minutes');
        // The lead's one message of the day so far: the notice of its new tasks (the coordinators have no address).
        const notices = smtp.received;
        expect(notices).toHaveLength(1);
        expect(notices[0]!.envelopeTo).toEqual(['lead@so.example.vn']);
        const text = notices[0]!.parsed.text ?? '';
        const offered = [...text.matchAll(/https:\/\/dondoc\.example\.vn\/a\/([A-Za-z0-9_.-]+)/g)].map((m) => {
          const v = signer.verify(m[1]!, Date.now());
          return v.ok ? `${v.payload.w}:${v.payload.k}` : 'invalid';
        });
        // Only the task still open is offered; the one reported done is not in the notice any more.
        expect(offered.length).toBeGreaterThan(0);
        expect(offered.every((o) => o.startsWith(`${open!.workflowId}:`))).toBe(true);
        expect(offered).toContain(`${open!.workflowId}:submit`);
        expect(text).not.toContain(done!.workflowId);
      });
    } finally {
      await terminateAll([...ids, ...digests].map((id) => env.client.workflow.getHandle(id)));
      mailer.close?.();
      await smtp.close();
    }
  });
});
