/**
 * What a task's deadline history says happened: which entries are real changes of the deadline (an approved
 * extension, an amendment of the plan, a resume with a new date) and which is only the deadline the plan set.
 * Pure; safe to import from anywhere.
 */
import type { DeadlineChange, DeadlineChangeKind, IsoDate, IsoInstant, TaskSnapshot } from '../domain/types';

/** A change of the deadline: everything but the initial deadline. */
export type RealDeadlineChangeKind = Exclude<DeadlineChangeKind, 'initial'>;

export interface ReadDeadlineChange {
  kind: RealDeadlineChangeKind;
  /** The deadline before the change (null when the task had none, e.g. an unscheduled task given a date). */
  previousDue: IsoDate | null;
  due: IsoDate;
  at: IsoInstant;
  by: DeadlineChange['by'];
  reason: string;
  /**
   * The remark of the agency that approved an extension (the note of its decision in the timeline; the `reason` is
   * the requester's). Absent for other kinds, when the approver wrote none, or when the timeline no longer holds it.
   */
  decisionNote?: string;
  /** True when the kind was read from an instance recorded before `kind` existed. */
  inferred: boolean;
}

/** How far apart (ms) the deadline entry and the timeline entry of one resume may be recorded. */
const SAME_ACTION_MS = 60_000;

function isResume(change: DeadlineChange, timeline: TaskSnapshot['timeline']): boolean {
  const at = Date.parse(change.at);
  return timeline.some(
    (e) =>
      e.action === 'resume' &&
      e.actor.id === change.by.id &&
      (e.data?.['newDue'] === undefined || e.data['newDue'] === change.due) &&
      Math.abs(Date.parse(e.at) - at) <= SAME_ACTION_MS,
  );
}

/** The approver's note of an extension: the approve_extension entry by the same agency recorded with it. */
function approvalNote(change: DeadlineChange, timeline: TaskSnapshot['timeline']): string | undefined {
  const at = Date.parse(change.at);
  const entry = timeline.find(
    (e) =>
      e.action === 'approve_extension' &&
      e.actor.id === change.by.id &&
      (e.data?.['newDue'] === undefined || e.data['newDue'] === change.due) &&
      Math.abs(Date.parse(e.at) - at) <= SAME_ACTION_MS,
  );
  const note = entry?.note?.trim();
  return note ? note : undefined;
}

/**
 * Reads a cycle's deadline history into its real changes, oldest first, each with the deadline it replaced.
 *
 * - An entry with `kind` says what it is; `initial` is the deadline the plan set, never a change.
 * - An entry without `kind` (instances recorded before it existed): the first entry, made by the system with
 *   `due === originalDue`, is the initial deadline; a later system entry is an amendment of the plan; an entry
 *   made by an agency is an extension, or a resume when the timeline shows that agency resuming the task then.
 * - An entry that leaves the deadline where it was (`due` equal to the deadline before it) is not a change.
 * `previousDue` is the entry's own when it carries one, else the deadline in force before it.
 */
export function readDeadlineChanges(
  snapshot: Pick<TaskSnapshot, 'deadlineHistory' | 'originalDue' | 'timeline'>,
): ReadDeadlineChange[] {
  const history = [...snapshot.deadlineHistory].sort((a, b) => a.at.localeCompare(b.at));
  const changes: ReadDeadlineChange[] = [];
  let current: IsoDate | null = snapshot.originalDue;
  history.forEach((h, i) => {
    let kind: DeadlineChangeKind;
    const inferred = h.kind === undefined;
    if (h.kind !== undefined) kind = h.kind;
    else if (h.by.id === 'system') kind = i === 0 && h.due === snapshot.originalDue ? 'initial' : 'amendment';
    else kind = isResume(h, snapshot.timeline) ? 'resume' : 'extension';
    const previousDue = h.previousDue !== undefined ? h.previousDue : current;
    if (kind !== 'initial' && h.due !== previousDue) {
      const decisionNote = kind === 'extension' ? approvalNote(h, snapshot.timeline) : undefined;
      changes.push({
        kind,
        previousDue,
        due: h.due,
        at: h.at,
        by: h.by,
        reason: h.reason,
        ...(decisionNote ? { decisionNote } : {}),
        inferred,
      });
    }
    current = h.due;
  });
  return changes;
}

/** The kind of a deadline change in words. */
export const DEADLINE_CHANGE_LABELS: Record<'vi' | 'en', Record<RealDeadlineChangeKind, string>> = {
  vi: {
    extension: 'Gia hạn',
    amendment: 'Điều chỉnh theo kế hoạch sửa đổi',
    resume: 'Đặt hạn mới khi tiếp tục sau tạm hoãn',
  },
  en: {
    extension: 'Extension',
    amendment: 'Amended plan',
    resume: 'New deadline on resuming',
  },
};
