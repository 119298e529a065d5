import { addDays } from './calendar/dates';
import type { ContactRole, IsoDate, LadderLevel, NotificationKind, TaskState } from './types';

/** The calendar operations the timer plan needs (implemented by domain/calendar). */
export interface CalendarLike {
  isWorkingDay(d: IsoDate): boolean;
  addWorkingDays(d: IsoDate, n: number): IsoDate;
  effectiveDeadline(d: IsoDate): IsoDate;
  previousWorkingDay(d: IsoDate): IsoDate;
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
  | 'close_cycle';

export interface Alarm {
  /** Unique within a cycle; a fired key never fires again in that cycle. */
  key: string;
  kind: AlarmKind;
  at: number;
  /** Notification to send when it fires, if any. */
  notify?: { kind: NotificationKind; to: { agencyId: string; role: ContactRole }[]; details: Record<string, number | string> };
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
    const offsetOf = (k: number): number => (k <= slowFrom ? k * rhythm : slowFrom * rhythm + (k - slowFrom) * rhythm * 4);
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
        notify: { kind: 'escalation', to: [to], details: { level: level.level, workingDaysOverdue: level.afterWorkingDays } },
      });
    }
    if (input.closeUnfinishedCycle) {
      const last = Math.max(0, ...input.ladder.map((l) => l.afterWorkingDays));
      consider({ key: `close_cycle:${due}`, kind: 'close_cycle', at: at(cal.addWorkingDays(effective, last + 1), 0, 0) });
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
