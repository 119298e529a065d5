import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { Alarm, AlarmSlots } from '../domain/alarms';
import { calendarFor, instantOfLocal, localDateOf } from '../domain/calendar';
import { dueOfCycle, initialCore, type TaskCore } from '../domain/lifecycle/core';
import type { ActionName } from '../domain/lifecycle/actions';
import { REFUSAL_FAILURE_TYPE, type ActionInput, type Refusal } from '../domain/lifecycle/inputs';
import {
  applyAction,
  applyFact,
  availableActions,
  checkAction,
  nextCycleCore,
  noticeItems,
  snapshotOf,
  type Fact,
  type MachineContext,
  type Notice,
} from '../domain/lifecycle/machine';
import type { NotificationRequest, TaskInstanceSpec, TaskSnapshot } from '../domain/types';
import {
  defaultDeliverySchedule,
  deliveryInstant,
  deliverySlots,
  reviseOffer,
  type DeliverySchedule,
} from '../domain/lifecycle/delivery';
import { hasNextCycle, nextAlarmOf } from '../domain/lifecycle/next-alarm';
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
import { enqueueAsActivityTask, enqueueLocally } from './notify';

export type { TaskCore } from '../domain/lifecycle/core';
export { dueOfCycle } from '../domain/lifecycle/core';

export interface TaskWorkflowInput {
  spec: TaskInstanceSpec;
  /** Local hour at which reminders and notices go out. */
  reminderHour: number;
  /**
   * The announced delivery of reminders (from the 'announced-delivery' patch): the minute digests go out, the
   * window before it in which this instance prepares its items, the spread of status changes after midnight.
   * Absent: `reminderHour`:00 with an hour each (`defaultDeliverySchedule`).
   */
  delivery?: DeliverySchedule;
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
  // announced-delivery: alarms at spread instants before the announced minute (and after midnight); items carry
  // the minute they are for, and items still waiting for it are revised when the task's state changes.
  const announced = v3 && patched('announced-delivery');
  // one-notice-at-a-time: the hand-overs of a handler and of the main loop never run side by side. Two local
  // activities resolved in one activation live may be resolved in two on replay, and the commands after them would
  // then come out in another order; one lane keeps that order the same.
  const oneLane = v3 && patched('one-notice-at-a-time');
  let lane: Promise<unknown> = Promise.resolve();
  const handOver = (input: { items: NotificationRequest[] }): Promise<void> => {
    if (!oneLane) return enqueueLocally(input);
    const run = lane.then(() => enqueueLocally(input));
    lane = run.catch(() => undefined);
    return run;
  };
  const delivery = input.delivery ?? defaultDeliverySchedule(input.reminderHour);
  let spec = input.spec;
  let calendar = calendarFor(spec.calendar);
  const at = (date: string, h: number, m: number): number => instantOfLocal(date, h, m, spec.timeZone);
  const ctx = (): MachineContext => ({
    now: Date.now(),
    timeZone: spec.timeZone,
    calendar,
    rules: { v3, slowAfterLadder },
  });
  const slots: AlarmSlots = announced
    ? deliverySlots(delivery, spec.workflowId, at)
    : {
        notify: (day) => at(day, input.reminderHour, 0),
        escalate: (day) => at(day, input.reminderHour, 5),
        midnight: (day) => at(day, 0, 0),
      };
  /** Items handed over for an announced minute still ahead, that offer actions: revised if the state changes. */
  let awaiting: NotificationRequest[] = [];
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

  const send = async (notices: Notice[], deliverAt?: number): Promise<void> => {
    for (const notice of notices) {
      let items = noticeItems(core, spec, notice, ctx());
      if (items.length === 0) continue;
      if (deliverAt !== undefined) {
        const iso = new Date(deliverAt).toISOString();
        items = items.map((i) => ({ ...i, deliverAt: iso }));
        if (deliverAt > Date.now()) awaiting.push(...items.filter((i) => (i.details.actions ?? []).length > 0));
      }
      if (patched('notify-local-activity')) await handOver({ items });
      else await enqueueAsActivityTask({ items });
    }
  };

  // An item waiting for its announced minute never offers an action the state no longer allows: its actions are
  // trimmed, or, when its first action (its reason: submit for a reminder, confirm for a coordinator) is gone, it
  // is withdrawn. One hand-over, only when a state change meets items still waiting (a window of minutes).
  const reviseAwaiting = async (): Promise<void> => {
    if (!announced || awaiting.length === 0) return;
    const now = Date.now();
    const allowed = availableActions(core, spec);
    const revised: NotificationRequest[] = [];
    awaiting = awaiting.flatMap((item) => {
      if (Date.parse(item.deliverAt ?? '') <= now) return [];
      const change = reviseOffer(item, allowed);
      if (change.kind === 'same') return [item];
      const revision = (item.revision ?? 0) + 1;
      if (change.kind === 'withdrawn') {
        revised.push({ ...item, revision, withdrawn: true });
        return [];
      }
      const next = { ...change.item, revision };
      revised.push(next);
      return [next];
    });
    if (revised.length > 0) await handOver({ items: revised });
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
    // An alarm's notices are prepared for the announced minute of the day the alarm was set for. An alarm fired
    // after that minute (a worker away, a task followed late) carries a minute already past, and the digest sends
    // it promptly rather than holding it until the next announced minute.
    const deliverAt =
      announced && fact.kind === 'alarm'
        ? deliveryInstant(delivery, localDateOf(fact.alarm.at, spec.timeZone), at)
        : undefined;
    await send(step.notices, deliverAt);
    if (fact.kind !== 'alarm' && fact.kind !== 'delivery_failed') await reviseAwaiting();
  };

  // Recorded before any handler is registered: an update delivered with the first task runs at registration.
  let createdNotices: Notice[] = [];
  if (!input.core) {
    const created = applyFact(core, spec, { kind: 'created' }, ctx());
    core = created.core;
    createdNotices = created.notices;
  }

  const refuse = (r: Refusal): never => {
    throw ApplicationFailure.create({
      type: REFUSAL_FAILURE_TYPE,
      message: r.message,
      details: [r],
      nonRetryable: true,
    });
  };
  const actionOrRefuse = (updateName: string, i: ActionInput): ActionName =>
    actionOf(updateName, i) ?? refuse({ code: 'invalid_input', message: 'Cần chọn chấp thuận hay từ chối.' });
  for (const [updateName, update] of ACTION_UPDATES) {
    setHandler(
      update,
      async (i: ActionInput) => {
        const name = actionOrRefuse(updateName, i);
        const step = applyAction(core, spec, name, i, ctx());
        core = step.core;
        dirty = true;
        publish();
        await send(step.notices);
        await reviseAwaiting();
        return step.result;
      },
      {
        validator: (i: ActionInput) => {
          const name = actionOrRefuse(updateName, i);
          const refusal = checkAction(core, spec, name, i ?? ({} as ActionInput), ctx());
          if (refusal) refuse(refusal);
        },
      },
    );
  }

  setHandler(amendTaskSignal, async ({ spec: next, reason }) => {
    calendar = calendarFor(next.calendar);
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
  // import-notice: a new instance tells its lead of the task and its deadline (the lead's digest of the day lists
  // every new task in one email). Runs started before the patch told no one.
  if (createdNotices.length > 0 && patched('import-notice')) await send(createdNotices);
  const lingerUntil = (): number =>
    at(core.due ?? spec.schedule.windowEnd ?? localDateOf(Date.now(), spec.timeZone), 0, 0) + LINGER_DAYS * 86_400_000;
  const carried = (): Omit<TaskWorkflowInput, 'core'> => ({
    spec,
    reminderHour: input.reminderHour,
    ...(input.delivery ? { delivery: input.delivery } : {}),
  });
  const next = (): Alarm | undefined =>
    nextAlarmOf(core, spec, calendar, slots, at, { v3, slowAfterLadder, reminderHour: input.reminderHour });

  while (!finished) {
    if (core.state === 'cancelled') break;
    if (core.state === 'accepted' && hasNextCycle(core, spec)) break;
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
      await continueAsNew<typeof taskWorkflow>({ ...carried(), core });
    }
  }

  // End of the run: the next cycle, or the end.
  await condition(allHandlersFinished);
  if (core.state !== 'cancelled' && hasNextCycle(core, spec) && (core.state === 'accepted' || finished))
    await continueAsNew<typeof taskWorkflow>({ ...carried(), core: nextCycleCore(core, spec, ctx()) });
  return snapshotOf(core, spec, ctx());
}
