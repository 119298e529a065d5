/**
 * The state of one task instance as plain data: what a task workflow holds and carries from one run to the next
 * (continue-as-new). JSON-safe. The functions that change it are in `./machine.ts`.
 */
import { addDays } from '../calendar/dates';
import type {
  AgencyRef,
  DeadlineChange,
  IsoDate,
  IsoInstant,
  SubmissionReport,
  TaskInstanceSpec,
  TaskSnapshot,
  TaskState,
  TimelineEntry,
} from '../types';
import type { ActionName } from './actions';

/** An action the instance has handled, kept so the same action (same id) is never applied twice. */
export interface HandledAction {
  id: string;
  action: ActionName;
  at: IsoInstant;
  by: AgencyRef;
  /** State right after it. */
  state: TaskState;
}

/** One change of state (or of the deadline) of the current cycle: the full record a past-dated report reads. */
export interface Transition {
  at: IsoInstant;
  state: TaskState;
  due: IsoDate | null;
  /** Set when the change was a submission (the day judged for on time / late). */
  submittedAt?: IsoInstant;
  ladderLevel?: number;
}

export interface TaskCore {
  state: TaskState;
  /** State to return to after an extension decision, a postponement or a dispute resolution. */
  resumeState: TaskState;
  cycle: number;
  lead: AgencyRef;
  due: IsoDate | null;
  originalDue: IsoDate | null;
  opensOn: IsoDate | null;
  /** Epoch ms from which alarms count (set when the deadline was last set). */
  since: number;
  /** Keys of alarms already fired in this cycle. */
  fired: string[];
  deadlineHistory: DeadlineChange[];
  submission?: SubmissionReport;
  confirmations: TaskSnapshot['confirmations'];
  acceptedAt?: string;
  doneAt?: string;
  ladderLevelReached: number;
  extensionsGranted: number;
  pendingExtension?: TaskSnapshot['pendingExtension'];
  targetValues: TaskSnapshot['targetValues'];
  deliveryFailures: TaskSnapshot['deliveryFailures'];
  pastCycles: TaskSnapshot['pastCycles'];
  /** What people read: bounded, the newest kept. */
  timeline: TimelineEntry[];
  // --- since lifecycle-v3 (absent in cores carried over from older runs) ---------------------------------
  /** Ids of the actions handled, newest last (bounded), carried across continue-as-new. */
  handled?: HandledAction[];
  /** Local day of the last overdue notice of this deadline (the next one is counted from it). */
  lastOverdueNotice?: IsoDate | null;
  /** Every change of state and deadline of this cycle, complete (not cut like the timeline). */
  transitions?: Transition[];
  /** The last time the monitoring agency returned the result, and why. */
  lastReturn?: { at: IsoInstant; by: AgencyRef; reason: string };
}

export const SYSTEM_ACTOR = { id: 'system' as const, name: 'dondoc' };

/** Bounds that keep a long-lived instance's state (and so its history and cache footprint) small. */
export const LIMITS = {
  timeline: 200,
  pastCycles: 20,
  handled: 200,
  transitions: 400,
  targetValues: 100,
  deliveryFailures: 50,
} as const;

/** The due date of a cycle: the schedule's n-th due date, or the first for single deadlines. */
export function dueOfCycle(spec: TaskInstanceSpec, cycle: number): IsoDate | null {
  return spec.schedule.dues[cycle] ?? (cycle === 0 ? spec.schedule.due : null);
}

/** The state of a cycle that starts now (`today` local to the plan). */
export function initialCore(spec: TaskInstanceSpec, cycle: number, now: number, today: IsoDate, v3: boolean): TaskCore {
  const due = dueOfCycle(spec, cycle);
  const previousDue = cycle > 0 ? (spec.schedule.dues[cycle - 1] ?? null) : null;
  const opensOn = previousDue ? addDays(previousDue, 1) : (spec.schedule.windowStart ?? null);
  const scheduled = due === null && spec.schedule.kind === 'unscheduled';
  const notYetOpen = opensOn !== null && opensOn > today;
  const at = new Date(now).toISOString();
  const state: TaskState = scheduled || notYetOpen ? 'scheduled' : 'in_progress';
  const initial: DeadlineChange = v3
    ? { due: due ?? '', kind: 'initial', at, by: SYSTEM_ACTOR, reason: spec.schedule.text }
    : { due: due ?? '', at, by: SYSTEM_ACTOR, reason: spec.schedule.text };
  return {
    state,
    resumeState: 'in_progress',
    cycle,
    lead: spec.lead,
    due,
    originalDue: due,
    opensOn: notYetOpen ? opensOn : null,
    since: now,
    fired: [],
    deadlineHistory: due ? [initial] : [],
    confirmations: [],
    ladderLevelReached: 0,
    extensionsGranted: 0,
    targetValues: [],
    deliveryFailures: [],
    pastCycles: [],
    timeline: [],
    ...(v3 ? { handled: [], lastOverdueNotice: null, transitions: [{ at, state, due }] } : {}),
  };
}

/** Appends to a bounded list, dropping the oldest entries. */
export function appendBounded<T>(list: readonly T[], item: T, limit: number): T[] {
  const next = [...list, item];
  return next.length > limit ? next.slice(next.length - limit) : next;
}
