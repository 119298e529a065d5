import { addDays, localDateOf } from './calendar/dates';
import { DUE_SOON_WORKING_DAYS } from './reporting-status';
import type { ContactRole, IsoDate, LadderLevel, NotificationKind, TaskState } from './types';

/** The calendar operations the timer plan needs (implemented by domain/calendar). */
export interface CalendarLike {
  isWorkingDay(d: IsoDate): boolean;
  addWorkingDays(d: IsoDate, n: number): IsoDate;
  effectiveDeadline(d: IsoDate): IsoDate;
  previousWorkingDay(d: IsoDate): IsoDate;
  nextWorkingDay(d: IsoDate): IsoDate;
  /** Working days after `a` up to and including `b` (negative when `b` is before `a`). */
  workingDaysBetween(a: IsoDate, b: IsoDate): number;
}

/** Converts a local date and hour in the plan's zone to epoch milliseconds. */
export type LocalInstant = (date: IsoDate, hour: number, minute: number) => number;

export type AlarmKind =
  | 'open'
  | 'reminder'
  | 'due_soon'
  | 'overdue_status'
  | 'overdue_notice'
  | 'escalation'
  | 'coordinator_reminder'
  | 'coordinator_escalation'
  | 'close_cycle'
  | 'succession';

export interface Alarm {
  /** Unique within a cycle; a fired key never fires again in that cycle. */
  key: string;
  kind: AlarmKind;
  at: number;
  /** Notification to send when it fires, if any. */
  notify?: {
    kind: NotificationKind;
    to: { agencyId: string; role: ContactRole }[];
    details: Record<string, number | string>;
  };
  /** An escalation that catches up: the keys of lower ladder levels that passed before the task was followed. */
  passedKeys?: string[];
  /** A succession of one of the instance's agencies. */
  succession?: { from: string; to: { id: string; name: string }; on: IsoDate };
}

export interface AlarmInput {
  state: TaskState;
  leadId: string;
  monitoringId: string;
  authorityId: string;
  /** Required coordinators who have not confirmed (only meaningful once submitted). */
  coordinatorsPending: string[];
  /** Start of the cycle (local date) when it lies in the future; the task is `scheduled` until then. */
  opensOn: IsoDate | null;
  /** The scheduled due date (after extensions), before the working-day rule. */
  due: IsoDate | null;
  /** Epoch ms from which alarms count: alarms before it are history (set when the deadline was last set). */
  since: number;
  /** Local date of the submission awaiting coordinators. */
  submittedOn: IsoDate | null;
  reminderOffsets: number[];
  overdueEveryWorkingDays: number;
  ladder: LadderLevel[];
  reminderHour: number;
  fired: ReadonlySet<string>;
  /** For recurring tasks: close an unfinished cycle this many working days after the ladder's last level. */
  closeUnfinishedCycle: boolean;
  /**
   * Once the ladder's top level has fired, overdue notices slow to every `overdueEveryWorkingDays × 4` working days:
   * the task is in leadership's hands and a weekly mail for years teaches people to ignore dondoc.
   */
  slowAfterLadder?: boolean;
}

const NOT_YET_SUBMITTED: ReadonlySet<TaskState> = new Set<TaskState>([
  'in_progress',
  'returned',
  'extension_requested',
]);

/** Working days after which an unanswered coordinator is reminded, then escalated to the monitoring agency. */
export const COORDINATOR_REMINDER_AFTER = 3;
export const COORDINATOR_ESCALATION_AFTER = 7;

/**
 * The alarm plan of runs started before `patched('lifecycle-v3')`, unchanged so their histories replay. New runs use
 * {@link nextAlarmV3}.
 *
 * The next alarm of a task instance: the earliest not-yet-fired alarm at or after `since`.
 *
 * All dates are computed from the effective deadline (Civil Code: a deadline on a non-working day moves to
 * the next working day). Reminders land on working days only (a reminder that would fall on a holiday moves
 * to the previous working day), never after submission. Overdue notices and ladder levels are keyed by the
 * due date, so an extension (new due date) resets them. Returns undefined when nothing is left to wait for.
 */
export function nextAlarm(input: AlarmInput, cal: CalendarLike, at: LocalInstant): Alarm | undefined {
  let best: Alarm | undefined;
  const consider = (a: Alarm): void => {
    if (input.fired.has(a.key) || a.at < input.since) return;
    if (!best || a.at < best.at || (a.at === best.at && a.key < best.key)) best = a;
  };
  const lead = { agencyId: input.leadId, role: 'focal' as const };
  const { state, due } = input;

  if (state === 'scheduled' && input.opensOn) {
    consider({ key: `open:${input.opensOn}`, kind: 'open', at: at(input.opensOn, 0, 0) });
    return best;
  }
  if (state === 'postponed' || state === 'accepted' || state === 'cancelled' || due === null) return best;

  const effective = cal.effectiveDeadline(due);
  const waitingForLead = NOT_YET_SUBMITTED.has(state);

  if (waitingForLead) {
    for (const offset of [...new Set(input.reminderOffsets)].sort((a, b) => b - a)) {
      const day = offset === 0 ? effective : cal.previousWorkingDay(cal.addWorkingDays(effective, -offset));
      consider({
        key: `reminder:${offset}:${due}`,
        kind: 'reminder',
        at: at(day, input.reminderHour, 0),
        notify: {
          kind: offset === 0 ? 'due_today' : 'reminder',
          to: [lead],
          details: { workingDaysBefore: offset },
        },
      });
    }
    consider({ key: `due_soon:${due}`, kind: 'due_soon', at: at(cal.addWorkingDays(effective, -3), 0, 0) });
    const dayAfter = addDays(effective, 1);
    consider({ key: `overdue_status:${due}`, kind: 'overdue_status', at: at(dayAfter, 0, 0) });
    // Overdue notices on a rhythm: only the next unfired one matters.
    const rhythm = Math.max(1, input.overdueEveryWorkingDays);
    // Start near the first notice after `since` (a lower bound: at least 0.6 working days per calendar day).
    const calendarDaysLate = Math.floor((input.since - at(effective, 0, 0)) / 86_400_000);
    const firstK = Math.max(1, Math.floor((calendarDaysLate * 0.6) / rhythm) - 1);
    const top = Math.max(0, ...input.ladder.map((l) => l.afterWorkingDays));
    const slowFrom = input.slowAfterLadder && input.ladder.length > 0 ? Math.ceil(top / rhythm) : Infinity;
    const offsetOf = (k: number): number =>
      k <= slowFrom ? k * rhythm : slowFrom * rhythm + (k - slowFrom) * rhythm * 4;
    for (let k = firstK; k <= firstK + 2000; k++) {
      const key = `overdue_notice:${k}:${due}`;
      if (input.fired.has(key)) continue;
      const day = cal.addWorkingDays(effective, offsetOf(k));
      if (at(day, input.reminderHour, 0) < input.since) continue;
      consider({
        key,
        kind: 'overdue_notice',
        at: at(day, input.reminderHour, 0),
        notify: { kind: 'overdue', to: [lead], details: { workingDaysOverdue: offsetOf(k) } },
      });
      break;
    }
    for (const level of input.ladder) {
      const day = cal.addWorkingDays(effective, level.afterWorkingDays);
      const to =
        level.to === 'lead_head'
          ? { agencyId: input.leadId, role: 'head' as const }
          : level.to === 'monitoring'
            ? { agencyId: input.monitoringId, role: 'focal' as const }
            : { agencyId: input.authorityId, role: 'office' as const };
      consider({
        key: `escalation:${level.level}:${due}`,
        kind: 'escalation',
        at: at(day, input.reminderHour, 5),
        notify: {
          kind: 'escalation',
          to: [to],
          details: { level: level.level, workingDaysOverdue: level.afterWorkingDays },
        },
      });
    }
    if (input.closeUnfinishedCycle) {
      const last = Math.max(0, ...input.ladder.map((l) => l.afterWorkingDays));
      consider({
        key: `close_cycle:${due}`,
        kind: 'close_cycle',
        at: at(cal.addWorkingDays(effective, last + 1), 0, 0),
      });
    }
  }

  if ((state === 'submitted' || state === 'disputed') && input.submittedOn && input.coordinatorsPending.length > 0) {
    const base = input.submittedOn;
    consider({
      key: `coordinator_reminder:${base}`,
      kind: 'coordinator_reminder',
      at: at(cal.addWorkingDays(cal.previousWorkingDay(base), COORDINATOR_REMINDER_AFTER), input.reminderHour, 0),
      notify: {
        kind: 'coordinator_reminder',
        to: input.coordinatorsPending.map((agencyId) => ({ agencyId, role: 'focal' as const })),
        details: {},
      },
    });
    consider({
      key: `coordinator_escalation:${base}`,
      kind: 'coordinator_escalation',
      at: at(cal.addWorkingDays(cal.previousWorkingDay(base), COORDINATOR_ESCALATION_AFTER), input.reminderHour, 5),
      notify: {
        kind: 'escalation',
        to: [{ agencyId: input.monitoringId, role: 'focal' }],
        details: { level: 0, coordinatorsPending: input.coordinatorsPending.join(', ') },
      },
    });
  }
  return best;
}

// ------------------------------------------------------------------------------------------------------------
// lifecycle-v3
// ------------------------------------------------------------------------------------------------------------

/** When, on a given local day, an alarm of each slot goes off (epoch ms). */
export interface AlarmSlots {
  /** Reminders and notices to people (the reminder hour). */
  notify(day: IsoDate): number;
  /** Escalations: just after the notices of the same day. */
  escalate(day: IsoDate): number;
  /** Status changes that come with a new day (due soon, overdue, a cycle that opens or closes). */
  midnight(day: IsoDate): number;
}

export interface AlarmInputV3 {
  state: TaskState;
  leadId: string;
  monitoringId: string;
  authorityId: string;
  coordinatorsPending: string[];
  opensOn: IsoDate | null;
  due: IsoDate | null;
  since: number;
  submittedOn: IsoDate | null;
  reminderOffsets: number[];
  overdueEveryWorkingDays: number;
  ladder: LadderLevel[];
  fired: ReadonlySet<string>;
  /** Local day of the last overdue notice of this deadline, or null. */
  lastOverdueNotice: IsoDate | null;
  closeUnfinishedCycle: boolean;
  /** Successions of the instance's agencies still to apply. */
  successions: { from: string; to: { id: string; name: string }; on: IsoDate }[];
  timeZone: string;
}

/**
 * The next alarm of a task instance (lifecycle-v3): the earliest of
 * - the cycle opening, a succession of one of its agencies (at once when its day has passed);
 * - reminders on working days before the effective deadline, never after submission;
 * - the due-soon and overdue status changes;
 * - overdue notices, each counted from the previous one (every `overdueEveryWorkingDays` working days, four times
 *   slower once the ladder has run out); the first after `since` comes at the next notice slot when the rhythm's
 *   date has already passed, so a task followed long after its deadline is never left silent;
 * - the escalation ladder, each level once per deadline; levels whose day passed before `since` are caught up by
 *   one escalation at the highest of them;
 * - coordinator reminders and escalation, and the end of an unfinished cycle of a recurring task.
 * Returns undefined when nothing is left to wait for.
 */
export function nextAlarmV3(input: AlarmInputV3, cal: CalendarLike, slots: AlarmSlots): Alarm | undefined {
  let best: Alarm | undefined;
  const consider = (a: Alarm): void => {
    if (input.fired.has(a.key)) return;
    if (!best || a.at < best.at || (a.at === best.at && a.key < best.key)) best = a;
  };
  const future = (a: Alarm): void => {
    if (a.at >= input.since) consider(a);
  };
  const sinceDay = localDateOf(input.since, input.timeZone);
  /** The first notice slot at or after `since`, on a working day. */
  const nextNotifyDay = (): IsoDate => {
    let d = cal.isWorkingDay(sinceDay) ? sinceDay : cal.nextWorkingDay(sinceDay);
    if (slots.notify(d) < input.since) d = cal.nextWorkingDay(addDays(d, 1));
    return d;
  };
  const { state, due } = input;
  const closed = state === 'accepted' || state === 'cancelled';

  if (!closed)
    for (const s of input.successions)
      consider({
        key: `succession:${s.from}:${s.on}`,
        kind: 'succession',
        at: Math.max(slots.midnight(s.on), input.since),
        succession: s,
      });

  if (state === 'scheduled' && input.opensOn) {
    future({ key: `open:${input.opensOn}`, kind: 'open', at: slots.midnight(input.opensOn) });
    return best;
  }
  if (state === 'postponed' || closed || due === null) return best;

  const lead = { agencyId: input.leadId, role: 'focal' as const };
  const effective = cal.effectiveDeadline(due);

  if (NOT_YET_SUBMITTED.has(state)) {
    for (const offset of [...new Set(input.reminderOffsets)].sort((a, b) => b - a)) {
      const day = offset === 0 ? effective : cal.previousWorkingDay(cal.addWorkingDays(effective, -offset));
      future({
        key: `reminder:${offset}:${due}`,
        kind: 'reminder',
        at: slots.notify(day),
        notify: { kind: offset === 0 ? 'due_today' : 'reminder', to: [lead], details: { workingDaysBefore: offset } },
      });
    }
    future({
      key: `due_soon:${due}`,
      kind: 'due_soon',
      at: slots.midnight(cal.addWorkingDays(effective, -DUE_SOON_WORKING_DAYS)),
    });
    future({ key: `overdue_status:${due}`, kind: 'overdue_status', at: slots.midnight(addDays(effective, 1)) });

    // Overdue notices: counted from the last one; after the ladder's top, four times slower.
    const rhythm = Math.max(1, input.overdueEveryWorkingDays);
    const top = Math.max(0, ...input.ladder.map((l) => l.afterWorkingDays));
    const base = input.lastOverdueNotice ?? effective;
    const slow = input.ladder.length > 0 && cal.workingDaysBetween(effective, base) >= top;
    let noticeDay = cal.addWorkingDays(base, slow ? rhythm * 4 : rhythm);
    if (slots.notify(noticeDay) < input.since) noticeDay = nextNotifyDay();
    if (noticeDay > effective)
      consider({
        key: `overdue_notice:${noticeDay}:${due}`,
        kind: 'overdue_notice',
        at: slots.notify(noticeDay),
        notify: {
          kind: 'overdue',
          to: [lead],
          details: { workingDaysOverdue: cal.workingDaysBetween(effective, noticeDay) },
        },
      });

    // The ladder: each level once; levels that passed before `since` are caught up once, at the highest.
    const levels = input.ladder.map((level) => {
      const day = cal.addWorkingDays(effective, level.afterWorkingDays);
      const to =
        level.to === 'lead_head'
          ? { agencyId: input.leadId, role: 'head' as const }
          : level.to === 'monitoring'
            ? { agencyId: input.monitoringId, role: 'focal' as const }
            : { agencyId: input.authorityId, role: 'office' as const };
      return { level, day, to, key: `escalation:${level.level}:${due}` };
    });
    const passed = levels.filter((l) => !input.fired.has(l.key) && slots.escalate(l.day) < input.since);
    const highest = passed.reduce<(typeof passed)[number] | undefined>(
      (h, l) => (!h || l.level.level > h.level.level ? l : h),
      undefined,
    );
    if (highest) {
      const day = nextNotifyDay();
      consider({
        key: highest.key,
        kind: 'escalation',
        at: slots.escalate(day),
        notify: {
          kind: 'escalation',
          to: [highest.to],
          details: { level: highest.level.level, workingDaysOverdue: cal.workingDaysBetween(effective, day) },
        },
        passedKeys: passed.map((l) => l.key).filter((k) => k !== highest.key),
      });
    }
    for (const l of levels)
      if (!passed.includes(l))
        future({
          key: l.key,
          kind: 'escalation',
          at: slots.escalate(l.day),
          notify: {
            kind: 'escalation',
            to: [l.to],
            details: { level: l.level.level, workingDaysOverdue: l.level.afterWorkingDays },
          },
        });

    if (input.closeUnfinishedCycle)
      consider({
        key: `close_cycle:${due}`,
        kind: 'close_cycle',
        at: Math.max(input.since, slots.midnight(cal.addWorkingDays(effective, top + 1))),
      });
  }

  if ((state === 'submitted' || state === 'disputed') && input.submittedOn && input.coordinatorsPending.length > 0) {
    const base = cal.previousWorkingDay(input.submittedOn);
    future({
      key: `coordinator_reminder:${input.submittedOn}`,
      kind: 'coordinator_reminder',
      at: slots.notify(cal.addWorkingDays(base, COORDINATOR_REMINDER_AFTER)),
      notify: {
        kind: 'coordinator_reminder',
        to: input.coordinatorsPending.map((agencyId) => ({ agencyId, role: 'focal' as const })),
        details: {},
      },
    });
    future({
      key: `coordinator_escalation:${input.submittedOn}`,
      kind: 'coordinator_escalation',
      at: slots.escalate(cal.addWorkingDays(base, COORDINATOR_ESCALATION_AFTER)),
      notify: {
        kind: 'escalation',
        to: [{ agencyId: input.monitoringId, role: 'focal' }],
        details: { level: 0, coordinatorsPending: input.coordinatorsPending.join(', ') },
      },
    });
  }
  return best;
}
