import {
  ApplicationFailure,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowExecutionInfo,
} from '@temporalio/client';
import { addDays, instantOfLocal, localDateOf } from '../domain/calendar';
import type { ActionName } from '../domain/lifecycle/actions';
import type { AllowedActions } from '../domain/lifecycle/delivery';
import {
  isRefusal,
  REFUSAL_FAILURE_TYPE,
  type ActionInput,
  type Refusal,
  type RefusalCode,
} from '../domain/lifecycle/inputs';
import type { ActionResult } from '../domain/lifecycle/machine';
import type { IsoDate, ReportingStatus, TaskSnapshot, TaskState } from '../domain/types';
import { actionInput, updateOf } from '../workflows/actions';
import { SA, SEARCH_ATTRIBUTES, taskSnapshotQuery } from '../workflows/definitions';

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
  const instant = (date: IsoDate, h: number, m: number): string =>
    new Date(instantOfLocal(date, h, m, timeZone)).toISOString();
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
  return rows.sort(
    (a, b) => refKey(a.taskRef).localeCompare(refKey(b.taskRef)) || a.leadName.localeCompare(b.leadName, 'vi'),
  );
}

/** Raised when an id is not a task instance dondoc knows. */
export class TaskNotFoundError extends Error {
  override readonly name = 'TaskNotFoundError';
  constructor(readonly workflowId: string) {
    super('Không tìm thấy nhiệm vụ này (mã nhiệm vụ sai hoặc nhiệm vụ đã bị xóa khỏi hệ thống).');
  }
}

/** The whole state of one task instance (a workflow query; works on closed workflows too). */
export async function getTask(client: Client, workflowId: string): Promise<TaskSnapshot> {
  if (!isTaskWorkflowId(workflowId)) throw new TaskNotFoundError(workflowId);
  try {
    return await client.workflow.getHandle(workflowId).query(taskSnapshotQuery);
  } catch (err) {
    if (isNotFound(err)) throw new TaskNotFoundError(workflowId);
    throw err;
  }
}

/**
 * The actions a task's state allows now and who may take each, for the digest's last look before it sends: an
 * empty menu for a task that no longer exists, `undefined` when the task cannot answer within `timeoutMs` (a message
 * is not held back for a query).
 */
export async function currentActionsOf(
  client: Client,
  workflowId: string,
  timeoutMs = 5_000,
): Promise<AllowedActions | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  // The id comes from the task workflow's own item, not from a person: asked as it is.
  const asked = client.workflow
    .getHandle(workflowId)
    .query(taskSnapshotQuery)
    .then(
      (s) => s.actions ?? [],
      (err: unknown) => (isNotFound(err) ? [] : undefined),
    );
  try {
    return await Promise.race([asked, late]);
  } finally {
    clearTimeout(timer);
  }
}

export type { ActionName } from '../domain/lifecycle/actions';

export type ActOutcome =
  | { ok: true; result: ActionResult }
  | { ok: false; code: RefusalCode; reason: string; refusal: Refusal }
  | { ok: false; code: 'not_found'; reason: string };

/** The refusal a failed update carries (an `ActionRefused` failure from the workflow), if it is one. */
export function refusalOf(err: unknown): Refusal | undefined {
  if (!(err instanceof WorkflowUpdateFailedError)) return undefined;
  const cause = err.cause;
  if (cause instanceof ApplicationFailure && cause.type === REFUSAL_FAILURE_TYPE) {
    const detail = cause.details?.[0];
    if (isRefusal(detail)) return detail;
    return { code: 'wrong_state', message: cause.message };
  }
  return { code: 'wrong_state', message: (cause as { message?: string } | undefined)?.message ?? err.message };
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; message?: string };
  return (
    e.name === 'WorkflowNotFoundError' || e.name === 'QueryNotRegisteredError' || /not found/i.test(e.message ?? '')
  );
}

/**
 * Performs an action on a task as a workflow update and returns the workflow's answer. A refusal comes back as
 * `{ ok: false, code, reason }` with the workflow's own code (not_allowed, wrong_state, stale_link, invalid_input,
 * already_done) and words. Acting once does not depend on the door: the workflow applies an `actionId` once and
 * refuses it again as `already_done`, whichever host or door it comes from.
 */
export async function actOnTask(
  client: Client,
  workflowId: string,
  action: ActionName,
  input: ActionInput,
): Promise<ActOutcome> {
  if (!isTaskWorkflowId(workflowId)) return { ok: false, code: 'not_found', reason: 'Không tìm thấy nhiệm vụ.' };
  try {
    const result = await client.workflow
      .getHandle(workflowId)
      .executeUpdate(updateOf(action), { args: [actionInput(action, input)] });
    return { ok: true, result };
  } catch (err) {
    const refusal = refusalOf(err);
    if (refusal) return { ok: false, code: refusal.code, reason: refusal.message, refusal };
    if (isNotFound(err)) return { ok: false, code: 'not_found', reason: 'Không tìm thấy nhiệm vụ.' };
    throw err;
  }
}

/** Task workflow ids are `dondoc:<plan>:<task>:<agency>`; plan, digest and other workflows are not tasks. */
/** The plan of a task instance, from its workflow id (`dondoc:<plan>:<task>:<agency>`). */
export function planIdOfTask(workflowId: string): string {
  return workflowId.split(':')[1] ?? '';
}

export function isTaskWorkflowId(workflowId: string): boolean {
  return /^dondoc:[a-z0-9-]{1,100}:[A-Za-z0-9._-]{1,100}:[a-z0-9-]{1,100}$/.test(workflowId);
}
