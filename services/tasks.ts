import { WorkflowUpdateFailedError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { addDays, instantOfLocal, localDateOf } from '../domain/calendar';
import type { ActionResult } from '../domain/task-actions';
import type { IsoDate, ReportingStatus, TaskSnapshot, TaskState } from '../domain/types';
import {
  acceptResultUpdate,
  confirmPartUpdate,
  decideExtensionUpdate,
  declineTaskUpdate,
  disputePartUpdate,
  postponeTaskUpdate,
  reassignTaskUpdate,
  reportTargetUpdate,
  requestExtensionUpdate,
  resumeTaskUpdate,
  returnResultUpdate,
  SA,
  SEARCH_ATTRIBUTES,
  submitReportUpdate,
  taskSnapshotQuery,
} from '../workflows/definitions';

/** One line of the board, read from visibility alone (search attributes and memo). */
export interface TaskRow {
  workflowId: string;
  planId: string;
  taskKey: string;
  taskRef: string;
  title: string;
  leadId: string;
  leadName: string;
  agencies: string[];
  state: TaskState;
  status: ReportingStatus;
  due: IsoDate | null;
  running: boolean;
}

export interface TaskFilter {
  planId?: string;
  /** Lead or coordinator. */
  agencyId?: string;
  status?: ReportingStatus;
  state?: TaskState;
  dueFrom?: IsoDate;
  dueTo?: IsoDate;
}

const quote = (s: string): string => `'${s.replace(/['\\]/g, '')}'`;

/** Where a list runs when the task does not say (instances imported before their memo carried a time zone). */
export const DEFAULT_TASK_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** The visibility query for a filter (Temporal's SQL-like list filter); due dates are whole days in `timeZone`. */
export function buildTaskQuery(f: TaskFilter, timeZone = DEFAULT_TASK_TIME_ZONE): string {
  const parts = [`WorkflowType = 'taskWorkflow'`];
  if (f.planId) parts.push(`${SEARCH_ATTRIBUTES.plan} = ${quote(f.planId)}`);
  if (f.agencyId) parts.push(`${SEARCH_ATTRIBUTES.agencies} = ${quote(f.agencyId)}`);
  if (f.status) parts.push(`${SEARCH_ATTRIBUTES.status} = ${quote(f.status)}`);
  if (f.state) parts.push(`${SEARCH_ATTRIBUTES.state} = ${quote(f.state)}`);
  const instant = (date: IsoDate, h: number, m: number): string => new Date(instantOfLocal(date, h, m, timeZone)).toISOString();
  if (f.dueFrom) parts.push(`${SEARCH_ATTRIBUTES.due} >= ${quote(instant(f.dueFrom, 0, 0))}`);
  if (f.dueTo) parts.push(`${SEARCH_ATTRIBUTES.due} < ${quote(instant(addDays(f.dueTo, 1), 0, 0))}`);
  return parts.join(' AND ');
}

function toRow(wf: WorkflowExecutionInfo, fallbackTimeZone: string): TaskRow {
  const sa = wf.typedSearchAttributes;
  const memo = (wf.memo ?? {}) as Record<string, string | undefined>;
  const due = sa.get(SA.due);
  return {
    workflowId: wf.workflowId,
    planId: sa.get(SA.plan) ?? '',
    taskKey: sa.get(SA.task) ?? '',
    taskRef: memo.taskRef ?? sa.get(SA.task) ?? '',
    title: memo.title ?? '',
    leadId: sa.get(SA.lead) ?? '',
    leadName: memo.leadName ?? sa.get(SA.lead) ?? '',
    agencies: sa.get(SA.agencies) ?? [],
    state: (sa.get(SA.state) ?? 'scheduled') as TaskState,
    status: (sa.get(SA.status) ?? 'not_started') as ReportingStatus,
    // The due search attribute is 23:59 local on the due day, local to the task's plan.
    due: due ? localDateOf(due.getTime(), memo.timeZone ?? fallbackTimeZone) : null,
    running: wf.status.name === 'RUNNING',
  };
}

/** Lists task instances from Temporal visibility, sorted by task reference then lead. */
export async function listTasks(
  client: Client,
  filter: TaskFilter,
  { limit = 20_000, timeZone = DEFAULT_TASK_TIME_ZONE }: { limit?: number; timeZone?: string } = {},
): Promise<TaskRow[]> {
  const rows: TaskRow[] = [];
  for await (const wf of client.workflow.list({ query: buildTaskQuery(filter, timeZone) })) {
    rows.push(toRow(wf, timeZone));
    if (rows.length >= limit) break;
  }
  const refKey = (r: string): string => r.replace(/\d+/g, (n) => n.padStart(5, '0'));
  return rows.sort((a, b) => refKey(a.taskRef).localeCompare(refKey(b.taskRef)) || a.leadName.localeCompare(b.leadName, 'vi'));
}

/** The whole state of one task instance (a workflow query; works on closed workflows too). */
export async function getTask(client: Client, workflowId: string): Promise<TaskSnapshot> {
  return client.workflow.getHandle(workflowId).query(taskSnapshotQuery);
}

export const ACTION_UPDATES = {
  submit: submitReportUpdate,
  confirm: confirmPartUpdate,
  dispute: disputePartUpdate,
  accept: acceptResultUpdate,
  return: returnResultUpdate,
  request_extension: requestExtensionUpdate,
  approve_extension: decideExtensionUpdate,
  reject_extension: decideExtensionUpdate,
  postpone: postponeTaskUpdate,
  resume: resumeTaskUpdate,
  decline: declineTaskUpdate,
  reassign: reassignTaskUpdate,
  report_target: reportTargetUpdate,
} as const;
export type ActionName = keyof typeof ACTION_UPDATES;

export type ActOutcome = { ok: true; result: ActionResult } | { ok: false; reason: string; code: 'refused' | 'not_found' };

/**
 * Performs an action on a task as a workflow update and returns the workflow's answer. A refusal (wrong agency,
 * wrong state, bad input) comes back as `{ ok: false, reason }` in the workflow's own words. `updateId` makes the
 * call idempotent: Temporal runs one update per id, so a link used twice acts once.
 */
export async function actOnTask(
  client: Client,
  workflowId: string,
  action: ActionName,
  input: Record<string, unknown>,
  updateId?: string,
): Promise<ActOutcome> {
  const def = ACTION_UPDATES[action];
  const payload =
    action === 'approve_extension' ? { ...input, approve: true } : action === 'reject_extension' ? { ...input, approve: false } : input;
  try {
    const result: ActionResult = await client.workflow
      .getHandle(workflowId)
      .executeUpdate(def as typeof submitReportUpdate, { args: [payload as never], updateId });
    return { ok: true, result };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      const cause = err.cause as { message?: string } | undefined;
      return { ok: false, code: 'refused', reason: cause?.message ?? err.message };
    }
    const e = err as { name?: string; message?: string };
    if (e.name === 'WorkflowNotFoundError' || /not found/i.test(e.message ?? ''))
      return { ok: false, code: 'not_found', reason: 'Không tìm thấy nhiệm vụ.' };
    throw err;
  }
}
