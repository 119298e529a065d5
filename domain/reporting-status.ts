import type { IsoDate, ReportingStatus, TaskState } from './types';

/** Working days before the effective deadline at which a task counts as "due soon". */
export const DUE_SOON_WORKING_DAYS = 3;

export interface ReportingStatusInput {
  state: TaskState;
  /** Deadline of the cycle after the working-day rule, or null when unscheduled/continuous. */
  effectiveDue: IsoDate | null;
  /** Local date of the lead's submission that counts (the one accepted, or pending acceptance). */
  submittedOn: IsoDate | null;
  /** The day the classification is made for, in the plan's time zone. */
  asOf: IsoDate;
  /** First day of the "due soon" band: effectiveDue minus three working days. */
  dueSoonDate: IsoDate | null;
}

/**
 * Classifies a task the way the Government Office and provinces publish it: done on time / done late;
 * not done, within deadline / due soon / overdue; not yet started; and, apart, cancelled.
 *
 * A task counts as done when the monitoring agency has accepted it; on time or late is judged on the
 * day the lead submitted the report that was accepted, not on the day of acceptance (the lead should not
 * be marked late because the monitoring agency was slow). While a report waits for sign-off it is judged
 * on its submission day too: a report submitted in time is not overdue while it waits.
 */
export function classifyReportingStatus(input: ReportingStatusInput): ReportingStatus {
  const { state, effectiveDue, submittedOn, asOf, dueSoonDate } = input;
  // A cancelled task is neither done nor owed: it is counted apart, never as in progress.
  if (state === 'cancelled') return 'cancelled';
  if (state === 'accepted') {
    if (effectiveDue === null || submittedOn === null) return 'done_on_time';
    return submittedOn <= effectiveDue ? 'done_on_time' : 'done_late';
  }
  if (state === 'scheduled' || state === 'postponed') return 'not_started';
  const waitingOnOthers = state === 'submitted' || state === 'confirmed' || state === 'disputed';
  const judgedOn = waitingOnOthers && submittedOn !== null ? submittedOn : asOf;
  if (effectiveDue === null) return 'in_progress_within_deadline';
  if (judgedOn > effectiveDue) return 'in_progress_overdue';
  if (!waitingOnOthers && dueSoonDate !== null && asOf >= dueSoonDate) return 'due_soon';
  return 'in_progress_within_deadline';
}
