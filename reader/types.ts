/** Types of a plan draft: what `dondoc draft` reads from a plan text before an officer reviews it. */
import type { IsoDate, Recurrence, Schedule } from '../domain/types';

/** Something the reader is unsure of: the field, why (Vietnamese), and the source line (1-based). */
export interface ReviewMark {
  field: string;
  why: string;
  line: number;
}

export interface DraftTask {
  ref: string | null;
  title: string;
  /** Lead agencies as written (one per entry). More than one is flagged: a task has one lead. */
  lead: string[];
  coordinators: string[];
  timingText: string | null;
  schedule: Schedule | null;
  /** End of the period the timing implies (gold semantics), or null for open or unscheduled timing. */
  due: IsoDate | null;
  recurrence: Recurrence;
  deliverable: string | null;
  /** Source line of the task's heading (1-based). */
  line: number;
  review: ReviewMark[];
}

export interface PlanDraft {
  plan: {
    number: string | null;
    issuer: string | null;
    issued: IsoDate | null;
    title: string | null;
    periodStart?: IsoDate;
    periodEnd?: IsoDate;
  };
  tasks: DraftTask[];
  /** Agency names found in the plan that the directory does not know (all of them without a directory). */
  unknownAgencies: string[];
  /** Plan-level marks (header fields, numbering). */
  marks: ReviewMark[];
}
