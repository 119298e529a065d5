/**
 * The task lifecycle as a pure state machine. One function says whether an actor may take an action in the
 * instance's state (`checkAction`), one applies it (`applyAction`) and returns the new state, the message for the
 * person and the notices it causes; the plan's and the clock's facts (amendment, cancellation, succession, a failed
 * delivery, an alarm) are applied the same way (`applyFact`). `workflows/task-workflow.ts` only wires these to
 * Temporal. Everything here is plain data in, plain data out: tested without Temporal.
 *
 * `rules.v3` is false only while replaying runs started before `patched('lifecycle-v3')`: those keep the
 * notices (and so the commands) they were recorded with. The refusals may change freely (a refused update leaves
 * no event in history).
 */
import type { Alarm, CalendarLike } from '../alarms';
import { localDateOf } from '../calendar/dates';
import { formatDate } from '../format';
import { TASK_STATE_LABELS } from '../labels';
import { classifyReportingStatus, DUE_SOON_WORKING_DAYS } from '../reporting-status';
import type {
  AgencyRef,
  ContactRole,
  IsoDate,
  NotificationKind,
  NotificationRequest,
  TaskInstanceSpec,
  TaskSnapshot,
  TaskState,
  TimelineEntry,
} from '../types';
import { ACTIONS, type ActionDef, type ActionName } from './actions';
import { appendBounded, initialCore, LIMITS, SYSTEM_ACTOR, type HandledAction, type TaskCore } from './core';
import { readActionValues, readActor, type ActionInput, type ActionValues, type Actor, type Refusal } from './inputs';

export interface LifecycleRules {
  /** False only when replaying runs started before `patched('lifecycle-v3')`. */
  v3: boolean;
  /** `patched('slow-overdue-after-ladder')`: overdue notices slow down once the ladder has run out. */
  slowAfterLadder: boolean;
}

export interface MachineContext {
  /** Epoch ms (the workflow's deterministic clock). */
  now: number;
  timeZone: string;
  calendar: CalendarLike;
  rules: LifecycleRules;
}

/** A notice: one hand-over to the digests (one call), of one kind, to one or more recipients. */
export interface Notice {
  kind: NotificationKind;
  to: { agencyId: string; role: ContactRole; actions?: ActionName[] }[];
  /** Part of each item's idempotency key: the same fact never makes two items. */
  detailKey: string;
  details: Omit<NotificationRequest['details'], 'actions'> & { actions?: ActionName[] };
}

/** What applying an action or a fact gives back. */
export interface Step {
  core: TaskCore;
  /** The spec, when a fact changed it (amendment, succession). */
  spec?: TaskInstanceSpec;
  /** Plain Vietnamese sentence for the person who acted. */
  message: string;
  notices: Notice[];
  /** The fact changed nothing (a repeated cancellation, a failure already recorded). */
  unchanged?: true;
}

/** What every accepted action returns to the caller. */
export interface ActionResult {
  state: TaskState;
  message: string;
  at: string;
  actionId?: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function nameOf(core: TaskCore, spec: TaskInstanceSpec, id: string): string {
  if (id === core.lead.id) return core.lead.name;
  return [...spec.coordinators, spec.monitoring, spec.authority].find((a) => a.id === id)?.name ?? id;
}

/**
 * What the lead reported and what the coordinators answered, as a decision's email shows them (since lifecycle-v3):
 * the coordinator confirming, the monitoring agency accepting or returning and the lead reading a dispute see the
 * thing decided, not only that something happened. Evidence files by name only.
 */
function submissionFacts(
  core: TaskCore,
  spec: TaskInstanceSpec,
): Pick<Notice['details'], 'submission' | 'confirmations'> {
  const s = core.submission;
  const out: Pick<Notice['details'], 'submission' | 'confirmations'> = {};
  if (s)
    out.submission = {
      summary: s.summary,
      ...(s.documentNumber ? { documentNumber: s.documentNumber } : {}),
      ...(s.documentDate ? { documentDate: s.documentDate } : {}),
      ...(s.evidenceUrl ? { evidenceUrl: s.evidenceUrl } : {}),
      ...(s.evidenceFiles?.length ? { evidenceFileNames: s.evidenceFiles.map((f) => f.name) } : {}),
      at: s.at,
      by: s.by,
    };
  if (core.confirmations.length > 0)
    out.confirmations = core.confirmations.map((c) => ({
      agency: { id: c.agencyId, name: nameOf(core, spec, c.agencyId) },
      verdict: c.verdict,
      ...(c.note ? { note: c.note } : {}),
    }));
  return out;
}

/** Required coordinators who have not confirmed the current submission. */
export function pendingCoordinators(core: TaskCore, spec: TaskInstanceSpec): string[] {
  return spec.requiredSignOff.filter(
    (id) => !core.confirmations.some((c) => c.agencyId === id && c.verdict === 'confirmed'),
  );
}

/** Appends a timeline entry (and, from v3, a transition when the state or deadline moved). */
function record(
  core: TaskCore,
  spec: TaskInstanceSpec,
  ctx: MachineContext,
  actor: Actor | typeof SYSTEM_ACTOR,
  action: TimelineEntry['action'],
  note?: string,
  data?: TimelineEntry['data'],
): TaskCore {
  const who: TimelineEntry['actor'] =
    'agencyId' in actor ? { id: actor.agencyId, name: nameOf(core, spec, actor.agencyId) } : actor;
  const entry: TimelineEntry = { at: iso(ctx.now), actor: who, action, state: core.state, note, data };
  const next: TaskCore = { ...core, timeline: appendBounded(core.timeline, entry, LIMITS.timeline) };
  if (ctx.rules.v3 && core.transitions) {
    const last = core.transitions[core.transitions.length - 1];
    const level = action === 'escalation' && typeof data?.['level'] === 'number' ? data['level'] : undefined;
    if (!last || last.state !== core.state || last.due !== core.due || level !== undefined || action === 'submit')
      next.transitions = appendBounded(
        core.transitions,
        {
          at: entry.at,
          state: core.state,
          due: core.due,
          ...(action === 'submit' && core.submission ? { submittedAt: core.submission.at } : {}),
          ...(level !== undefined ? { ladderLevel: level } : {}),
        },
        LIMITS.transitions,
      );
  }
  return next;
}

function roleRefusal(def: ActionDef, core: TaskCore, spec: TaskInstanceSpec, agencyId: string): Refusal | undefined {
  const what = def.title.vi.charAt(0).toLowerCase() + def.title.vi.slice(1);
  switch (def.role) {
    case 'lead':
      return agencyId === core.lead.id
        ? undefined
        : { code: 'not_allowed', message: `Chỉ cơ quan chủ trì (${core.lead.name}) mới được ${what}.` };
    case 'monitoring':
      return agencyId === spec.monitoring.id
        ? undefined
        : { code: 'not_allowed', message: `Chỉ cơ quan theo dõi, đôn đốc (${spec.monitoring.name}) mới được ${what}.` };
    case 'coordinator':
      return spec.requiredSignOff.includes(agencyId)
        ? undefined
        : { code: 'not_allowed', message: `Chỉ cơ quan phối hợp được yêu cầu xác nhận nhiệm vụ này mới được ${what}.` };
    case 'party':
      return agencyId === core.lead.id || spec.coordinators.some((c) => c.id === agencyId)
        ? undefined
        : { code: 'not_allowed', message: `Chỉ cơ quan chủ trì hoặc phối hợp của nhiệm vụ mới được ${what}.` };
  }
}

/**
 * Whether `input` may be applied now: undefined, or why not. Checks, in order: the actor, an action id already
 * handled (for the same actor), the role, the link's cycle, the state, the fields, then the action's own rules.
 */
export function checkAction(
  core: TaskCore,
  spec: TaskInstanceSpec,
  name: ActionName,
  input: ActionInput,
  ctx: MachineContext,
): Refusal | undefined {
  const def = ACTIONS[name];
  const actor = readActor(input?.actor);
  if ('code' in actor) return actor;
  if (typeof input.actionId === 'string' && input.actionId.length > 0) {
    const earlier = core.handled?.find((h) => h.id === input.actionId);
    // An id is applied once, whoever sends it again; only its own actor learns what it did.
    if (earlier && earlier.by.id !== actor.agencyId)
      return {
        code: 'invalid_input',
        field: 'actionId',
        message: 'Mã thao tác này đã được dùng; hãy mở lại thao tác từ thư hoặc trang "Việc của tôi".',
      };
    if (earlier)
      return {
        code: 'already_done',
        message: `Thao tác này đã được thực hiện lúc ${formatDate(localDateOf(Date.parse(earlier.at), ctx.timeZone))}; không thực hiện lại.`,
        earlier: { action: earlier.action, at: earlier.at, by: earlier.by.name, state: core.state },
      };
  }
  const role = roleRefusal(def, core, spec, actor.agencyId);
  if (role) return role;
  if (typeof input.cycle === 'number' && input.cycle !== core.cycle)
    return {
      code: 'stale_link',
      message:
        'Liên kết này thuộc một kỳ trước của nhiệm vụ; hãy dùng liên kết trong thư mới nhất hoặc mở nhiệm vụ trên trang "Việc của tôi".',
    };
  if (!def.states.includes(core.state))
    return {
      code: 'wrong_state',
      message: `Không thể ${def.label.vi.toLowerCase()} khi nhiệm vụ đang ở trạng thái "${TASK_STATE_LABELS.vi[core.state]}".`,
    };
  const read = readActionValues(def, input);
  if ('refusal' in read) return read.refusal;
  return ownRules(core, spec, name, actor, read.values, ctx);
}

function ownRules(
  core: TaskCore,
  spec: TaskInstanceSpec,
  name: ActionName,
  actor: Actor,
  v: ActionValues,
  ctx: MachineContext,
): Refusal | undefined {
  const today = localDateOf(ctx.now, ctx.timeZone);
  const mine = core.confirmations.find((c) => c.agencyId === actor.agencyId);
  switch (name) {
    case 'confirm':
      return mine?.verdict === 'confirmed'
        ? { code: 'wrong_state', message: 'Cơ quan đã xác nhận báo cáo này rồi.' }
        : undefined;
    case 'dispute':
      return ctx.rules.v3 && mine?.verdict === 'disputed'
        ? {
            code: 'wrong_state',
            message: 'Cơ quan đã nêu ý kiến không thống nhất với báo cáo này; chờ cơ quan chủ trì báo cáo lại.',
          }
        : undefined;
    case 'accept': {
      const pending = pendingCoordinators(core, spec);
      return core.state !== 'confirmed' && pending.length > 0
        ? {
            code: 'wrong_state',
            message: `Chưa đủ xác nhận của cơ quan phối hợp: ${pending.map((id) => nameOf(core, spec, id)).join(', ')}.`,
          }
        : undefined;
    }
    case 'request_extension':
    case 'approve_extension': {
      if (!v.newDue) return undefined;
      if (core.due && v.newDue <= core.due)
        return {
          code: 'invalid_input',
          field: 'newDue',
          message: `Hạn mới phải sau hạn hiện tại (${formatDate(core.due)}).`,
        };
      if (!core.due && v.newDue < today)
        return { code: 'invalid_input', field: 'newDue', message: 'Hạn mới không được ở trong quá khứ.' };
      return undefined;
    }
    case 'resume':
      return v.newDue && v.newDue < today
        ? { code: 'invalid_input', field: 'newDue', message: 'Hạn mới không được ở trong quá khứ.' }
        : undefined;
    case 'reassign':
      return v.newLead?.id === core.lead.id
        ? {
            code: 'invalid_input',
            field: 'newLead',
            message: 'Cơ quan được giao lại trùng với cơ quan chủ trì hiện tại.',
          }
        : undefined;
    case 'report_target':
      return spec.targetIds?.includes(v.targetId ?? '')
        ? undefined
        : {
            code: 'invalid_input',
            field: 'targetId',
            message: `Nhiệm vụ này không theo dõi chỉ tiêu "${String(v.targetId)}".`,
          };
    default:
      return undefined;
  }
}

/**
 * Applies an action that `checkAction` allowed. Returns the new state, the message for the person, and the notices
 * (each one hand-over to the digests).
 */
export function applyAction(
  core0: TaskCore,
  spec: TaskInstanceSpec,
  name: ActionName,
  input: ActionInput,
  ctx: MachineContext,
): Step & { result: ActionResult } {
  const def = ACTIONS[name];
  const actor: Actor = { agencyId: input.actor.agencyId };
  const read = readActionValues(def, input);
  const v: ActionValues = 'values' in read ? read.values : {};
  const now = iso(ctx.now);
  const { v3 } = ctx.rules;
  const monitoring = { agencyId: spec.monitoring.id, role: 'focal' as const };
  const leadTo = (actions?: ActionName[]) => ({
    agencyId: core0.lead.id,
    role: 'focal' as const,
    ...(actions ? { actions } : {}),
  });
  let core: TaskCore = { ...core0 };
  let step: Step;

  switch (name) {
    case 'submit': {
      const submission = {
        summary: v.summary ?? '',
        documentNumber: v.documentNumber,
        documentDate: v.documentDate,
        evidenceUrl: v.evidenceUrl,
        ...(v.evidenceFiles ? { evidenceFiles: v.evidenceFiles } : {}),
        at: now,
        by: { id: actor.agencyId, name: core.lead.name },
      };
      core = {
        ...core,
        submission,
        confirmations: [],
        state: spec.requiredSignOff.length > 0 ? 'submitted' : 'confirmed',
      };
      core = record(core, spec, ctx, actor, 'submit', submission.summary, {
        documentNumber: submission.documentNumber ?? null,
        evidenceUrl: submission.evidenceUrl ?? null,
      });
      const toCoordinators = core.state === 'submitted';
      step = {
        core,
        message: toCoordinators
          ? 'Đã ghi nhận báo cáo hoàn thành; đang chờ cơ quan phối hợp xác nhận.'
          : 'Đã ghi nhận báo cáo hoàn thành; đang chờ cơ quan theo dõi nghiệm thu.',
        notices: [
          toCoordinators
            ? {
                kind: 'confirm_request',
                to: spec.requiredSignOff.map((agencyId) => ({ agencyId, role: 'focal' as const })),
                detailKey: now,
                details: { actions: ['confirm', 'dispute'], ...(v3 ? submissionFacts(core, spec) : {}) },
              }
            : {
                kind: 'submitted',
                to: [monitoring],
                detailKey: now,
                details: { actions: ['accept', 'return'], ...(v3 ? submissionFacts(core, spec) : {}) },
              },
        ],
      };
      break;
    }
    case 'confirm': {
      const confirmations = [
        ...core.confirmations.filter((c) => c.agencyId !== actor.agencyId),
        { agencyId: actor.agencyId, verdict: 'confirmed' as const, at: now, note: v.note },
      ];
      core = { ...core, confirmations };
      const allConfirmed = pendingCoordinators(core, spec).length === 0;
      if (allConfirmed) core.state = 'confirmed';
      else if (!confirmations.some((c) => c.verdict === 'disputed')) core.state = 'submitted';
      core = record(core, spec, ctx, actor, 'confirm', v.note);
      const notices: Notice[] = [
        {
          kind: 'confirmation_received',
          to: [leadTo()],
          detailKey: actor.agencyId,
          details: { actor: { id: actor.agencyId, name: nameOf(core, spec, actor.agencyId) } },
        },
      ];
      if (allConfirmed)
        notices.push({
          kind: 'submitted',
          to: [monitoring],
          detailKey: core.submission?.at ?? '',
          details: { actions: ['accept', 'return'], ...(v3 ? submissionFacts(core, spec) : {}) },
        });
      step = {
        core,
        message: allConfirmed
          ? 'Đã xác nhận. Tất cả cơ quan phối hợp đã xác nhận; nhiệm vụ chờ nghiệm thu.'
          : 'Đã ghi nhận xác nhận của cơ quan.',
        notices,
      };
      break;
    }
    case 'dispute': {
      core = {
        ...core,
        confirmations: [
          ...core.confirmations.filter((c) => c.agencyId !== actor.agencyId),
          { agencyId: actor.agencyId, verdict: 'disputed' as const, at: now, note: v.reason },
        ],
        state: 'disputed',
      };
      core = record(core, spec, ctx, actor, 'dispute', v.reason);
      const who = { id: actor.agencyId, name: nameOf(core, spec, actor.agencyId) };
      step = {
        core,
        message: 'Đã ghi nhận ý kiến không thống nhất; cơ quan chủ trì và cơ quan theo dõi được thông báo.',
        notices: [
          {
            kind: 'disputed',
            // The lead may report again; the monitoring agency may return the result (accepting waits for every sign-off).
            to: v3 ? [leadTo(['submit']), { ...monitoring, actions: ['return'] }] : [leadTo(), monitoring],
            detailKey: `${actor.agencyId}:${now}`,
            details: { reason: v.reason, actor: who, ...(v3 ? submissionFacts(core, spec) : { actions: ['submit'] }) },
          },
        ],
      };
      break;
    }
    case 'accept': {
      core = { ...core, state: 'accepted', acceptedAt: now, doneAt: core.submission?.at ?? now };
      core = record(core, spec, ctx, actor, 'accept', v.note);
      step = {
        core,
        message: 'Đã nghiệm thu kết quả; nhiệm vụ hoàn thành.',
        notices: [
          {
            kind: 'accepted',
            to: [leadTo()],
            detailKey: now,
            // The monitoring agency's remark goes to the lead with the acceptance.
            details: v3
              ? { actor: { id: spec.monitoring.id, name: spec.monitoring.name }, ...(v.note ? { reason: v.note } : {}) }
              : {},
          },
        ],
      };
      break;
    }
    case 'return': {
      core = { ...core, state: 'returned' };
      if (v3)
        core.lastReturn = {
          at: now,
          by: { id: actor.agencyId, name: nameOf(core, spec, actor.agencyId) },
          reason: v.reason ?? '',
        };
      core = record(core, spec, ctx, actor, 'return', v.reason);
      step = {
        core,
        message: 'Đã trả lại báo cáo để cơ quan chủ trì bổ sung, hoàn thiện.',
        notices: [
          {
            kind: 'returned',
            to: [leadTo()],
            detailKey: now,
            details: {
              reason: v.reason,
              actions: ['submit', 'request_extension'],
              ...(v3 ? submissionFacts(core, spec) : {}),
            },
          },
        ],
      };
      break;
    }
    case 'request_extension': {
      const newDue = v.newDue ?? '';
      core = {
        ...core,
        resumeState: core.state,
        state: 'extension_requested',
        pendingExtension: { newDue, reason: v.reason ?? '', at: now },
      };
      core = record(core, spec, ctx, actor, 'request_extension', v.reason, { newDue });
      step = {
        core,
        message: 'Đã gửi đề nghị gia hạn đến cơ quan theo dõi.',
        notices: [
          {
            kind: 'extension_requested',
            to: [monitoring],
            detailKey: newDue,
            details: { newDue, reason: v.reason, actions: ['approve_extension', 'reject_extension'] },
          },
        ],
      };
      break;
    }
    case 'approve_extension':
    case 'reject_extension': {
      const approve = name === 'approve_extension';
      const pending = core.pendingExtension ?? { newDue: core.due ?? '', reason: '', at: now };
      const newDue = (v3 && approve && v.newDue) || pending.newDue;
      core = { ...core, pendingExtension: undefined, state: core.resumeState };
      if (approve) {
        const by = { id: actor.agencyId, name: nameOf(core, spec, actor.agencyId) };
        core = {
          ...core,
          due: newDue,
          since: ctx.now,
          extensionsGranted: core.extensionsGranted + 1,
          ladderLevelReached: 0,
          deadlineHistory: [
            ...core.deadlineHistory,
            v3
              ? { due: newDue, kind: 'extension' as const, previousDue: core0.due, at: now, by, reason: pending.reason }
              : { due: newDue, at: now, by, reason: pending.reason },
          ],
          ...(v3 ? resetAlarmsForNewDeadline(core) : {}),
        };
      }
      core = record(core, spec, ctx, actor, approve ? 'approve_extension' : 'reject_extension', v.reason, { newDue });
      step = {
        core,
        message: approve ? `Đã chấp thuận gia hạn đến ${formatDate(newDue)}.` : 'Đã từ chối đề nghị gia hạn.',
        notices: [
          {
            kind: 'extension_decision',
            to: [leadTo()],
            detailKey: pending.at,
            details: {
              approved: approve,
              newDue,
              reason: v.reason,
              ...(v3 ? { actor: { id: actor.agencyId, name: nameOf(core, spec, actor.agencyId) } } : {}),
              ...(v3 && approve && newDue !== pending.newDue ? { requestedDue: pending.newDue } : {}),
            },
          },
        ],
      };
      break;
    }
    case 'postpone': {
      core = { ...core, resumeState: core.state, state: 'postponed' };
      core = record(core, spec, ctx, actor, 'postpone', v.reason);
      step = {
        core,
        message: 'Đã tạm hoãn nhiệm vụ; nhắc hạn dừng cho đến khi tiếp tục.',
        notices: v3 ? [{ kind: 'postponed', to: [leadTo()], detailKey: now, details: { reason: v.reason } }] : [],
      };
      break;
    }
    case 'resume': {
      core = { ...core, state: core.resumeState === 'postponed' ? 'in_progress' : core.resumeState, since: ctx.now };
      if (v.newDue) {
        const by = { id: actor.agencyId, name: nameOf(core, spec, actor.agencyId) };
        const reason = v.reason ?? 'Tiếp tục sau tạm hoãn';
        core = {
          ...core,
          due: v.newDue,
          deadlineHistory: [
            ...core.deadlineHistory,
            v3
              ? { due: v.newDue, kind: 'resume' as const, previousDue: core0.due, at: now, by, reason }
              : { due: v.newDue, at: now, by, reason },
          ],
          ...(v3 ? resetAlarmsForNewDeadline(core) : {}),
        };
      }
      core = record(core, spec, ctx, actor, 'resume', v.reason, { newDue: v.newDue ?? null });
      step = {
        core,
        message: 'Nhiệm vụ được tiếp tục.',
        notices: v3
          ? [
              {
                kind: 'resumed',
                to: [leadTo(['submit', 'request_extension'])],
                detailKey: now,
                details: { reason: v.reason, newDue: v.newDue },
              },
            ]
          : [],
      };
      break;
    }
    case 'decline': {
      core = { ...core, state: 'declined' };
      core = record(core, spec, ctx, actor, 'decline', v.reason);
      step = {
        core,
        message: 'Đã gửi ý kiến từ chối nhiệm vụ đến cơ quan theo dõi để giao lại.',
        notices: [
          v3
            ? {
                kind: 'declined',
                to: [{ ...monitoring, actions: ['reassign'] }],
                detailKey: `decline:${now}`,
                details: { reason: v.reason, actor: core.lead },
              }
            : {
                kind: 'disputed',
                to: [monitoring],
                detailKey: `decline:${now}`,
                details: { reason: v.reason, actor: { id: actor.agencyId, name: core.lead.name } },
              },
        ],
      };
      break;
    }
    case 'reassign': {
      const from = core.lead;
      const to = v.newLead ?? from;
      core = { ...core, lead: { id: to.id, name: to.name }, state: 'in_progress', since: ctx.now };
      core = record(core, spec, ctx, actor, 'reassign', v.reason, { from: from.id, to: to.id });
      step = {
        core,
        message: `Đã giao lại nhiệm vụ cho ${to.name}.`,
        notices: [
          {
            kind: v3 ? 'reassigned' : 'reminder',
            to: [
              {
                agencyId: to.id,
                role: 'focal',
                ...(v3 ? { actions: ['submit', 'request_extension', 'decline'] as ActionName[] } : {}),
              },
            ],
            detailKey: `reassigned:${now}`,
            details: {
              reason: v.reason,
              ...(v3 ? { actor: from } : { actions: ['submit', 'request_extension', 'decline'] }),
            },
          },
        ],
      };
      break;
    }
    case 'report_target': {
      const value = v.value ?? 0;
      core = {
        ...core,
        targetValues: appendBounded(
          core.targetValues,
          {
            targetId: v.targetId ?? '',
            value,
            at: now,
            by: { id: actor.agencyId, name: nameOf(core, spec, actor.agencyId) },
            note: v.note,
          },
          LIMITS.targetValues,
        ),
      };
      core = record(core, spec, ctx, actor, 'report_target', v.note, { targetId: v.targetId ?? '', value });
      step = { core, message: 'Đã ghi nhận số liệu chỉ tiêu.', notices: [] };
      break;
    }
  }

  if (v3 && typeof input.actionId === 'string' && input.actionId.length > 0) {
    const handled: HandledAction = {
      id: input.actionId,
      action: name,
      at: now,
      by: { id: actor.agencyId, name: nameOf(core0, spec, actor.agencyId) },
      state: step.core.state,
    };
    step.core = { ...step.core, handled: appendBounded(step.core.handled ?? [], handled, LIMITS.handled) };
  }
  return {
    ...step,
    result: {
      state: step.core.state,
      message: step.message,
      at: now,
      ...(input.actionId ? { actionId: input.actionId } : {}),
    },
  };
}

/** A new deadline starts its reminders, notices and ladder afresh; keys of the old deadline are dropped. */
function resetAlarmsForNewDeadline(core: TaskCore): Partial<TaskCore> {
  const oldDue = core.due;
  return { lastOverdueNotice: null, fired: core.fired.filter((k) => !(oldDue && k.endsWith(`:${oldDue}`))) };
}

// ------------------------------------------------------------------------------------------------------------
// Facts: the plan, the directory, delivery and the clock
// ------------------------------------------------------------------------------------------------------------

export type Fact =
  | { kind: 'created' }
  | { kind: 'amend'; spec: TaskInstanceSpec; reason: string; nextDue: IsoDate | null }
  | { kind: 'cancel'; reason: string }
  | { kind: 'succession'; from: AgencyRef; to: AgencyRef; on: IsoDate }
  | { kind: 'delivery_failed'; key: string; recipient: string; reason: string }
  | { kind: 'alarm'; alarm: Alarm };

/** What a lead may do from the notice of a new task, in the states the task may start in. */
const IMPORT_NOTICE_ACTIONS: readonly ActionName[] = ['submit', 'request_extension', 'decline'];

/** Applies a fact. `step.spec` is set when the fact changed the spec. */
export function applyFact(core0: TaskCore, spec: TaskInstanceSpec, fact: Fact, ctx: MachineContext): Step {
  const { v3 } = ctx.rules;
  const now = iso(ctx.now);
  let core: TaskCore = { ...core0 };
  switch (fact.kind) {
    case 'created': {
      core = record(core, spec, ctx, SYSTEM_ACTOR, core.cycle === 0 ? 'created' : 'cycle_started', spec.schedule.text);
      // The lead is told of its new task once, when the instance is created (the task workflow sends it from the
      // 'import-notice' patch on); the lead's digest of the day lists every task of the import in one email.
      const actions = IMPORT_NOTICE_ACTIONS.filter((a) => ACTIONS[a].states.includes(core.state));
      return {
        core,
        message: '',
        notices: [
          {
            kind: 'plan_imported',
            to: [{ agencyId: core.lead.id, role: 'focal', actions }],
            detailKey: 'created',
            details: {},
          },
        ],
      };
    }
    case 'amend': {
      const next = { ...fact.spec, workflowId: spec.workflowId };
      const prevDue = core.due;
      if (fact.nextDue !== prevDue && core.state !== 'accepted') {
        core = { ...core, due: fact.nextDue, since: ctx.now };
        if (fact.nextDue) {
          const change = v3
            ? {
                due: fact.nextDue,
                kind: 'amendment' as const,
                previousDue: prevDue,
                at: now,
                by: SYSTEM_ACTOR,
                reason: fact.reason,
              }
            : { due: fact.nextDue, at: now, by: SYSTEM_ACTOR, reason: fact.reason };
          core.deadlineHistory = [...core.deadlineHistory, change];
        }
        if (v3) core = { ...core, ...resetAlarmsForNewDeadline({ ...core, due: prevDue }) };
        if (core.state === 'scheduled' && fact.nextDue) core.state = 'in_progress';
      }
      if (next.lead.id !== core.lead.id) core.lead = next.lead;
      core = record(core, next, ctx, SYSTEM_ACTOR, 'amend', fact.reason, { due: core.due });
      return { core, spec: next, message: '', notices: [] };
    }
    case 'cancel': {
      if (core.state === 'cancelled') return { core, message: '', notices: [], unchanged: true };
      core = record({ ...core, state: 'cancelled' }, spec, ctx, SYSTEM_ACTOR, 'cancel', fact.reason);
      return {
        core,
        message: '',
        notices: v3
          ? [
              {
                kind: 'cancelled',
                to: [{ agencyId: core.lead.id, role: 'focal' }],
                detailKey: now,
                details: { reason: fact.reason },
              },
            ]
          : [],
      };
    }
    case 'succession': {
      const { from, to, on } = fact;
      if (core.lead.id === from.id) {
        core = { ...core, lead: to };
        core = record(
          core,
          spec,
          ctx,
          SYSTEM_ACTOR,
          'reassigned_by_succession',
          `${from.name} → ${to.name} (từ ${formatDate(on)})`,
          {
            from: from.id,
            to: to.id,
          },
        );
      }
      const swap = (a: AgencyRef): AgencyRef => (a.id === from.id ? to : a);
      const nextSpec: TaskInstanceSpec = {
        ...spec,
        lead: swap(spec.lead),
        coordinators: spec.coordinators.map(swap),
        requiredSignOff: spec.requiredSignOff.map((id) => (id === from.id ? to.id : id)),
        // Before v3 a succession did not reach the monitoring agency of a running task.
        monitoring: v3 ? swap(spec.monitoring) : spec.monitoring,
        ...(v3 ? { successions: (spec.successions ?? []).filter((s) => !(s.from === from.id && s.on === on)) } : {}),
      };
      return { core, spec: nextSpec, message: '', notices: [] };
    }
    case 'delivery_failed': {
      if (core.deliveryFailures.some((f) => f.recipient === fact.recipient && f.reason === fact.reason))
        return { core, message: '', notices: [], unchanged: true };
      core = {
        ...core,
        deliveryFailures: appendBounded(
          core.deliveryFailures,
          { at: now, recipient: fact.recipient, reason: fact.reason },
          LIMITS.deliveryFailures,
        ),
      };
      core = record(core, spec, ctx, SYSTEM_ACTOR, 'delivery_failed', `${fact.recipient}: ${fact.reason}`, {
        key: fact.key,
      });
      // The monitoring agency is told, unless its own address is the one failing (that would loop).
      const failedAgency = fact.key.split('|')[3];
      return {
        core,
        message: '',
        notices:
          failedAgency !== spec.monitoring.id
            ? [
                {
                  kind: 'delivery_failed',
                  to: [{ agencyId: spec.monitoring.id, role: 'focal' }],
                  detailKey: fact.key,
                  details: {
                    reason: `${fact.recipient}: ${fact.reason}`,
                    actor: failedAgency ? { id: failedAgency, name: nameOf(core, spec, failedAgency) } : undefined,
                  },
                },
              ]
            : [],
      };
    }
    case 'alarm':
      return fireAlarm(core, spec, fact.alarm, ctx);
  }
}

function fireAlarm(core0: TaskCore, spec: TaskInstanceSpec, alarm: Alarm, ctx: MachineContext): Step {
  const { v3 } = ctx.rules;
  let core: TaskCore = { ...core0 };
  // From v3 overdue notices are counted from the last one (no key per notice: the list stays small).
  if (!(v3 && alarm.kind === 'overdue_notice')) core.fired = [...core.fired, alarm.key];
  const details = alarm.notify?.details ?? {};
  const num = (k: string): number => Number(details[k] ?? 0);
  switch (alarm.kind) {
    case 'open':
      core = { ...core, state: 'in_progress', since: ctx.now };
      core = record(core, spec, ctx, SYSTEM_ACTOR, 'cycle_started', `Chu kỳ ${core.cycle + 1}`);
      break;
    case 'due_soon':
    case 'overdue_status':
      break;
    case 'reminder':
      core = record(core, spec, ctx, SYSTEM_ACTOR, 'reminder', undefined, {
        workingDaysBefore: num('workingDaysBefore'),
      });
      break;
    case 'overdue_notice':
      if (v3) core.lastOverdueNotice = localDateOf(alarm.at, ctx.timeZone);
      core = record(core, spec, ctx, SYSTEM_ACTOR, 'overdue', undefined, {
        workingDaysOverdue: num('workingDaysOverdue'),
      });
      break;
    case 'escalation': {
      const level = num('level');
      core.ladderLevelReached = Math.max(core.ladderLevelReached, level);
      const passed = alarm.passedKeys ?? [];
      if (passed.length > 0) core.fired = [...core.fired, ...passed.filter((k) => !core.fired.includes(k))];
      core = record(
        core,
        spec,
        ctx,
        SYSTEM_ACTOR,
        'escalation',
        passed.length > 0 ? 'Các bậc cảnh báo đã qua trước khi theo dõi; gửi một lần ở bậc cao nhất.' : undefined,
        { level },
      );
      break;
    }
    case 'coordinator_reminder':
    case 'coordinator_escalation':
      core = record(
        core,
        spec,
        ctx,
        SYSTEM_ACTOR,
        alarm.kind === 'coordinator_reminder' ? 'reminder' : 'escalation',
        undefined,
        {
          coordinators: pendingCoordinators(core, spec).join(', '),
        },
      );
      break;
    case 'close_cycle':
      core = record(
        core,
        spec,
        ctx,
        SYSTEM_ACTOR,
        'overdue',
        'Chu kỳ kết thúc khi chưa hoàn thành; chuyển sang chu kỳ tiếp theo.',
      );
      break;
    case 'succession': {
      const s = alarm.succession;
      if (!s) break;
      return applyFact(
        core,
        spec,
        { kind: 'succession', from: { id: s.from, name: nameOf(core, spec, s.from) }, to: s.to, on: s.on },
        ctx,
      );
    }
  }
  const notices: Notice[] = [];
  if (alarm.notify) {
    const kind = alarm.notify.kind;
    const actions: ActionName[] =
      kind === 'coordinator_reminder'
        ? ['confirm', 'dispute']
        : kind === 'escalation'
          ? []
          : ['submit', 'request_extension'];
    const n = (k: string): number | undefined => (typeof details[k] === 'number' ? details[k] : undefined);
    notices.push({
      kind,
      to: alarm.notify.to,
      detailKey: alarm.key,
      details: {
        workingDaysBefore: n('workingDaysBefore'),
        daysOverdue: n('workingDaysOverdue'),
        level: n('level'),
        actions,
      },
    });
  }
  return { core, message: '', notices };
}

/** The state the next cycle of a recurring task starts with, carrying what spans cycles. */
export function nextCycleCore(core: TaskCore, spec: TaskInstanceSpec, ctx: MachineContext): TaskCore {
  const s = snapshotOf(core, spec, ctx);
  const past = [
    ...core.pastCycles,
    {
      cycle: core.cycle,
      due: core.due,
      state: core.state,
      doneAt: core.doneAt,
      reportingStatus: s.reportingStatus,
      ...(ctx.rules.v3 && core.transitions ? { transitions: core.transitions.slice(-PAST_CYCLE_TRANSITIONS) } : {}),
    },
  ].slice(-LIMITS.pastCycles);
  const next = initialCore(spec, core.cycle + 1, ctx.now, localDateOf(ctx.now, ctx.timeZone), ctx.rules.v3);
  return {
    ...next,
    pastCycles: past,
    lead: core.lead,
    targetValues: core.targetValues,
    timeline: core.timeline.slice(-20),
    ...(ctx.rules.v3 ? { handled: core.handled ?? [] } : {}),
  };
}

/** Transitions kept per past cycle. */
const PAST_CYCLE_TRANSITIONS = 40;

// ------------------------------------------------------------------------------------------------------------
// Reading the state
// ------------------------------------------------------------------------------------------------------------

/** The effective deadline of the cycle (Civil Code: a deadline on a day off moves to the next working day). */
export function effectiveDue(core: TaskCore, calendar: CalendarLike): IsoDate | null {
  return core.due ? calendar.effectiveDeadline(core.due) : null;
}

/** The whole visible state of an instance, as `taskSnapshotQuery` returns it. */
export function snapshotOf(core: TaskCore, spec: TaskInstanceSpec, ctx: MachineContext): TaskSnapshot {
  const eff = effectiveDue(core, ctx.calendar);
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
      submittedOn: core.submission ? localDateOf(Date.parse(core.submission.at), ctx.timeZone) : null,
      asOf: localDateOf(ctx.now, ctx.timeZone),
      dueSoonDate: eff ? ctx.calendar.addWorkingDays(eff, -DUE_SOON_WORKING_DAYS) : null,
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
    ...(core.transitions ? { transitions: core.transitions } : {}),
    ...(core.lastReturn ? { lastReturn: core.lastReturn } : {}),
    actions: availableActions(core, spec),
  };
}

/** The actions the instance's state allows now, with the role each needs (for the doors' menus). */
export function availableActions(core: TaskCore, spec: TaskInstanceSpec): { action: ActionName; agencies: string[] }[] {
  const out: { action: ActionName; agencies: string[] }[] = [];
  for (const def of Object.values(ACTIONS)) {
    if (!def.states.includes(core.state)) continue;
    if (def.name === 'report_target' && !(spec.targetIds && spec.targetIds.length > 0)) continue;
    const agencies =
      def.role === 'lead'
        ? [core.lead.id]
        : def.role === 'monitoring'
          ? [spec.monitoring.id]
          : def.role === 'coordinator'
            ? spec.requiredSignOff.filter((id) => {
                const mine = core.confirmations.find((c) => c.agencyId === id);
                return def.name === 'confirm' ? mine?.verdict !== 'confirmed' : mine?.verdict !== 'disputed';
              })
            : [core.lead.id, ...spec.coordinators.map((c) => c.id)];
    if (def.name === 'accept' && core.state !== 'confirmed' && pendingCoordinators(core, spec).length > 0) continue;
    if (agencies.length > 0) out.push({ action: def.name, agencies });
  }
  return out;
}

/** The items of a notice: one per recipient, each with its idempotency key. */
export function noticeItems(
  core: TaskCore,
  spec: TaskInstanceSpec,
  notice: Notice,
  ctx: MachineContext,
): NotificationRequest[] {
  const eff = effectiveDue(core, ctx.calendar);
  const { actions, ...details } = notice.details;
  return notice.to.map((r) => ({
    key: `${spec.workflowId}|${core.cycle}|${notice.kind}|${r.agencyId}|${notice.detailKey}`,
    kind: notice.kind,
    recipient: { agencyId: r.agencyId, role: r.role },
    localDate: localDateOf(ctx.now, ctx.timeZone),
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
      timeZone: spec.timeZone,
    },
    details: { ...details, ...((r.actions ?? actions) ? { actions: r.actions ?? actions } : {}) },
  }));
}
