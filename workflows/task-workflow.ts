import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  type RetryPolicy,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { EnqueueActivities } from '../activities/types';
import { nextAlarm, nextAlarmV3, type Alarm, type AlarmSlots } from '../domain/alarms';
import { createCalendar, instantOfLocal, localDateOf } from '../domain/calendar';
import { dueOfCycle, initialCore, type TaskCore } from '../domain/lifecycle/core';
import { REFUSAL_FAILURE_TYPE, type ActionInput, type Refusal } from '../domain/lifecycle/inputs';
import {
  applyAction,
  applyFact,
  checkAction,
  nextCycleCore,
  noticeItems,
  pendingCoordinators,
  snapshotOf,
  type Fact,
  type MachineContext,
  type Notice,
} from '../domain/lifecycle/machine';
import type { TaskInstanceSpec, TaskSnapshot } from '../domain/types';
import { ACTION_UPDATES, actionOf } from './actions';
import {
  agencySucceededSignal,
  amendTaskSignal,
  cancelTaskSignal,
  deliveryFailedSignal,
  handledActionQuery,
  SA,
  taskSnapshotQuery,
} from './definitions';

export type { TaskCore } from '../domain/lifecycle/core';
export { dueOfCycle } from '../domain/lifecycle/core';

const ENQUEUE_RETRY: RetryPolicy = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '5 minutes',
  maximumAttempts: 200,
};

/** How histories recorded before the 'notify-local-activity' patch hand notifications over: an activity task. */
const { enqueueNotifications: enqueueAsActivityTask } = proxyActivities<EnqueueActivities>({
  startToCloseTimeout: '30 seconds',
  retry: ENQUEUE_RETRY,
});

/**
 * Handing notifications over is one signal-with-start per recipient: a local activity runs it inside the workflow
 * task that decided it, so a reminder costs one workflow task instead of two plus an activity task, and a person's
 * action is answered without waiting for an activity round trip. Idempotent per item key, so a worker dying
 * mid-call and the workflow task retrying it sends nothing twice.
 */
const { enqueueNotifications: enqueueLocally } = proxyLocalActivities<EnqueueActivities>({
  startToCloseTimeout: '30 seconds',
  // Short outages retry inside the workflow task; longer backoffs become durable timers.
  localRetryThreshold: '30 seconds',
  retry: ENQUEUE_RETRY,
});

export interface TaskWorkflowInput {
  spec: TaskInstanceSpec;
  /** Local hour at which reminders and notices go out. */
  reminderHour: number;
  /** Present when continuing as new. */
  core?: TaskCore;
}

/** A finished instance stays open (queryable, amendable) this long after its last due date. */
const LINGER_DAYS = 400;
/** A run continues as new past this many events (same cycle, same state). */
const HISTORY_LIMIT = 800;

/**
 * One task instance (plan, task, responsible agency): urges it on until the monitoring agency accepts it.
 *
 * The lifecycle is the pure state machine of `domain/lifecycle`; this function wires it to Temporal. People's
 * actions arrive as updates whose validators refuse (an `ActionRefused` failure carrying its code) without leaving
 * any trace in history; an action id already handled is refused as `already_done`, so no door can apply an action
 * twice. Timers come from the domain's alarm plan. Recurring schedules run one cycle per run and continue as new
 * between cycles. Notifications are handed to `enqueueNotifications`, which is idempotent per item key.
 */
export async function taskWorkflow(input: TaskWorkflowInput): Promise<TaskSnapshot> {
  const slowAfterLadder = patched('slow-overdue-after-ladder');
  // lifecycle-v3: the defects of the 2026-12 review fixed (see domain/lifecycle/machine.ts and domain/alarms.ts).
  const v3 = patched('lifecycle-v3');
  let spec = input.spec;
  let calendar = createCalendar(spec.calendar);
  const at = (date: string, h: number, m: number): number => instantOfLocal(date, h, m, spec.timeZone);
  const ctx = (): MachineContext => ({
    now: Date.now(),
    timeZone: spec.timeZone,
    calendar,
    rules: { v3, slowAfterLadder },
  });
  const slots: AlarmSlots = {
    notify: (day) => at(day, input.reminderHour, 0),
    escalate: (day) => at(day, input.reminderHour, 5),
    midnight: (day) => at(day, 0, 0),
  };
  let core: TaskCore = input.core ?? initialCore(spec, 0, Date.now(), localDateOf(Date.now(), spec.timeZone), v3);
  let dirty = false;
  let finished = false;
  const published = new Map<string, string>();
  let publishedLead = input.core ? core.lead.name : input.spec.lead.name;

  // Search attributes: from v3 only those that changed (one visibility write less per alarm that changes nothing).
  const publish = (): void => {
    const s = snapshotOf(core, spec, ctx());
    const attrs: SearchAttributeUpdatePair[] = [
      { key: SA.plan, value: spec.planId },
      { key: SA.task, value: spec.taskKey },
      { key: SA.lead, value: core.lead.id },
      { key: SA.agencies, value: [core.lead.id, ...spec.coordinators.map((c) => c.id)] },
      { key: SA.state, value: core.state },
      { key: SA.status, value: s.reportingStatus },
      { key: SA.due, value: s.effectiveDue ? new Date(at(s.effectiveDue, 23, 59)) : null },
      { key: SA.specHash, value: spec.specHash },
    ];
    const changed = v3 ? attrs.filter((a) => published.get(a.key.name) !== JSON.stringify(a.value)) : attrs;
    if (changed.length > 0) upsertSearchAttributes(changed);
    for (const a of changed) published.set(a.key.name, JSON.stringify(a.value));
    // The board reads the lead's name from the memo: keep it true after a reassignment or succession.
    if (v3 && core.lead.name !== publishedLead) {
      upsertMemo({ leadName: core.lead.name });
      publishedLead = core.lead.name;
    }
  };

  const send = async (notices: Notice[]): Promise<void> => {
    for (const notice of notices) {
      const items = noticeItems(core, spec, notice, ctx());
      if (items.length === 0) continue;
      if (patched('notify-local-activity')) await enqueueLocally({ items });
      else await enqueueAsActivityTask({ items });
    }
  };

  const apply = async (fact: Fact): Promise<void> => {
    const step = applyFact(core, spec, fact, ctx());
    if (step.unchanged) return;
    core = step.core;
    if (step.spec) spec = step.spec;
    // A delivery failure changes no timer and no search attribute: waking the loop would only restart its timer.
    if (fact.kind !== 'delivery_failed') {
      dirty = true;
      publish();
    }
    await send(step.notices);
  };

  // Recorded before any handler is registered: an update delivered with the first task runs at registration.
  if (!input.core) core = applyFact(core, spec, { kind: 'created' }, ctx()).core;

  const refuse = (r: Refusal): never => {
    throw ApplicationFailure.create({
      type: REFUSAL_FAILURE_TYPE,
      message: r.message,
      details: [r],
      nonRetryable: true,
    });
  };
  for (const [updateName, update] of ACTION_UPDATES) {
    setHandler(
      update,
      async (i: ActionInput) => {
        const name =
          actionOf(updateName, i) ?? refuse({ code: 'invalid_input', message: 'Cần chọn chấp thuận hay từ chối.' });
        const step = applyAction(core, spec, name, i, ctx());
        core = step.core;
        dirty = true;
        publish();
        await send(step.notices);
        return step.result;
      },
      {
        validator: (i: ActionInput) => {
          const name =
            actionOf(updateName, i) ?? refuse({ code: 'invalid_input', message: 'Cần chọn chấp thuận hay từ chối.' });
          const refusal = checkAction(core, spec, name, i ?? ({} as ActionInput), ctx());
          if (refusal) refuse(refusal);
        },
      },
    );
  }

  setHandler(amendTaskSignal, async ({ spec: next, reason }) => {
    calendar = createCalendar(next.calendar);
    await apply({ kind: 'amend', spec: next, reason, nextDue: dueOfCycle(next, core.cycle) });
  });
  setHandler(cancelTaskSignal, ({ reason }) => apply({ kind: 'cancel', reason }));
  setHandler(agencySucceededSignal, ({ from, to, on }) => apply({ kind: 'succession', from, to, on }));
  setHandler(deliveryFailedSignal, ({ key, recipient, reason }) =>
    apply({ kind: 'delivery_failed', key, recipient, reason }),
  );
  setHandler(taskSnapshotQuery, () => snapshotOf(core, spec, ctx()));
  setHandler(handledActionQuery, (id) => core.handled?.find((h) => h.id === id) ?? null);

  // The loop: wait for the next alarm or an action, whichever comes first.
  publish();
  const hasNextCycle = (): boolean => core.cycle + 1 < spec.schedule.dues.length;
  const lingerUntil = (): number =>
    at(core.due ?? spec.schedule.windowEnd ?? localDateOf(Date.now(), spec.timeZone), 0, 0) + LINGER_DAYS * 86_400_000;
  const submittedOn = (): string | null =>
    core.submission ? localDateOf(Date.parse(core.submission.at), spec.timeZone) : null;
  const next = (): Alarm | undefined => {
    if (core.state === 'accepted') return undefined;
    const common = {
      state: core.state,
      leadId: core.lead.id,
      monitoringId: spec.monitoring.id,
      authorityId: spec.authority.id,
      coordinatorsPending: pendingCoordinators(core, spec),
      opensOn: core.opensOn,
      due: core.due,
      since: core.since,
      submittedOn: submittedOn(),
      reminderOffsets: spec.reminderOffsets,
      overdueEveryWorkingDays: spec.overdueEveryWorkingDays,
      ladder: spec.ladder,
      fired: new Set(core.fired),
      closeUnfinishedCycle: hasNextCycle(),
    };
    return v3
      ? nextAlarmV3(
          {
            ...common,
            lastOverdueNotice: core.lastOverdueNotice ?? null,
            successions: spec.successions ?? [],
            timeZone: spec.timeZone,
          },
          calendar,
          slots,
        )
      : nextAlarm({ ...common, reminderHour: input.reminderHour, slowAfterLadder }, calendar, at);
  };

  while (!finished) {
    if (core.state === 'cancelled') break;
    if (core.state === 'accepted' && hasNextCycle()) break;
    const alarm = next();
    const wakeAt = alarm ? alarm.at : core.state === 'accepted' ? lingerUntil() : undefined;
    dirty = false;
    if (wakeAt === undefined) {
      await condition(() => dirty);
      continue;
    }
    const waitMs = Math.max(0, wakeAt - Date.now());
    // From v3 an alarm already due fires in this workflow task, without a timer round trip.
    if ((!v3 || waitMs > 0) && (await condition(() => dirty, waitMs))) continue;
    if (!alarm) break; // lingered long enough after acceptance
    await apply({ kind: 'alarm', alarm });
    if (alarm.kind === 'close_cycle') finished = true;
    // Before v3 a run could continue as new right after closing its cycle, and the new run never closed it.
    if (v3 && finished) break;
    if (workflowInfo().continueAsNewSuggested || (slowAfterLadder && workflowInfo().historyLength > HISTORY_LIMIT)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof taskWorkflow>({ spec, reminderHour: input.reminderHour, core });
    }
  }

  // End of the run: the next cycle, or the end.
  await condition(allHandlersFinished);
  if (core.state !== 'cancelled' && hasNextCycle() && (core.state === 'accepted' || finished))
    await continueAsNew<typeof taskWorkflow>({
      spec,
      reminderHour: input.reminderHour,
      core: nextCycleCore(core, spec, ctx()),
    });
  return snapshotOf(core, spec, ctx());
}
