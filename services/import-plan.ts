import fs from 'node:fs';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import type { TaskInstanceSpec } from '../domain/types';
import { diffInstances, applyDirectoryChange, formatInstanceDiff, type InstanceDiff } from '../plans/diff';
import { expandPlan } from '../plans/expand';
import { loadPlan, type LoadedPlan } from '../plans/load';
import type { DirectoryFile, PlanFile } from '../plans/schema';
import { PLAN_WITHDRAWN_REASON_PREFIX } from '../domain/labels';
import { reportingDatesOf } from '../domain/reporting-dates';
import {
  agencySucceededSignal,
  amendTaskSignal,
  cancelTaskSignal,
  planAmendedSignal,
  withdrawPlanUpdate,
  type StoredPlan,
  SEARCH_ATTRIBUTES,
  SA,
} from '../workflows/definitions';
import { planWorkflowId, type PlanWorkflowInput } from '../workflows/plan-workflow';
import type { TaskWorkflowInput } from '../workflows/task-workflow';
import { encodeDirectory, PlanStore, readLegacyPlans } from './plan-store';
import { runPool } from './pool';
import type { DeliverySchedule } from '../domain/lifecycle/delivery';

export interface ImportOptions {
  client: Client;
  taskQueue: string;
  /** The data folder of the embedded install (no plan state is kept in it). */
  dataDir: string;
  reminderHour: number;
  /** The announced delivery of reminders (DONDOC_DELIVERY_TIME and its windows); absent: reminderHour:00. */
  delivery?: DeliverySchedule;
  /** Where plans are kept (default: the plans' workflows through `client`). */
  plans?: PlanStore;
  acceptReview?: boolean;
  /** Apply the successions the administrative units data proposes: the officer confirmed them. */
  confirmSuccessors?: boolean;
  /** How many starts to keep in flight. */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  /** How to find what already runs; default: Temporal visibility (servers without it pass their own). */
  listExisting?: (planId: string) => Promise<{ workflowId: string; specHash: string; closed: boolean; lead: string }[]>;
}

export interface ImportSummary {
  planId: string;
  started: number;
  amended: number;
  cancelled: number;
  unchanged: number;
  successions: number;
  diff: InstanceDiff;
  /** Plain-words account of what changed (Vietnamese). */
  text: string;
}

/** An instance of a plan as visibility lists it. */
export interface ExistingInstanceListing {
  workflowId: string;
  specHash: string;
  closed: boolean;
  lead: string;
  /** The task state the workflow last published (`DondocState`), when visibility has it. */
  state?: string;
}

/** Every instance of a plan that Temporal knows, with the hash of the spec it runs. */
export async function listPlanInstances(client: Client, planId: string): Promise<ExistingInstanceListing[]> {
  const out: ExistingInstanceListing[] = [];
  const query = `${SEARCH_ATTRIBUTES.plan} = '${planId.replace(/'/g, '')}'`;
  for await (const wf of client.workflow.list({ query })) {
    if (wf.type !== 'taskWorkflow') continue;
    out.push({
      workflowId: wf.workflowId,
      specHash: wf.typedSearchAttributes.get(SA.specHash) ?? '',
      lead: wf.typedSearchAttributes.get(SA.lead) ?? '',
      closed: wf.status.name !== 'RUNNING',
      ...(wf.typedSearchAttributes.get(SA.state) !== undefined
        ? { state: wf.typedSearchAttributes.get(SA.state) }
        : {}),
    });
  }
  return out;
}

/**
 * Local dates of the plan's periodic reports within its period: the same function the plan workflow and the
 * validation use (`domain/reporting-dates.ts`), so what was checked is what the workflow waits for.
 */
export function reportingDates(plan: PlanFile): string[] {
  return reportingDatesOf(plan);
}

/**
 * Imports a plan file: validates the whole plan and its directory first (a bad file starts nothing), then applies
 * only the difference with what runs: new instances started, changed ones amended, removed ones cancelled, agency
 * successions delivered. Workflow ids are deterministic, so importing the same file twice changes nothing, and a
 * run interrupted half-way is completed by running it again.
 */
export async function importPlan(planPath: string, opts: ImportOptions): Promise<ImportSummary> {
  const loaded: LoadedPlan = await loadPlan(planPath, {
    acceptReview: opts.acceptReview,
    confirmSuccessors: opts.confirmSuccessors,
  });
  return applyLoadedPlan(loaded, opts);
}

/**
 * Puts the plan and its directory into the plan's own workflow. A plan new to Temporal (or whose workflow has closed)
 * gets a workflow started with them in its input, so importing needs no worker to be running; a running one is
 * sent the `setPlan` update, which a worker must take within `updateTimeoutMs`. True when it was already running.
 */
export async function storePlan(
  client: Client,
  taskQueue: string,
  plan: PlanFile,
  directory: DirectoryFile,
  reminderHour: number,
  store: PlanStore,
  updateTimeoutMs = 60_000,
): Promise<boolean> {
  const issuerName = directory.agencies.find((a) => a.id === plan.issuer)?.name;
  const stored: StoredPlan = {
    plan,
    ...encodeDirectory(directory),
    importedAt: new Date().toISOString(),
    ...(issuerName !== undefined ? { issuerName } : {}),
    version: 1,
  };
  const planInput: PlanWorkflowInput = {
    planId: plan.id,
    timeZone: plan.timeZone,
    reportingDates: reportingDates(plan),
    reminderHour,
    // Read by the workflow as what it holds (the field continue-as-new uses).
    carried: { reportsSent: [], amendments: [], stored },
  };
  try {
    await client.workflow.start('planWorkflow', {
      taskQueue,
      workflowId: planWorkflowId(plan.id),
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      args: [planInput],
    });
    store.remember({ plan, directory, version: 1, importedAt: stored.importedAt });
    return false;
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  try {
    await client.connection.withDeadline(Date.now() + updateTimeoutMs, () => store.save(plan, directory, issuerName));
  } catch (err) {
    throw new Error(
      `Kế hoạch ${plan.id} đang chạy nhưng không worker nào nhận bản cập nhật trong ${Math.round(updateTimeoutMs / 1000)} giây: ` +
        `hãy chạy worker (dondoc worker hoặc dondoc start) rồi nhập lại. (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  return true;
}

/**
 * An embedded install from before plans lived in Temporal kept them in its data folder (`plans/<id>.json`,
 * `directories/<id>.json`). On first start each is put into its plan's workflow (unless that already holds a plan:
 * a later import wins), then its files are renamed `*.migrated`, nothing deleted. Returns the plans moved.
 */
export async function migrateLegacyPlans(
  dataDir: string,
  opts: { client: Client; taskQueue: string; reminderHour: number; plans?: PlanStore },
): Promise<string[]> {
  const store = opts.plans ?? new PlanStore(opts.client, { ttlMs: 0 });
  const moved: string[] = [];
  for (const legacy of readLegacyPlans(dataDir)) {
    if (!(await store.get(legacy.plan.id))) {
      await storePlan(opts.client, opts.taskQueue, legacy.plan, legacy.directory, opts.reminderHour, store);
      moved.push(legacy.plan.id);
    }
    for (const f of legacy.files) fs.renameSync(f, `${f}.migrated`);
  }
  return moved;
}

/**
 * The bundled example, imported by \`dondoc start\` only the first time: once its plan runs, a restart leaves it as
 * the officer left it (amendments imported since, cancellations), instead of importing the bundled file over them.
 */
export async function importExampleOnce(
  planPath: string,
  opts: ImportOptions,
): Promise<{ kept: true; planId: string } | (ImportSummary & { kept: false })> {
  const loaded: LoadedPlan = await loadPlan(planPath, {
    acceptReview: opts.acceptReview,
    confirmSuccessors: opts.confirmSuccessors,
  });
  const planId = loaded.plan.id;
  const running = await opts.client.workflow
    .getHandle(planWorkflowId(planId))
    .describe()
    .then((d) => d.status.name === 'RUNNING')
    .catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    });
  if (running) return { kept: true, planId };
  return { ...(await applyLoadedPlan(loaded, opts)), kept: false };
}

/** What an import would do, computed from what Temporal holds; nothing is changed. */
async function computeImportDiff(
  loaded: LoadedPlan,
  opts: Pick<ImportOptions, 'client' | 'plans' | 'listExisting'>,
): Promise<{
  diff: InstanceDiff;
  existing: (ExistingInstanceListing & { spec: TaskInstanceSpec | undefined })[];
  previousDirectory: DirectoryFile | undefined;
  store: PlanStore;
}> {
  const { client } = opts;
  const planId = loaded.plan.id;
  const store = opts.plans ?? new PlanStore(client, { ttlMs: 0 });
  const previous = await store.get(planId);
  const listed = await (opts.listExisting ?? ((id: string) => listPlanInstances(client, id)))(planId);
  // The specs of the previous import (plan and directory held by the plan's workflow) let the diff say what changed.
  const previousSpecs = new Map<string, TaskInstanceSpec>();
  if (previous) {
    try {
      for (const spec of expandPlan(previous.plan, previous.directory)) previousSpecs.set(spec.workflowId, spec);
    } catch {
      // An earlier plan this version cannot expand only costs the detail of the change description.
    }
  }
  const existing = listed.map((e) => ({ ...e, spec: previousSpecs.get(e.workflowId) }));
  return { diff: diffInstances(loaded.instances, existing), existing, previousDirectory: previous?.directory, store };
}

/** What `import --dry-run` reports: the difference an import would apply, per task instance. */
export interface ImportPreview {
  planId: string;
  dryRun: true;
  start: number;
  amend: number;
  cancel: number;
  unchanged: number;
  diff: InstanceDiff;
  /** Plain-words account, every instance on its line (Vietnamese). */
  text: string;
}

/**
 * How a task instance is started: its id (never two alive), its argument, the memo the board reads without a query
 * and the search attributes it is found by from the first moment. The import and the benchmark start them alike.
 */
export function taskStartOptions(spec: TaskInstanceSpec, taskQueue: string, args: TaskWorkflowInput) {
  return {
    taskQueue,
    workflowId: spec.workflowId,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    args: [args] as [TaskWorkflowInput],
    memo: {
      title: spec.title,
      taskRef: spec.taskRef,
      leadName: spec.lead.name,
      planNumber: spec.planNumber,
      timeZone: spec.timeZone,
    },
    typedSearchAttributes: [
      { key: SA.plan, value: spec.planId },
      { key: SA.task, value: spec.taskKey },
      { key: SA.lead, value: spec.lead.id },
      { key: SA.specHash, value: spec.specHash },
    ],
  };
}

/**
 * The difference importing `loaded` would make (start, amend, cancel, unchanged; per instance), read from Temporal
 * and applied nowhere: no workflow is started or signalled, the plan's workflow is not touched.
 */
export async function previewLoadedPlan(
  loaded: LoadedPlan,
  opts: Pick<ImportOptions, 'client' | 'plans' | 'listExisting'>,
): Promise<ImportPreview> {
  const { diff } = await computeImportDiff(loaded, opts);
  return {
    planId: loaded.plan.id,
    dryRun: true,
    start: diff.start.length,
    amend: diff.amend.length,
    cancel: diff.cancel.length,
    unchanged: diff.unchanged.length,
    diff,
    text: formatInstanceDiff(diff, { listUnchanged: true }),
  };
}

export async function applyLoadedPlan(loaded: LoadedPlan, opts: ImportOptions): Promise<ImportSummary> {
  const { client, taskQueue } = opts;
  const planId = loaded.plan.id;
  const { diff, existing, previousDirectory, store } = await computeImportDiff(loaded, opts);
  const total = diff.start.length + diff.amend.length + diff.cancel.length;
  let done = 0;
  const tick = (): void => {
    done += 1;
    opts.onProgress?.(done, total);
  };
  opts.onProgress?.(0, total);

  // The plan and its directory first, in the plan's workflow: the first reminders of new instances must find the
  // addresses.
  const planWasRunning = await storePlan(client, taskQueue, loaded.plan, loaded.directory, opts.reminderHour, store);

  let started = 0;
  let alreadyRunning = 0;
  await runPool(diff.start, opts.concurrency ?? 32, async (spec: TaskInstanceSpec) => {
    try {
      await client.workflow.start(
        'taskWorkflow',
        taskStartOptions(spec, taskQueue, {
          spec,
          reminderHour: opts.reminderHour,
          ...(opts.delivery ? { delivery: opts.delivery } : {}),
        }),
      );
      started += 1;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) alreadyRunning += 1;
      else throw err;
    }
    tick();
  });
  await runPool(diff.amend, opts.concurrency ?? 32, async ({ spec, changes }) => {
    await client.workflow.getHandle(spec.workflowId).signal(amendTaskSignal, { spec, reason: changes.join('; ') });
    tick();
  });
  await runPool(diff.cancel, opts.concurrency ?? 32, async (workflowId) => {
    await client.workflow
      .getHandle(workflowId)
      .signal(cancelTaskSignal, { reason: diff.cancelReasons[workflowId] ?? 'Nhiệm vụ đã bỏ khỏi kế hoạch' });
    tick();
  });

  let successions = 0;
  if (previousDirectory) {
    const names = new Map(loaded.directory.agencies.map((a) => [a.id, a.name]));
    for (const s of applyDirectoryChange(previousDirectory, loaded.directory)) {
      for (const inst of existing.filter((e) => !e.closed && e.lead === s.from)) {
        await client.workflow.getHandle(inst.workflowId).signal(agencySucceededSignal, {
          from: { id: s.from, name: names.get(s.from) ?? s.from },
          to: { id: s.to, name: names.get(s.to) ?? s.to },
          on: s.on,
        });
        successions += 1;
      }
    }
  }

  if (planWasRunning && total > 0)
    await client.workflow
      .getHandle(planWorkflowId(planId))
      .signal(planAmendedSignal, { at: new Date().toISOString(), summary: formatInstanceDiff(diff) })
      .catch(() => undefined);

  return {
    planId,
    started,
    amended: diff.amend.length,
    cancelled: diff.cancel.length,
    unchanged: diff.unchanged.length + alreadyRunning,
    successions,
    diff,
    text: formatInstanceDiff(diff),
  };
}

/** The plan to withdraw was never imported (or its workflow is gone). */
export class PlanNotFoundError extends Error {
  override readonly name = 'PlanNotFoundError' as const;
  constructor(readonly planId: string) {
    super(`Không có kế hoạch "${planId}" (chưa nhập, hoặc đã bị xóa khỏi Temporal).`);
  }
}

/** The reason given to withdraw a plan is empty or too long (bad input). */
export class WithdrawReasonError extends Error {
  override readonly name = 'WithdrawReasonError' as const;
}

/** Longest reason a withdrawal records (as the lifecycle's other reasons). */
export const MAX_WITHDRAW_REASON = 4000;

export interface WithdrawSummary {
  planId: string;
  /** Open instances sent the cancellation. */
  cancelled: number;
  /** Instances left as they were: closed, accepted or cancelled before, or never started. */
  untouched: number;
  reason: string;
}

/**
 * Withdraws a plan imported by mistake: its workflow records the withdrawal with the reason (no more periodic
 * reports; the board no longer lists it), then every instance of the plan is sent the same `cancelTask` signal
 * re-import uses for removed tasks, with the reason, which each records in its timeline. The instances are found
 * both from the plan the workflow holds (deterministic ids, so ones visibility has not caught up with are included)
 * and from visibility. Running it again cancels nothing twice: a cancelled task ignores a second cancellation.
 */
export async function withdrawPlan(
  client: Client,
  planId: string,
  reason: string,
  opts: { concurrency?: number; plans?: PlanStore } = {},
): Promise<WithdrawSummary> {
  const text = reason.normalize('NFC').trim();
  if (text === '') throw new WithdrawReasonError('Cần ghi lý do rút kế hoạch (--reason).');
  if ([...text].length > MAX_WITHDRAW_REASON)
    throw new WithdrawReasonError(
      `Lý do rút kế hoạch dài quá ${MAX_WITHDRAW_REASON.toLocaleString('vi-VN')} ký tự: hãy rút gọn.`,
    );
  const store = opts.plans ?? new PlanStore(client, { ttlMs: 0 });
  const record = await store.get(planId);
  if (!record) throw new PlanNotFoundError(planId);
  await client.workflow
    .getHandle(planWorkflowId(planId))
    .executeUpdate(withdrawPlanUpdate, { args: [{ reason: text, at: new Date().toISOString() }] });

  const ids = new Set<string>();
  try {
    for (const spec of expandPlan(record.plan, record.directory)) ids.add(spec.workflowId);
  } catch {
    // A plan stored by an older version that this one cannot expand: visibility still lists its instances.
  }
  const listed = await listPlanInstances(client, planId);
  for (const l of listed) ids.add(l.workflowId);
  // Done and cancelled tasks keep their outcome: only open ones are cancelled.
  const closed = new Set(
    listed.filter((l) => l.closed || l.state === 'accepted' || l.state === 'cancelled').map((l) => l.workflowId),
  );

  let cancelled = 0;
  let untouched = 0;
  await runPool([...ids], opts.concurrency ?? 32, async (workflowId) => {
    if (closed.has(workflowId)) {
      untouched += 1;
      return;
    }
    try {
      await client.workflow
        .getHandle(workflowId)
        .signal(cancelTaskSignal, { reason: `${PLAN_WITHDRAWN_REASON_PREFIX}${text}` });
      cancelled += 1;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      untouched += 1;
    }
  });
  return { planId, cancelled, untouched, reason: text };
}
