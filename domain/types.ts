/**
 * The words of the domain, shared by every layer. Pure types only: this file is imported by the
 * workflow bundle, so it must stay free of runtime code with weight.
 */

/** A calendar date in the plan's time zone, `YYYY-MM-DD`. */
export type IsoDate = string;

/** An instant, ISO-8601 with offset (`2026-12-31T16:59:59.999Z`). */
export type IsoInstant = string;

// ---------------------------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------------------------

export type TimingKind = 'deadline' | 'occurrences' | 'window' | 'recurring' | 'continuous' | 'unscheduled';

export type Recurrence = 'none' | 'yearly' | 'half-yearly' | 'quarterly' | 'monthly' | 'continuous' | 'unspecified';

/** What the timing rules need to know about the plan around a timing text. */
export interface TimingContext {
  /** Issue date of the plan, used for texts such as "trong năm" without a year. */
  issued?: IsoDate;
  /** Start of the plan period (defaults to `issued`). */
  periodStart?: IsoDate;
  /** End of the plan period: open-ended and recurring timings stop here. */
  periodEnd?: IsoDate;
  /** Day-of-year of the plan's reporting duty (e.g. 15/12), used as the due day of yearly tasks. */
  yearlyDueDay?: { month: number; day: number };
}

/** A normalised schedule. Every schedule keeps the verbatim text it came from. */
export interface Schedule {
  text: string;
  kind: TimingKind;
  /** The first due date as the text states it (before the working-day rule), or null. */
  due: IsoDate | null;
  /** Every due date the schedule yields within the plan period, ascending. */
  dues: IsoDate[];
  recurrence: Recurrence;
  /** For windows and recurring schedules: the first and last day of the window. */
  windowStart?: IsoDate;
  windowEnd?: IsoDate;
  /** False when the text could not be read with confidence: import asks for an explicit date. */
  confident: boolean;
  /** Plain-words explanation (Vietnamese) of how the text was read or why it could not be. */
  reason: string;
  /**
   * The event the timing hangs on, as written ("Khi môi trường có diễn biến bất thường", "kết thúc
   * Tổng kiểm kê"): set for event-triggered texts (unscheduled until someone gives a date) and for
   * open starts that run until an event.
   */
  event?: string;
}

// ---------------------------------------------------------------------------------------------
// Working-day calendar
// ---------------------------------------------------------------------------------------------

/** Per-year data a province supplies: days off fixed by the government, and swapped working days. */
export interface CalendarYearOverride {
  year: number;
  /** Extra days off (public holidays and bridge days) that year. */
  daysOff: IsoDate[];
  /** Weekend days that are working days that year (made-up days for civil servants). */
  workingDays: IsoDate[];
  /** Days that the computed calendar would mark off but the decree does not (rare). */
  notOff?: IsoDate[];
  source?: string;
}

// ---------------------------------------------------------------------------------------------
// Agencies
// ---------------------------------------------------------------------------------------------

export type AgencyLevel = 'central' | 'province' | 'department' | 'district' | 'commune' | 'organisation';

export type ContactRole = 'focal' | 'head' | 'office';

// ---------------------------------------------------------------------------------------------
// Task lifecycle
// ---------------------------------------------------------------------------------------------

export const TASK_STATES = [
  'scheduled',
  'in_progress',
  'submitted',
  'confirmed',
  'accepted',
  'returned',
  'extension_requested',
  'disputed',
  'postponed',
  'declined',
  'cancelled',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const REPORTING_STATUSES = [
  'done_on_time',
  'done_late',
  'in_progress_within_deadline',
  'due_soon',
  'in_progress_overdue',
  'not_started',
  'cancelled',
] as const;
export type ReportingStatus = (typeof REPORTING_STATUSES)[number];

/**
 * The order the board's home page and `dondoc status` count tasks in: what needs action first, then what is
 * done, then what was cancelled.
 */
export const ACTION_FIRST_STATUSES: readonly ReportingStatus[] = [
  'in_progress_overdue',
  'due_soon',
  'in_progress_within_deadline',
  'not_started',
  'done_late',
  'done_on_time',
  'cancelled',
];

/** Who escalations go to, per ladder level. */
export type LadderTarget = 'lead_head' | 'monitoring' | 'authority';

export interface LadderLevel {
  level: number;
  /** Working days after the effective deadline. */
  afterWorkingDays: number;
  to: LadderTarget;
}

/** A reference to a directory agency as the workflow carries it: id and display name only. */
export interface AgencyRef {
  id: string;
  name: string;
}

// ---------------------------------------------------------------------------------------------
// Notifications: what to tell whom and why. Activities turn these into email.
// ---------------------------------------------------------------------------------------------

export type NotificationKind =
  | 'reminder'
  | 'due_today'
  | 'overdue'
  | 'escalation'
  | 'confirm_request'
  | 'coordinator_reminder'
  | 'confirmation_received'
  | 'disputed'
  | 'submitted'
  | 'returned'
  | 'accepted'
  | 'extension_requested'
  | 'extension_decision'
  | 'delivery_failed'
  | 'periodic_report'
  | 'declined'
  | 'reassigned'
  | 'postponed'
  | 'resumed'
  | 'cancelled'
  | 'plan_imported';

/** The task as a notification describes it. */
export interface NotificationTask {
  workflowId: string;
  planId: string;
  planNumber: string;
  planTitle: string;
  taskRef: string;
  title: string;
  lead: AgencyRef;
  /** The agency this instance tracks (the lead, or the group member it fanned out to). */
  cycle: number;
  /** Effective due date of the cycle, or null when unscheduled. */
  due: IsoDate | null;
  timeZone: string;
}

/** A completion report as an email shows it: the facts, and the names of the evidence files (never their bytes). */
export interface NotificationSubmission {
  summary: string;
  documentNumber?: string;
  documentDate?: IsoDate;
  evidenceUrl?: string;
  evidenceFileNames?: string[];
  at: IsoInstant;
  by: AgencyRef;
}

export interface NotificationRequest {
  /**
   * Idempotency key of the item: `${workflowId}|${cycle}|${kind}|${recipientAgencyId}|${detail}`.
   * The same key is never delivered twice.
   */
  key: string;
  kind: NotificationKind;
  recipient: { agencyId: string; role: ContactRole };
  task: NotificationTask;
  /** The local day (plan time zone) the item belongs to: digests group by it. */
  localDate: IsoDate;
  /**
   * The announced minute the item was prepared for (ISO instant): the digest sends it then, with every item
   * prepared for the same minute. Absent: the item goes out after the digest's gathering window.
   */
  deliverAt?: string;
  /** A later version of an item already handed over (its offered actions trimmed): replaces a lower one. */
  revision?: number;
  /** The item's reason is gone (e.g. a reminder to submit a task since submitted): the digest drops it. */
  withdrawn?: boolean;
  /** Kind-specific facts, all optional, all JSON-safe. */
  details: {
    workingDaysBefore?: number;
    daysOverdue?: number;
    level?: number;
    reason?: string;
    newDue?: IsoDate;
    /** An approved extension set to another date than requested: the requested one. */
    requestedDue?: IsoDate;
    approved?: boolean;
    actor?: AgencyRef;
    /** What the lead reported, on the items that ask for a decision about it (confirm, dispute, accept, return). */
    submission?: NotificationSubmission;
    /** The coordinators' answers to the report so far. */
    confirmations?: { agency: AgencyRef; verdict: 'confirmed' | 'disputed'; note?: string }[];
    /** Actions the recipient may take from this email (signed links are made for these). */
    actions?: ActionKind[];
  };
}

// ---------------------------------------------------------------------------------------------
// Actions people take. The same names are used by updates, links, the web and the CLI.
// ---------------------------------------------------------------------------------------------

export type ActionKind =
  | 'submit'
  | 'confirm'
  | 'dispute'
  | 'accept'
  | 'return'
  | 'request_extension'
  | 'approve_extension'
  | 'reject_extension'
  | 'postpone'
  | 'resume'
  | 'decline'
  | 'reassign'
  | 'amend'
  | 'cancel'
  | 'report_target';

// ---------------------------------------------------------------------------------------------
// Task instances: what import starts, what a task workflow holds.
// ---------------------------------------------------------------------------------------------

/** Everything one task workflow needs to run, computed at import from the plan and directory. */
export interface TaskInstanceSpec {
  /** Deterministic: `dondoc:${planId}:${taskKey}:${agencyId}`. */
  workflowId: string;
  planId: string;
  planNumber: string;
  planTitle: string;
  timeZone: string;
  /** Unique within the plan: the task's `id`, or its reference when that is unique. */
  taskKey: string;
  taskRef: string;
  title: string;
  deliverable?: string;
  /** The agency that answers for this instance (a group member when the task fanned out). */
  lead: AgencyRef;
  /** The group the task was given to, when it fanned out ("UBND cấp huyện"). */
  leadGroup?: AgencyRef;
  coordinators: AgencyRef[];
  /** Coordinator ids whose confirmation is required before acceptance. */
  requiredSignOff: string[];
  monitoring: AgencyRef;
  authority: AgencyRef;
  schedule: Schedule;
  /** Working days before the due date at which the lead is reminded (0 = on the day). */
  reminderOffsets: number[];
  /** Working days between overdue notices. */
  overdueEveryWorkingDays: number;
  ladder: LadderLevel[];
  /** Per-year calendar data for the plan's country/province. */
  calendar: CalendarYearOverride[];
  /** Targets this task reports on (ids from the plan). */
  targetIds?: string[];
  /**
   * Successions of the instance's agencies on a date (an agency dissolved into a successor): the instance moves its
   * lead, coordinators and monitoring agency on that day (at once when the day has passed).
   */
  successions?: { from: string; to: AgencyRef; on: IsoDate }[];
  /** Hash of the fields above that an amendment can change; import compares it to detect changes. */
  specHash: string;
}

export interface TimelineEntry {
  at: IsoInstant;
  /** Who acted; `system` for timers and the plan. */
  actor: AgencyRef | { id: 'system'; name: string };
  action:
    | ActionKind
    | 'created'
    | 'reminder'
    | 'overdue'
    | 'escalation'
    | 'cycle_started'
    | 'delivery_failed'
    | 'reassigned_by_succession';
  /** State after the action. */
  state: TaskState;
  note?: string;
  data?: Record<string, string | number | boolean | null>;
}

export interface SubmissionReport {
  summary: string;
  documentNumber?: string;
  documentDate?: IsoDate;
  evidenceUrl?: string;
  /** Files stored as evidence (references; the bytes are in the deployment's durable store). */
  evidenceFiles?: { id: string; name: string; type: string; size: number; sha256: string }[];
  at: IsoInstant;
  by: AgencyRef;
}

/** Why a cycle's deadline is what it is: set by the plan, moved by an approved extension, by an amendment of the plan,
 * or when a postponed task resumed with a new date. Optional in instances recorded before it existed: there the
 * first entry set by the system at creation is the initial deadline. */
export type DeadlineChangeKind = 'initial' | 'extension' | 'amendment' | 'resume';

export interface DeadlineChange {
  due: IsoDate;
  kind?: DeadlineChangeKind;
  /** The deadline before this change (absent on the initial entry and in older instances). */
  previousDue?: IsoDate | null;
  at: IsoInstant;
  by: AgencyRef | { id: 'system'; name: string };
  reason: string;
}

/** What `taskSnapshotQuery` returns: the whole visible state of one task instance. */
export interface TaskSnapshot {
  workflowId: string;
  planId: string;
  planNumber: string;
  taskKey: string;
  taskRef: string;
  title: string;
  deliverable?: string;
  lead: AgencyRef;
  leadGroup?: AgencyRef;
  coordinators: AgencyRef[];
  requiredSignOff: string[];
  monitoring: AgencyRef;
  state: TaskState;
  reportingStatus: ReportingStatus;
  cycle: number;
  scheduleKind: TimingKind;
  timingText: string;
  /** Due date of the current cycle as scheduled (after extensions), before the working-day rule. */
  due: IsoDate | null;
  /** Due date after the Civil Code working-day rule. */
  effectiveDue: IsoDate | null;
  /** The cycle's due date before any extension or amendment. */
  originalDue: IsoDate | null;
  deadlineHistory: DeadlineChange[];
  submission?: SubmissionReport;
  /** When the accepted submission was made (done on time/late is judged on this). */
  doneAt?: IsoInstant;
  acceptedAt?: IsoInstant;
  confirmations: { agencyId: string; verdict: 'confirmed' | 'disputed'; at: IsoInstant; note?: string }[];
  ladderLevelReached: number;
  extensionsGranted: number;
  pendingExtension?: { newDue: IsoDate; reason: string; at: IsoInstant };
  targetValues: { targetId: string; value: number; at: IsoInstant; by: AgencyRef; note?: string }[];
  deliveryFailures: { at: IsoInstant; recipient: string; reason: string }[];
  /** Results of earlier cycles of a recurring task, newest last (bounded). */
  pastCycles: {
    cycle: number;
    due: IsoDate | null;
    state: TaskState;
    doneAt?: IsoInstant;
    reportingStatus: ReportingStatus;
    /** The cycle's changes of state and deadline (since lifecycle-v3, bounded). */
    transitions?: {
      at: IsoInstant;
      state: TaskState;
      due: IsoDate | null;
      submittedAt?: IsoInstant;
      ladderLevel?: number;
    }[];
  }[];
  timeline: TimelineEntry[];
  /** Every change of state and deadline of this cycle (instances since lifecycle-v3): past-dated reports read it. */
  transitions?: {
    at: IsoInstant;
    state: TaskState;
    due: IsoDate | null;
    submittedAt?: IsoInstant;
    ladderLevel?: number;
  }[];
  /** The last return of the result by the monitoring agency, and why. */
  lastReturn?: { at: IsoInstant; by: AgencyRef; reason: string };
  /** The actions the state allows now and the agencies that may take each. */
  actions?: { action: string; agencies: string[] }[];
}
