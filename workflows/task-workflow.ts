import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  type RetryPolicy,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { EnqueueActivities } from '../activities/types';
import { nextAlarm, type Alarm, type CalendarLike } from '../domain/alarms';
import { addDays, createCalendar, instantOfLocal, localDateOf } from '../domain/calendar';
import { TASK_STATE_LABELS } from '../domain/labels';
import { classifyReportingStatus, DUE_SOON_WORKING_DAYS } from '../domain/reporting-status';
import {
  ActionRefusedError,
  optionalDate,
  optionalUrl,
  requireActor,
  requireText,
  type AcceptResultInput,
  type ActionResult,
  type Actor,
  type ConfirmPartInput,
  type DecideExtensionInput,
  type DeclineTaskInput,
  type DisputePartInput,
  type PostponeTaskInput,
  type ReassignTaskInput,
  type ReportTargetInput,
  type RequestExtensionInput,
  type ResumeTaskInput,
  type ReturnResultInput,
  type SubmitReportInput,
} from '../domain/task-actions';
import type {
  ActionKind,
  AgencyRef,
  IsoDate,
  NotificationKind,
  NotificationRequest,
  TaskInstanceSpec,
  TaskSnapshot,
  TaskState,
  TimelineEntry,
} from '../domain/types';
import {
  acceptResultUpdate,
  agencySucceededSignal,
  amendTaskSignal,
  cancelTaskSignal,
  confirmPartUpdate,
  decideExtensionUpdate,
  declineTaskUpdate,
  deliveryFailedSignal,
  disputePartUpdate,
  postponeTaskUpdate,
  reassignTaskUpdate,
  reportTargetUpdate,
  requestExtensionUpdate,
  resumeTaskUpdate,
  returnResultUpdate,
  SA,
  submitReportUpdate,
  taskSnapshotQuery,
} from './definitions';

const ENQUEUE_RETRY: RetryPolicy = { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 200 };

/** How histories recorded before the 'notify-local-activity' patch hand notifications over: an activity task. */
const { enqueueNotifications: enqueueAsActivityTask } = proxyActivities<EnqueueActivities>({
  startToCloseTimeout: '30 seconds',
  retry: ENQUEUE_RETRY,
});

/**
 * Handing notifications over is one signal-with-start per recipient: a local activity runs it inside the workflow
 * task that decided it, so a reminder costs one workflow task instead of two plus an activity task, and a person's
 * action is answered without waiting for an activity round trip (see bench/README.md for the figures). Idempotent
 * per item key, so a worker dying mid-call and the workflow task retrying it sends nothing twice.
 */
const { enqueueNotifications: enqueueLocally } = proxyLocalActivities<EnqueueActivities>({
  startToCloseTimeout: '30 seconds',
  // Short outages retry inside the workflow task; longer backoffs become durable timers.
  localRetryThreshold: '30 seconds',
  retry: ENQUEUE_RETRY,
});


/** Everything a task instance carries from one run to the next (continue-as-new). JSON-safe. */
export interface TaskCore {
  state: TaskState;
  /** State to return to after an extension decision, a postponement or a dispute resolution. */
  resumeState: TaskState;
  cycle: number;
  lead: AgencyRef;
  due: IsoDate | null;
  originalDue: IsoDate | null;
  opensOn: IsoDate | null;
  since: number;
  fired: string[];
  deadlineHistory: TaskSnapshot['deadlineHistory'];
  submission?: TaskSnapshot['submission'];
  confirmations: TaskSnapshot['confirmations'];
  acceptedAt?: string;
  doneAt?: string;
  ladderLevelReached: number;
  extensionsGranted: number;
  pendingExtension?: TaskSnapshot['pendingExtension'];
  targetValues: TaskSnapshot['targetValues'];
  deliveryFailures: TaskSnapshot['deliveryFailures'];
  pastCycles: TaskSnapshot['pastCycles'];
  timeline: TimelineEntry[];
}

export interface TaskWorkflowInput {
  spec: TaskInstanceSpec;
  /** Local hour at which reminders and notices go out. */
  reminderHour: number;
  /** Present when continuing as new. */
  core?: TaskCore;
}

const SYSTEM = { id: 'system' as const, name: 'dondoc' };
const TIMELINE_LIMIT = 200;
const PAST_CYCLES_LIMIT = 20;
/** A finished instance stays open (queryable, amendable) this long after its last due date. */
const LINGER_DAYS = 400;
/** A run continues as new past this many events (same cycle, same state). */
const HISTORY_LIMIT = 800;

/**
 * One task instance (plan, task, responsible agency): urges it on until the monitoring agency accepts it.
 *
 * Waits on timers computed by the pure domain (reminders on working days before the effective deadline, due-soon
 * and overdue status changes, overdue notices on a rhythm, the escalation ladder, coordinator reminders) and on
 * people's actions, which arrive as updates whose validators refuse the wrong agency or state without leaving any
 * trace in history. Recurring schedules run one cycle per run and continue as new between cycles. Notifications
 * are handed to `enqueueNotifications`, which is idempotent per item key.
 */
export async function taskWorkflow(input: TaskWorkflowInput): Promise<TaskSnapshot> {
  let spec = input.spec;
  const tz = spec.timeZone;
  let calendar: CalendarLike = createCalendar(spec.calendar);
  const at = (date: IsoDate, h: number, m: number): number => instantOfLocal(date, h, m, tz);
  const today = (): IsoDate => localDateOf(Date.now(), tz);
  const nowIso = (): string => new Date(Date.now()).toISOString();

  const core: TaskCore = input.core ?? initialCore(spec, 0, today());
  let dirty = false;
  // Added after the first histories were recorded: slower overdue notices once the ladder has run out, and
  // continue-as-new when a run's history grows long, so an instance overdue for years keeps a small history.
  const slowAfterLadder = patched('slow-overdue-after-ladder');
  let finished = false;

  const record = (
    actor: Actor | typeof SYSTEM,
    action: TimelineEntry['action'],
    note?: string,
    data?: TimelineEntry['data'],
  ): void => {
    const who: TimelineEntry['actor'] =
      'agencyId' in actor ? { id: actor.agencyId, name: agencyName(actor.agencyId) } : actor;
    core.timeline.push({ at: nowIso(), actor: who, action, state: core.state, note, data });
    if (core.timeline.length > TIMELINE_LIMIT) core.timeline.splice(0, core.timeline.length - TIMELINE_LIMIT);
  };

  function agencyName(id: string): string {
    if (id === core.lead.id) return core.lead.name;
    const known = [...spec.coordinators, spec.monitoring, spec.authority].find((a) => a.id === id);
    return known?.name ?? id;
  }

  // Recorded before any handler is registered: an update delivered with the first task runs at registration.
  if (!input.core) record(SYSTEM, core.cycle === 0 ? 'created' : 'cycle_started', spec.schedule.text);

  const effectiveDue = (): IsoDate | null => (core.due ? calendar.effectiveDeadline(core.due) : null);

  const snapshot = (): TaskSnapshot => {
    const eff = effectiveDue();
    return {
      workflowId: spec.workflowId,
      planId: spec.planId,
      planNumber: spec.planNumber,
      taskKey: spec.taskKey,
      taskRef: spec.taskRef,
      title: spec.title,
      deliverable: spec.deliverable,
      lead: core.lead,
      leadGroup: spec.leadGroup,
      coordinators: spec.coordinators,
      requiredSignOff: spec.requiredSignOff,
      monitoring: spec.monitoring,
      state: core.state,
      reportingStatus: classifyReportingStatus({
        state: core.state,
        effectiveDue: eff,
        submittedOn: core.submission ? localDateOf(Date.parse(core.submission.at), tz) : null,
        asOf: today(),
        dueSoonDate: eff ? calendar.addWorkingDays(eff, -DUE_SOON_WORKING_DAYS) : null,
      }),
      cycle: core.cycle,
      scheduleKind: spec.schedule.kind,
      timingText: spec.schedule.text,
      due: core.due,
      effectiveDue: eff,
      originalDue: core.originalDue,
      deadlineHistory: core.deadlineHistory,
      submission: core.submission,
      doneAt: core.doneAt,
      acceptedAt: core.acceptedAt,
      confirmations: core.confirmations,
      ladderLevelReached: core.ladderLevelReached,
      extensionsGranted: core.extensionsGranted,
      pendingExtension: core.pendingExtension,
      targetValues: core.targetValues,
      deliveryFailures: core.deliveryFailures,
      pastCycles: core.pastCycles,
      timeline: core.timeline,
    };
  };

  const publish = (): void => {
    const s = snapshot();
    upsertSearchAttributes([
      { key: SA.plan, value: spec.planId },
      { key: SA.task, value: spec.taskKey },
      { key: SA.lead, value: core.lead.id },
      { key: SA.agencies, value: [core.lead.id, ...spec.coordinators.map((c) => c.id)] },
      { key: SA.state, value: core.state },
      { key: SA.status, value: s.reportingStatus },
      { key: SA.due, value: s.effectiveDue ? new Date(at(s.effectiveDue, 23, 59)) : null },
      { key: SA.specHash, value: spec.specHash },
    ]);
  };

  const notify = async (
    kind: NotificationKind,
    to: { agencyId: string; role: 'focal' | 'head' | 'office' }[],
    detailKey: string,
    details: NotificationRequest['details'] = {},
  ): Promise<void> => {
    const eff = effectiveDue();
    const items: NotificationRequest[] = to.map((r) => ({
      key: `${spec.workflowId}|${core.cycle}|${kind}|${r.agencyId}|${detailKey}`,
      kind,
      recipient: r,
      localDate: today(),
      task: {
        workflowId: spec.workflowId,
        planId: spec.planId,
        planNumber: spec.planNumber,
        planTitle: spec.planTitle,
        taskRef: spec.taskRef,
        title: spec.title,
        lead: core.lead,
        cycle: core.cycle,
        due: eff,
        timeZone: tz,
      },
      details,
    }));
    if (items.length === 0) return;
    if (patched('notify-local-activity')) await enqueueLocally({ items });
    else await enqueueAsActivityTask({ items });
  };

  // ------------------------------------------------------------------------------------------------
  // Who may do what
  // ------------------------------------------------------------------------------------------------
  const mustBe = (actor: Actor, role: 'lead' | 'monitoring' | 'coordinator', what: string): void => {
    const ok =
      role === 'lead'
        ? actor.agencyId === core.lead.id
        : role === 'monitoring'
          ? actor.agencyId === spec.monitoring.id
          : spec.requiredSignOff.includes(actor.agencyId);
    if (!ok) {
      const who =
        role === 'lead'
          ? `cơ quan chủ trì (${core.lead.name})`
          : role === 'monitoring'
            ? `cơ quan theo dõi, đôn đốc (${spec.monitoring.name})`
            : 'cơ quan phối hợp được yêu cầu xác nhận nhiệm vụ này';
      throw new ActionRefusedError('not_allowed', `Chỉ ${who} mới được ${what}.`);
    }
  };
  const mustBeIn = (states: TaskState[], what: string): void => {
    if (!states.includes(core.state))
      throw new ActionRefusedError(
        'wrong_state',
        `Không thể ${what} khi nhiệm vụ đang ở trạng thái "${TASK_STATE_LABELS.vi[core.state]}".`,
      );
  };
  const done = (message: string): ActionResult => {
    dirty = true;
    publish();
    return { state: core.state, message, at: nowIso() };
  };
  const pendingCoordinators = (): string[] =>
    spec.requiredSignOff.filter((id) => !core.confirmations.some((c) => c.agencyId === id && c.verdict === 'confirmed'));

  // ------------------------------------------------------------------------------------------------
  // Actions
  // ------------------------------------------------------------------------------------------------
  setHandler(
    submitReportUpdate,
    async (i: SubmitReportInput) => {
      const actor = i.actor;
      core.submission = {
        summary: i.summary.trim(),
        documentNumber: i.documentNumber?.trim() || undefined,
        documentDate: i.documentDate || undefined,
        evidenceUrl: i.evidenceUrl || undefined,
        at: nowIso(),
        by: { id: actor.agencyId, name: core.lead.name },
      };
      core.confirmations = [];
      core.state = spec.requiredSignOff.length > 0 ? 'submitted' : 'confirmed';
      record(actor, 'submit', core.submission.summary, {
        documentNumber: core.submission.documentNumber ?? null,
        evidenceUrl: core.submission.evidenceUrl ?? null,
      });
      const result = done(
        core.state === 'submitted'
          ? 'Đã ghi nhận báo cáo hoàn thành; đang chờ cơ quan phối hợp xác nhận.'
          : 'Đã ghi nhận báo cáo hoàn thành; đang chờ cơ quan theo dõi nghiệm thu.',
      );
      const stamp = core.submission.at;
      if (core.state === 'submitted') {
        await notify(
          'confirm_request',
          spec.requiredSignOff.map((agencyId) => ({ agencyId, role: 'focal' as const })),
          stamp,
          { actions: ['confirm', 'dispute'] },
        );
      } else {
        await notify('submitted', [{ agencyId: spec.monitoring.id, role: 'focal' }], stamp, {
          actions: ['accept', 'return'],
        });
      }
      return result;
    },
    {
      validator: (i: SubmitReportInput) => {
        const actor = requireActor(i?.actor);
        mustBe(actor, 'lead', 'báo cáo hoàn thành nhiệm vụ');
        mustBeIn(['in_progress', 'returned', 'disputed', 'declined'], 'báo cáo hoàn thành');
        requireText(i.summary, 'Tóm tắt kết quả');
        optionalDate(i.documentDate, 'Ngày văn bản');
        optionalUrl(i.evidenceUrl, 'Đường dẫn minh chứng');
      },
    },
  );

  setHandler(
    confirmPartUpdate,
    async (i: ConfirmPartInput) => {
      core.confirmations = core.confirmations.filter((c) => c.agencyId !== i.actor.agencyId);
      core.confirmations.push({ agencyId: i.actor.agencyId, verdict: 'confirmed', at: nowIso(), note: i.note });
      const allConfirmed = pendingCoordinators().length === 0;
      if (allConfirmed) core.state = 'confirmed';
      else if (!core.confirmations.some((c) => c.verdict === 'disputed')) core.state = 'submitted';
      record(i.actor, 'confirm', i.note);
      const result = done(
        allConfirmed
          ? 'Đã xác nhận. Tất cả cơ quan phối hợp đã xác nhận; nhiệm vụ chờ nghiệm thu.'
          : 'Đã ghi nhận xác nhận của cơ quan.',
      );
      await notify('confirmation_received', [{ agencyId: core.lead.id, role: 'focal' }], `${i.actor.agencyId}`, {
        actor: { id: i.actor.agencyId, name: agencyName(i.actor.agencyId) },
      });
      if (allConfirmed)
        await notify('submitted', [{ agencyId: spec.monitoring.id, role: 'focal' }], core.submission?.at ?? '', {
          actions: ['accept', 'return'],
        });
      return result;
    },
    {
      validator: (i: ConfirmPartInput) => {
        const actor = requireActor(i?.actor);
        mustBe(actor, 'coordinator', 'xác nhận phần việc phối hợp');
        mustBeIn(['submitted', 'disputed'], 'xác nhận');
        if (core.confirmations.some((c) => c.agencyId === actor.agencyId && c.verdict === 'confirmed'))
          throw new ActionRefusedError('wrong_state', 'Cơ quan đã xác nhận báo cáo này rồi.');
      },
    },
  );

  setHandler(
    disputePartUpdate,
    async (i: DisputePartInput) => {
      core.confirmations = core.confirmations.filter((c) => c.agencyId !== i.actor.agencyId);
      core.confirmations.push({ agencyId: i.actor.agencyId, verdict: 'disputed', at: nowIso(), note: i.reason });
      core.state = 'disputed';
      record(i.actor, 'dispute', i.reason);
      const result = done('Đã ghi nhận ý kiến không thống nhất; cơ quan chủ trì và cơ quan theo dõi được thông báo.');
      await notify(
        'disputed',
        [
          { agencyId: core.lead.id, role: 'focal' },
          { agencyId: spec.monitoring.id, role: 'focal' },
        ],
        `${i.actor.agencyId}:${nowIso()}`,
        { reason: i.reason, actor: { id: i.actor.agencyId, name: agencyName(i.actor.agencyId) }, actions: ['submit'] },
      );
      return result;
    },
    {
      validator: (i: DisputePartInput) => {
        const actor = requireActor(i?.actor);
        mustBe(actor, 'coordinator', 'phản hồi về phần việc phối hợp');
        mustBeIn(['submitted', 'disputed', 'confirmed'], 'phản hồi không thống nhất');
        requireText(i.reason, 'Lý do');
      },
    },
  );

  setHandler(
    acceptResultUpdate,
    async (i: AcceptResultInput) => {
      core.state = 'accepted';
      core.acceptedAt = nowIso();
      core.doneAt = core.submission?.at ?? core.acceptedAt;
      record(i.actor, 'accept', i.note);
      const result = done('Đã nghiệm thu kết quả; nhiệm vụ hoàn thành.');
      await notify('accepted', [{ agencyId: core.lead.id, role: 'focal' }], core.acceptedAt, {});
      return result;
    },
    {
      validator: (i: AcceptResultInput) => {
        const actor = requireActor(i?.actor);
        mustBe(actor, 'monitoring', 'nghiệm thu kết quả');
        mustBeIn(['confirmed', 'submitted', 'disputed'], 'nghiệm thu');
        if (core.state !== 'confirmed' && pendingCoordinators().length > 0)
          throw new ActionRefusedError(
            'wrong_state',
            `Chưa đủ xác nhận của cơ quan phối hợp: ${pendingCoordinators().map(agencyName).join(', ')}.`,
          );
      },
    },
  );

  setHandler(
    returnResultUpdate,
    async (i: ReturnResultInput) => {
      core.state = 'returned';
      record(i.actor, 'return', i.reason);
      const result = done('Đã trả lại báo cáo để cơ quan chủ trì bổ sung, hoàn thiện.');
      await notify('returned', [{ agencyId: core.lead.id, role: 'focal' }], nowIso(), {
        reason: i.reason,
        actions: ['submit', 'request_extension'],
      });
      return result;
    },
    {
      validator: (i: ReturnResultInput) => {
        const actor = requireActor(i?.actor);
        mustBe(actor, 'monitoring', 'trả lại báo cáo');
        mustBeIn(['submitted', 'confirmed', 'disputed'], 'trả lại báo cáo');
        requireText(i.reason, 'Lý do trả lại');
      },
    },
  );

  setHandler(
    requestExtensionUpdate,
    async (i: RequestExtensionInput) => {
      core.resumeState = core.state;
      core.state = 'extension_requested';
      core.pendingExtension = { newDue: i.newDue, reason: i.reason.trim(), at: nowIso() };
      record(i.actor, 'request_extension', i.reason, { newDue: i.newDue });
      const result = done('Đã gửi đề nghị gia hạn đến cơ quan theo dõi.');
      await notify('extension_requested', [{ agencyId: spec.monitoring.id, role: 'focal' }], i.newDue, {
        newDue: i.newDue,
        reason: i.reason,
        actions: ['approve_extension', 'reject_extension'],
      });
      return result;
    },
    {
      validator: (i: RequestExtensionInput) => {
        const actor = requireActor(i?.actor);
        mustBe(actor, 'lead', 'đề nghị gia hạn');
        mustBeIn(['in_progress', 'returned'], 'đề nghị gia hạn');
        const newDue = optionalDate(i.newDue, 'Hạn mới');
        if (!newDue) throw new ActionRefusedError('invalid_input', 'Cần ghi hạn mới đề nghị.');
        requireText(i.reason, 'Lý do gia hạn');
        if (core.due && newDue <= core.due)
          throw new ActionRefusedError('invalid_input', `Hạn mới phải sau hạn hiện tại (${viDate(core.due)}).`);
        if (!core.due && newDue < today())
          throw new ActionRefusedError('invalid_input', 'Hạn mới không được ở trong quá khứ.');
      },
    },
  );

  setHandler(
    decideExtensionUpdate,
    async (i: DecideExtensionInput) => {
      const pending = core.pendingExtension!;
      core.pendingExtension = undefined;
      core.state = core.resumeState;
      if (i.approve) {
        core.due = pending.newDue;
        core.since = Date.now();
        core.extensionsGranted += 1;
        core.ladderLevelReached = 0;
        core.deadlineHistory.push({
          due: pending.newDue,
          at: nowIso(),
          by: { id: i.actor.agencyId, name: agencyName(i.actor.agencyId) },
          reason: pending.reason,
        });
      }
      record(i.actor, i.approve ? 'approve_extension' : 'reject_extension', i.reason, { newDue: pending.newDue });
      const result = done(
        i.approve ? `Đã chấp thuận gia hạn đến ${viDate(pending.newDue)}.` : 'Đã từ chối đề nghị gia hạn.',
      );
      await notify('extension_decision', [{ agencyId: core.lead.id, role: 'focal' }], pending.at, {
        approved: i.approve,
        newDue: pending.newDue,
        reason: i.reason,
      });
      return result;
    },
    {
      validator: (i: DecideExtensionInput) => {
        const actor = requireActor(i?.actor);
        mustBe(actor, 'monitoring', 'quyết định gia hạn');
        mustBeIn(['extension_requested'], 'quyết định gia hạn');
        if (typeof i.approve !== 'boolean') throw new ActionRefusedError('invalid_input', 'Cần chọn chấp thuận hay từ chối.');
        if (!i.approve) requireText(i.reason, 'Lý do từ chối');
      },
    },
  );

  setHandler(
    postponeTaskUpdate,
    (i: PostponeTaskInput) => {
      core.resumeState = core.state;
      core.state = 'postponed';
      record(i.actor, 'postpone', i.reason);
      return done('Đã tạm hoãn nhiệm vụ; nhắc hạn dừng cho đến khi tiếp tục.');
    },
    {
      validator: (i: PostponeTaskInput) => {
        const actor = requireActor(i?.actor);
        mustBe(actor, 'monitoring', 'tạm hoãn nhiệm vụ');
        mustBeIn(['scheduled', 'in_progress', 'returned', 'declined'], 'tạm hoãn');
        requireText(i.reason, 'Lý do tạm hoãn');
      },
    },
  );

  setHandler(
    resumeTaskUpdate,
    (i: ResumeTaskInput) => {
      core.state = core.resumeState === 'postponed' ? 'in_progress' : core.resumeState;
      if (i.newDue) {
        core.due = i.newDue;
        core.deadlineHistory.push({
          due: i.newDue,
          at: nowIso(),
          by: { id: i.actor.agencyId, name: agencyName(i.actor.agencyId) },
          reason: i.reason ?? 'Tiếp tục sau tạm hoãn',
        });
      }
      core.since = Date.now();
      record(i.actor, 'resume', i.reason, { newDue: i.newDue ?? null });
      return done('Nhiệm vụ được tiếp tục.');
    },
    {
      validator: (i: ResumeTaskInput) => {
        const actor = requireActor(i?.actor);
        mustBe(actor, 'monitoring', 'tiếp tục nhiệm vụ');
        mustBeIn(['postponed'], 'tiếp tục');
        const d = optionalDate(i.newDue, 'Hạn mới');
        if (d && d < today()) throw new ActionRefusedError('invalid_input', 'Hạn mới không được ở trong quá khứ.');
      },
    },
  );

  setHandler(
    declineTaskUpdate,
    async (i: DeclineTaskInput) => {
      core.state = 'declined';
      record(i.actor, 'decline', i.reason);
      const result = done('Đã gửi ý kiến từ chối nhiệm vụ đến cơ quan theo dõi để giao lại.');
      await notify('disputed', [{ agencyId: spec.monitoring.id, role: 'focal' }], `decline:${nowIso()}`, {
        reason: i.reason,
        actor: { id: i.actor.agencyId, name: core.lead.name },
      });
      return result;
    },
    {
      validator: (i: DeclineTaskInput) => {
        const actor = requireActor(i?.actor);
        mustBe(actor, 'lead', 'từ chối nhiệm vụ');
        mustBeIn(['scheduled', 'in_progress', 'returned'], 'từ chối nhiệm vụ');
        requireText(i.reason, 'Lý do từ chối');
      },
    },
  );

  setHandler(
    reassignTaskUpdate,
    async (i: ReassignTaskInput) => {
      const from = core.lead;
      core.lead = { id: i.newLead.id, name: i.newLead.name };
      core.state = 'in_progress';
      core.since = Date.now();
      record(i.actor, 'reassign', i.reason, { from: from.id, to: core.lead.id });
      const result = done(`Đã giao lại nhiệm vụ cho ${core.lead.name}.`);
      await notify('reminder', [{ agencyId: core.lead.id, role: 'focal' }], `reassigned:${nowIso()}`, {
        reason: i.reason,
        actions: ['submit', 'request_extension', 'decline'],
      });
      return result;
    },
    {
      validator: (i: ReassignTaskInput) => {
        const actor = requireActor(i?.actor);
        mustBe(actor, 'monitoring', 'giao lại nhiệm vụ');
        mustBeIn(['declined', 'in_progress', 'returned', 'scheduled'], 'giao lại nhiệm vụ');
        if (!i.newLead || typeof i.newLead.id !== 'string' || !i.newLead.id || typeof i.newLead.name !== 'string')
          throw new ActionRefusedError('invalid_input', 'Cần chọn cơ quan được giao lại.');
        if (i.newLead.id === core.lead.id)
          throw new ActionRefusedError('invalid_input', 'Cơ quan được giao lại trùng với cơ quan chủ trì hiện tại.');
        requireText(i.reason, 'Lý do giao lại');
      },
    },
  );

  setHandler(
    reportTargetUpdate,
    (i: ReportTargetInput) => {
      core.targetValues.push({
        targetId: i.targetId,
        value: i.value,
        at: nowIso(),
        by: { id: i.actor.agencyId, name: agencyName(i.actor.agencyId) },
        note: i.note,
      });
      if (core.targetValues.length > 100) core.targetValues.splice(0, core.targetValues.length - 100);
      record(i.actor, 'report_target', i.note, { targetId: i.targetId, value: i.value });
      return done('Đã ghi nhận số liệu chỉ tiêu.');
    },
    {
      validator: (i: ReportTargetInput) => {
        const actor = requireActor(i?.actor);
        if (actor.agencyId !== core.lead.id && !spec.coordinators.some((c) => c.id === actor.agencyId))
          throw new ActionRefusedError('not_allowed', 'Chỉ cơ quan chủ trì hoặc phối hợp của nhiệm vụ mới báo cáo chỉ tiêu.');
        if (!spec.targetIds?.includes(i.targetId))
          throw new ActionRefusedError('invalid_input', `Nhiệm vụ này không theo dõi chỉ tiêu "${String(i.targetId)}".`);
        if (typeof i.value !== 'number' || !Number.isFinite(i.value))
          throw new ActionRefusedError('invalid_input', 'Giá trị chỉ tiêu phải là một số.');
      },
    },
  );

  // ------------------------------------------------------------------------------------------------
  // Facts from the plan and from delivery
  // ------------------------------------------------------------------------------------------------
  setHandler(amendTaskSignal, ({ spec: next, reason }) => {
    const prevDue = core.due;
    const nextDue = dueOfCycle(next, core.cycle);
    spec = { ...next, workflowId: spec.workflowId };
    calendar = createCalendar(spec.calendar);
    if (nextDue !== prevDue && core.state !== 'accepted') {
      core.due = nextDue;
      core.since = Date.now();
      if (nextDue) core.deadlineHistory.push({ due: nextDue, at: nowIso(), by: SYSTEM, reason });
      if (core.state === 'scheduled' && nextDue) core.state = 'in_progress';
    }
    if (next.lead.id !== core.lead.id) core.lead = next.lead;
    record(SYSTEM, 'amend', reason, { due: core.due });
    dirty = true;
    publish();
  });

  setHandler(cancelTaskSignal, ({ reason }) => {
    if (core.state === 'cancelled') return;
    core.state = 'cancelled';
    record(SYSTEM, 'cancel', reason);
    dirty = true;
    publish();
  });

  setHandler(agencySucceededSignal, ({ from, to, on }) => {
    if (core.lead.id === from.id) {
      core.lead = to;
      record(SYSTEM, 'reassigned_by_succession', `${from.name} → ${to.name} (từ ${viDate(on)})`, {
        from: from.id,
        to: to.id,
      });
    }
    spec = {
      ...spec,
      lead: spec.lead.id === from.id ? to : spec.lead,
      coordinators: spec.coordinators.map((c) => (c.id === from.id ? to : c)),
      requiredSignOff: spec.requiredSignOff.map((id) => (id === from.id ? to.id : id)),
    };
    dirty = true;
    publish();
  });

  setHandler(deliveryFailedSignal, async ({ key, recipient, reason }) => {
    if (core.deliveryFailures.some((f) => f.recipient === recipient && f.reason === reason)) return;
    core.deliveryFailures.push({ at: nowIso(), recipient, reason });
    if (core.deliveryFailures.length > 50) core.deliveryFailures.shift();
    record(SYSTEM, 'delivery_failed', `${recipient}: ${reason}`, { key });
    // The monitoring agency is told, unless its own address is the one failing (that would loop).
    const failedAgency = key.split('|')[3];
    if (failedAgency !== spec.monitoring.id)
      await notify('delivery_failed', [{ agencyId: spec.monitoring.id, role: 'focal' }], key, {
        reason: `${recipient}: ${reason}`,
        actor: failedAgency ? { id: failedAgency, name: agencyName(failedAgency) } : undefined,
      });
  });

  setHandler(taskSnapshotQuery, snapshot);

  // ------------------------------------------------------------------------------------------------
  // The loop: wait for the next alarm or an action, whichever comes first.
  // ------------------------------------------------------------------------------------------------
  publish();

  const hasNextCycle = (): boolean => core.cycle + 1 < spec.schedule.dues.length;
  const lingerUntil = (): number =>
    at(core.due ?? spec.schedule.windowEnd ?? today(), 0, 0) + LINGER_DAYS * 86_400_000;

  while (!finished) {
    if (core.state === 'cancelled') break;
    if (core.state === 'accepted' && hasNextCycle()) break;
    const alarm: Alarm | undefined =
      core.state === 'accepted'
        ? undefined
        : nextAlarm(
            {
              state: core.state,
              leadId: core.lead.id,
              monitoringId: spec.monitoring.id,
              authorityId: spec.authority.id,
              coordinatorsPending: pendingCoordinators(),
              opensOn: core.opensOn,
              due: core.due,
              since: core.since,
              submittedOn: core.submission ? localDateOf(Date.parse(core.submission.at), tz) : null,
              reminderOffsets: spec.reminderOffsets,
              overdueEveryWorkingDays: spec.overdueEveryWorkingDays,
              ladder: spec.ladder,
              reminderHour: input.reminderHour,
              fired: new Set(core.fired),
              closeUnfinishedCycle: hasNextCycle(),
              slowAfterLadder,
            },
            calendar,
            at,
          );
    const wakeAt = alarm ? alarm.at : core.state === 'accepted' ? lingerUntil() : undefined;
    dirty = false;
    if (wakeAt === undefined) {
      await condition(() => dirty);
      continue;
    }
    const waitMs = Math.max(0, wakeAt - Date.now());
    const interrupted = await condition(() => dirty, waitMs);
    if (interrupted) continue;
    if (!alarm) {
      finished = true; // lingered long enough after acceptance
      break;
    }
    await fire(alarm);
    if (workflowInfo().continueAsNewSuggested || (slowAfterLadder && workflowInfo().historyLength > HISTORY_LIMIT)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof taskWorkflow>({ spec, reminderHour: input.reminderHour, core });
    }
  }

  async function fire(alarm: Alarm): Promise<void> {
    core.fired.push(alarm.key);
    switch (alarm.kind) {
      case 'open':
        core.state = 'in_progress';
        core.since = Date.now();
        record(SYSTEM, 'cycle_started', `Chu kỳ ${core.cycle + 1}`);
        break;
      case 'due_soon':
      case 'overdue_status':
        break;
      case 'reminder':
        record(SYSTEM, 'reminder', undefined, { workingDaysBefore: Number(alarm.notify?.details.workingDaysBefore ?? 0) });
        break;
      case 'overdue_notice':
        record(SYSTEM, 'overdue', undefined, { workingDaysOverdue: Number(alarm.notify?.details.workingDaysOverdue ?? 0) });
        break;
      case 'escalation':
        core.ladderLevelReached = Math.max(core.ladderLevelReached, Number(alarm.notify?.details.level ?? 0));
        record(SYSTEM, 'escalation', undefined, { level: Number(alarm.notify?.details.level ?? 0) });
        break;
      case 'coordinator_reminder':
      case 'coordinator_escalation':
        record(SYSTEM, alarm.kind === 'coordinator_reminder' ? 'reminder' : 'escalation', undefined, {
          coordinators: pendingCoordinators().join(', '),
        });
        break;
      case 'close_cycle':
        record(SYSTEM, 'overdue', 'Chu kỳ kết thúc khi chưa hoàn thành; chuyển sang chu kỳ tiếp theo.');
        finished = true;
        break;
    }
    publish();
    if (alarm.notify) {
      const actions: ActionKind[] =
        alarm.notify.kind === 'coordinator_reminder'
          ? ['confirm', 'dispute']
          : alarm.notify.kind === 'escalation'
            ? []
            : ['submit', 'request_extension'];
      const daysOverdue = alarm.notify.details.workingDaysOverdue;
      await notify(alarm.notify.kind, alarm.notify.to, alarm.key, {
        workingDaysBefore: numberOrUndefined(alarm.notify.details.workingDaysBefore),
        daysOverdue: numberOrUndefined(daysOverdue),
        level: numberOrUndefined(alarm.notify.details.level),
        actions,
      });
    }
  }

  // ------------------------------------------------------------------------------------------------
  // End of the run: the next cycle, or the end.
  // ------------------------------------------------------------------------------------------------
  await condition(allHandlersFinished);
  if (core.state !== 'cancelled' && hasNextCycle() && (core.state === 'accepted' || finished)) {
    const s = snapshot();
    const past = [
      ...core.pastCycles,
      { cycle: core.cycle, due: core.due, state: core.state, doneAt: core.doneAt, reportingStatus: s.reportingStatus },
    ].slice(-PAST_CYCLES_LIMIT);
    const next = initialCore(spec, core.cycle + 1, today());
    next.pastCycles = past;
    next.lead = core.lead;
    next.targetValues = core.targetValues;
    next.timeline = core.timeline.slice(-20);
    await continueAsNew<typeof taskWorkflow>({ spec, reminderHour: input.reminderHour, core: next });
  }
  return snapshot();
}

/** The due date of a cycle: the schedule's n-th due date, or the first for single deadlines. */
export function dueOfCycle(spec: TaskInstanceSpec, cycle: number): IsoDate | null {
  return spec.schedule.dues[cycle] ?? (cycle === 0 ? spec.schedule.due : null);
}

function initialCore(spec: TaskInstanceSpec, cycle: number, today: IsoDate): TaskCore {
  const due = dueOfCycle(spec, cycle);
  const previousDue = cycle > 0 ? (spec.schedule.dues[cycle - 1] ?? null) : null;
  const opensOn = previousDue ? addDays(previousDue, 1) : (spec.schedule.windowStart ?? null);
  const scheduled = due === null && spec.schedule.kind === 'unscheduled';
  const notYetOpen = opensOn !== null && opensOn > today;
  return {
    state: scheduled || notYetOpen ? 'scheduled' : 'in_progress',
    resumeState: 'in_progress',
    cycle,
    lead: spec.lead,
    due,
    originalDue: due,
    opensOn: notYetOpen ? opensOn : null,
    since: Date.now(),
    fired: [],
    deadlineHistory: due ? [{ due, at: new Date(Date.now()).toISOString(), by: SYSTEM, reason: spec.schedule.text }] : [],
    confirmations: [],
    ladderLevelReached: 0,
    extensionsGranted: 0,
    targetValues: [],
    deliveryFailures: [],
    pastCycles: [],
    timeline: [],
  };
}


function numberOrUndefined(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function viDate(d: IsoDate): string {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  return `${day}/${m}/${y}`;
}
