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
import { createCalendar, instantOfLocal, localDateOf } from '../domain/calendar';
import { dueOfCycle, initialCore, type TaskCore } from '../domain/lifecycle/core';
import type { ActionName } from '../domain/lifecycle/actions';
import { REFUSAL_FAILURE_TYPE, type ActionInput, type Refusal } from '../domain/lifecycle/inputs';
import {
  applyAction,
  applyFact,
  checkAction,
  nextCycleCore,
  noticeItems,
  snapshotOf,
  type Fact,
  type MachineContext,
  type Notice,
} from '../domain/lifecycle/machine';
import type { TaskInstanceSpec, TaskSnapshot } from '../domain/types';
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
  // import-notice: a new instance tells its lead of the task and its deadline (the lead's digest of the day lists
  // every new task in one email). Runs started before the patch told no one.
  if (createdNotices.length > 0 && patched('import-notice')) await send(createdNotices);
  const lingerUntil = (): number =>
    at(core.due ?? spec.schedule.windowEnd ?? localDateOf(Date.now(), spec.timeZone), 0, 0) + LINGER_DAYS * 86_400_000;
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
      await continueAsNew<typeof taskWorkflow>({ spec, reminderHour: input.reminderHour, core });
    }
  }

  // End of the run: the next cycle, or the end.
  await condition(allHandlersFinished);
  if (core.state !== 'cancelled' && hasNextCycle(core, spec) && (core.state === 'accepted' || finished))
    await continueAsNew<typeof taskWorkflow>({
      spec,
      reminderHour: input.reminderHour,
      core: nextCycleCore(core, spec, ctx()),
    });
  return snapshotOf(core, spec, ctx());
}
