/**
 * The next alarm of a task: the state machine's view of its timers. Pure; the task workflow sleeps until it.
 * Instances before lifecycle-v3 keep the alarm plan they were recorded with (`nextAlarm`).
 */
import { nextAlarm, nextAlarmV3, type Alarm, type AlarmSlots, type CalendarLike } from '../alarms';
import { localDateOf } from '../calendar/dates';
import type { TaskInstanceSpec } from '../types';
import type { TaskCore } from './core';
import { pendingCoordinators } from './machine';

export interface AlarmRules {
  v3: boolean;
  slowAfterLadder: boolean;
  reminderHour: number;
}

/** Whether the schedule has a cycle after the current one. */
export function hasNextCycle(core: TaskCore, spec: TaskInstanceSpec): boolean {
  return core.cycle + 1 < spec.schedule.dues.length;
}

/** The next alarm of the task, or undefined when nothing is left to remind (accepted, or no date). */
export function nextAlarmOf(
  core: TaskCore,
  spec: TaskInstanceSpec,
  calendar: CalendarLike,
  slots: AlarmSlots,
  at: (date: string, h: number, m: number) => number,
  rules: AlarmRules,
): Alarm | undefined {
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
    submittedOn: core.submission ? localDateOf(Date.parse(core.submission.at), spec.timeZone) : null,
    reminderOffsets: spec.reminderOffsets,
    overdueEveryWorkingDays: spec.overdueEveryWorkingDays,
    ladder: spec.ladder,
    fired: new Set(core.fired),
    closeUnfinishedCycle: hasNextCycle(core, spec),
  };
  return rules.v3
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
    : nextAlarm({ ...common, reminderHour: rules.reminderHour, slowAfterLadder: rules.slowAfterLadder }, calendar, at);
}
