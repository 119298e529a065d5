/**
 * The words of each notification kind, in Vietnamese (formal administrative register) and English:
 * the subject label and the sentence that opens the item. Plain strings; escaping happens in render.
 */
import type { ActionKind, NotificationKind, NotificationRequest } from '../../domain/types';
import { PLAN_WITHDRAWN_REASON_PREFIX } from '../../domain/labels';
import { formatLongDate } from './dates';

export type Language = 'vi' | 'en';

/** Order of kinds in a digest: what needs action first. */
export const KIND_ORDER: readonly NotificationKind[] = [
  'escalation',
  'overdue',
  'due_today',
  'reminder',
  'returned',
  'extension_decision',
  'confirm_request',
  'coordinator_reminder',
  'submitted',
  'extension_requested',
  'disputed',
  'delivery_failed',
  'confirmation_received',
  'accepted',
  'declined',
  'reassigned',
  'postponed',
  'resumed',
  'cancelled',
  'plan_imported',
  'periodic_report',
];

/** Label of an action button. */
export const ACTION_LABELS: Record<Language, Record<ActionKind, string>> = {
  vi: {
    submit: 'Báo cáo hoàn thành',
    confirm: 'Xác nhận',
    dispute: 'Không thống nhất',
    accept: 'Chấp nhận kết quả',
    return: 'Trả lại để hoàn thiện',
    request_extension: 'Đề nghị gia hạn',
    approve_extension: 'Đồng ý gia hạn',
    reject_extension: 'Không đồng ý gia hạn',
    postpone: 'Tạm hoãn',
    resume: 'Tiếp tục thực hiện',
    decline: 'Từ chối nhiệm vụ',
    reassign: 'Giao lại nhiệm vụ',
    amend: 'Điều chỉnh nhiệm vụ',
    cancel: 'Hủy nhiệm vụ',
    report_target: 'Báo cáo chỉ tiêu',
  },
  en: {
    submit: 'Report completion',
    confirm: 'Confirm',
    dispute: 'Dispute',
    accept: 'Accept the result',
    return: 'Return for rework',
    request_extension: 'Request an extension',
    approve_extension: 'Approve the extension',
    reject_extension: 'Reject the extension',
    postpone: 'Postpone',
    resume: 'Resume',
    decline: 'Decline the task',
    reassign: 'Reassign',
    amend: 'Amend',
    cancel: 'Cancel the task',
    report_target: 'Report a target value',
  },
};

/** The due date that matters for the item: the new one for an approved extension. */
export function itemDue(item: NotificationRequest): string | null {
  if (item.kind === 'extension_decision' && item.details.approved === true && item.details.newDue)
    return item.details.newDue;
  return item.task.due;
}

/** Subject label of one item: `Nhắc hạn`, `Báo cáo nhiệm vụ quá hạn – cấp 2`, … */
export function kindLabel(item: NotificationRequest, lang: Language): string {
  const d = item.details;
  const vi = lang === 'vi';
  switch (item.kind) {
    case 'reminder':
      return vi ? 'Nhắc hạn' : 'Reminder';
    case 'due_today':
      return vi ? 'Đến hạn hôm nay' : 'Due today';
    case 'overdue':
      return vi ? 'Quá hạn' : 'Overdue';
    case 'escalation':
      // Level 0 is the coordinators' escalation: the task was reported done, its coordinators have not confirmed.
      if (d.level === 0) return vi ? 'Cơ quan phối hợp chậm xác nhận' : 'Coordinators late to confirm';
      return vi ? `Báo cáo nhiệm vụ quá hạn – cấp ${d.level ?? 1}` : `Overdue task report – level ${d.level ?? 1}`;
    case 'confirm_request':
      return vi ? 'Đề nghị xác nhận' : 'Please confirm';
    case 'coordinator_reminder':
      return vi ? 'Nhắc xác nhận' : 'Confirmation reminder';
    case 'confirmation_received':
      return vi ? 'Đã nhận xác nhận' : 'Confirmation received';
    case 'disputed':
      return vi ? 'Không thống nhất kết quả' : 'Result disputed';
    case 'submitted':
      return vi ? 'Báo cáo hoàn thành' : 'Completion reported';
    case 'returned':
      return vi ? 'Trả lại để hoàn thiện' : 'Returned for rework';
    case 'accepted':
      return vi ? 'Đã chấp nhận kết quả' : 'Result accepted';
    case 'extension_requested':
      return vi ? 'Đề nghị gia hạn' : 'Extension requested';
    case 'extension_decision':
      return d.approved === true
        ? vi
          ? 'Đồng ý gia hạn'
          : 'Extension approved'
        : vi
          ? 'Không đồng ý gia hạn'
          : 'Extension rejected';
    case 'delivery_failed': {
      const who = d.actor?.name;
      return vi
        ? `Không gửi được thư đến ${who ?? 'cơ quan nhận'}`
        : `Mail could not be delivered to ${who ?? 'the recipient'}`;
    }
    case 'periodic_report':
      return vi ? 'Báo cáo định kỳ' : 'Periodic report';
    case 'declined':
      return vi ? 'Từ chối nhiệm vụ, đề nghị giao lại' : 'Task declined, to reassign';
    case 'reassigned':
      return vi ? 'Được giao chủ trì nhiệm vụ' : 'Task assigned to you';
    case 'postponed':
      return vi ? 'Tạm hoãn nhiệm vụ' : 'Task postponed';
    case 'resumed':
      return vi ? 'Tiếp tục thực hiện nhiệm vụ' : 'Task resumed';
    case 'cancelled':
      return vi ? 'Hủy nhiệm vụ' : 'Task cancelled';
    case 'plan_imported':
      return vi ? 'Nhiệm vụ mới được giao' : 'New tasks assigned';
  }
}

/** Heading of a kind's group in a digest. */
export function groupHeading(kind: NotificationKind, lang: Language): string {
  const vi = lang === 'vi';
  const headings: Record<NotificationKind, [string, string]> = {
    reminder: ['Nhiệm vụ sắp đến hạn', 'Tasks coming due'],
    due_today: ['Nhiệm vụ đến hạn hôm nay', 'Tasks due today'],
    overdue: ['Nhiệm vụ quá hạn', 'Overdue tasks'],
    escalation: ['Báo cáo nhiệm vụ quá hạn', 'Overdue task report'],
    confirm_request: ['Đề nghị xác nhận phần việc phối hợp', 'Contributions to confirm'],
    coordinator_reminder: ['Nhắc xác nhận phần việc phối hợp', 'Confirmation reminders'],
    confirmation_received: ['Cơ quan phối hợp đã xác nhận', 'Confirmations received'],
    disputed: ['Cơ quan phối hợp không thống nhất', 'Disputed results'],
    submitted: ['Nhiệm vụ đã báo cáo hoàn thành, chờ xem xét', 'Completions awaiting review'],
    returned: ['Kết quả bị trả lại để hoàn thiện', 'Results returned for rework'],
    accepted: ['Kết quả đã được chấp nhận', 'Accepted results'],
    extension_requested: ['Đề nghị gia hạn chờ quyết định', 'Extension requests awaiting a decision'],
    extension_decision: ['Kết quả xem xét đề nghị gia hạn', 'Extension decisions'],
    delivery_failed: ['Thư không gửi được', 'Undelivered mail'],
    periodic_report: ['Báo cáo định kỳ', 'Periodic reports'],
    declined: ['Nhiệm vụ bị từ chối, cần giao lại', 'Declined tasks to reassign'],
    reassigned: ['Nhiệm vụ được giao chủ trì', 'Tasks assigned to you'],
    postponed: ['Nhiệm vụ tạm hoãn', 'Postponed tasks'],
    resumed: ['Nhiệm vụ được tiếp tục', 'Resumed tasks'],
    cancelled: ['Nhiệm vụ đã hủy', 'Cancelled tasks'],
    plan_imported: ['Nhiệm vụ mới được giao theo kế hoạch', 'New tasks of the plan'],
  };
  return headings[kind][vi ? 0 : 1];
}

/**
 * A text people wrote (a reason, a note) as the end of a sentence: its own final full stop, semicolon or comma
 * replaced by one full stop, and one kept when it already ends with "?", "!" or "…". Never "..".
 */
export function asSentence(text: string): string {
  const t = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s.;,:]+$/u, '');
  if (t.length === 0) return '';
  return /[?!…]$/u.test(t) ? t : `${t}.`;
}

/**
 * The reason of a cancellation that came from withdrawing the plan, without its prefix; undefined for any other
 * item (a task removed by an amendment of the plan says its own reason).
 */
export function withdrawalReason(item: NotificationRequest): string | undefined {
  const r = item.details.reason;
  return item.kind === 'cancelled' && r?.startsWith(PLAN_WITHDRAWN_REASON_PREFIX)
    ? r.slice(PLAN_WITHDRAWN_REASON_PREFIX.length)
    : undefined;
}

/**
 * What a new task's notice says of its deadline, against the day the notice is for: reminders will come before a
 * deadline ahead; a deadline that is today or already past (a plan imported late) asks for the report now.
 */
function importedDueNote(item: NotificationRequest, lang: Language): string {
  const vi = lang === 'vi';
  const due = item.task.due;
  if (!due) return '';
  if (due > item.localDate)
    return vi ? ' Hệ thống sẽ gửi thư nhắc trước hạn hoàn thành.' : ' You will be reminded before the deadline.';
  if (due === item.localDate)
    return vi
      ? ' Hôm nay là hạn hoàn thành: đề nghị quý cơ quan báo cáo kết quả trong ngày.'
      : ' The deadline is today: please report the result today.';
  return vi
    ? ' Hạn hoàn thành đã qua khi kế hoạch được nhập vào hệ thống: đề nghị quý cơ quan báo cáo kết quả ngay, hoặc đề nghị gia hạn nếu có lý do chính đáng.'
    : ' The deadline had already passed when the plan was entered: please report the result now, or request an extension if there is good reason.';
}

/** The sentence that opens an item: what happened and what the recipient is asked to do. */
export function kindSentence(item: NotificationRequest, lang: Language): string {
  const d = item.details;
  const vi = lang === 'vi';
  const due = item.task.due ? formatLongDate(item.task.due, lang) : vi ? 'chưa xác định' : 'not yet set';
  const actor = d.actor?.name ?? item.task.lead.name;
  const reason = d.reason ? (vi ? ` Lý do: ${asSentence(d.reason)}` : ` Reason: ${asSentence(d.reason)}`) : '';
  // A remark that is not a reason (an acceptance, an approval): "Ý kiến", not "Lý do".
  const remark = d.reason ? (vi ? ` Ý kiến: ${asSentence(d.reason)}` : ` Remark: ${asSentence(d.reason)}`) : '';
  const decider = d.actor?.name ?? (vi ? 'cơ quan theo dõi' : 'the monitoring agency');
  const overdueBy = (days: number | undefined): string =>
    days === undefined ? '' : vi ? ` ${days} ngày làm việc` : ` by ${days} working day${days === 1 ? '' : 's'}`;
  switch (item.kind) {
    case 'reminder':
      return vi
        ? `Nhiệm vụ sau ${d.workingDaysBefore !== undefined ? `còn ${d.workingDaysBefore} ngày làm việc nữa là đến hạn hoàn thành` : 'sắp đến hạn hoàn thành'}. Đề nghị quý cơ quan khẩn trương triển khai, hoàn thành và báo cáo kết quả đúng hạn.`
        : `The task below is due ${d.workingDaysBefore !== undefined ? `in ${d.workingDaysBefore} working day${d.workingDaysBefore === 1 ? '' : 's'}` : 'soon'}. Please complete it and report the result on time.`;
    case 'due_today':
      return vi
        ? `Hôm nay (${due}) là hạn hoàn thành nhiệm vụ sau. Đề nghị quý cơ quan báo cáo kết quả thực hiện trong ngày.`
        : `Today (${due}) is the deadline of the task below. Please report the result today.`;
    case 'overdue':
      return vi
        ? `Nhiệm vụ sau đã quá hạn${overdueBy(d.daysOverdue)} nhưng chưa có báo cáo hoàn thành. Đề nghị quý cơ quan khẩn trương thực hiện và báo cáo; nếu có lý do chính đáng, đề nghị gia hạn.`
        : `The task below is overdue${overdueBy(d.daysOverdue)} and no completion has been reported. Please complete and report it, or request an extension if there is good reason.`;
    case 'escalation':
      if (d.level === 0)
        return vi
          ? `${item.task.lead.name} đã báo cáo hoàn thành nhiệm vụ sau nhưng cơ quan phối hợp chưa xác nhận phần việc của mình. Đề nghị quý cơ quan đôn đốc cơ quan phối hợp xác nhận hoặc nêu ý kiến.`
          : `${item.task.lead.name} has reported the task below as done, but its coordinating agencies have not confirmed their part. Please urge them to confirm or dispute it.`;
      // The first level goes to the head of the lead agency itself: it is told of its own task, not of another's.
      if (item.recipient.agencyId === item.task.lead.id)
        return vi
          ? `Nhiệm vụ sau do quý cơ quan chủ trì đã quá hạn${overdueBy(d.daysOverdue)} và chưa hoàn thành. Kính báo cáo lãnh đạo quý cơ quan chỉ đạo hoàn thành ngay, hoặc đề nghị gia hạn nếu có lý do chính đáng.`
          : `The task below, led by your agency, is overdue${overdueBy(d.daysOverdue)} and not done. Reported to your agency's head: please see that it is completed now, or request an extension if there is good reason.`;
      return vi
        ? `Nhiệm vụ sau do ${item.task.lead.name} chủ trì đã quá hạn${overdueBy(d.daysOverdue)} và chưa hoàn thành. Kính báo cáo để quý cơ quan chỉ đạo, đôn đốc.`
        : `The task below, led by ${item.task.lead.name}, is overdue${overdueBy(d.daysOverdue)} and not done. Reported for your direction.`;
    case 'confirm_request':
      return vi
        ? `${actor} đã báo cáo hoàn thành nhiệm vụ sau. Đề nghị quý cơ quan xác nhận phần việc phối hợp của mình, hoặc nêu ý kiến nếu không thống nhất.`
        : `${actor} has reported the task below as done. Please confirm your contribution, or dispute it if you disagree.`;
    case 'coordinator_reminder':
      return vi
        ? `Quý cơ quan chưa xác nhận phần việc phối hợp trong nhiệm vụ sau do ${item.task.lead.name} chủ trì. Đề nghị xác nhận hoặc nêu ý kiến.`
        : `You have not yet confirmed your contribution to the task below, led by ${item.task.lead.name}. Please confirm or dispute it.`;
    case 'confirmation_received':
      return vi
        ? `${actor} đã xác nhận phần việc phối hợp trong nhiệm vụ sau.`
        : `${actor} has confirmed its contribution to the task below.`;
    case 'disputed':
      return vi
        ? `${actor} không thống nhất với báo cáo hoàn thành nhiệm vụ sau.${reason}`
        : `${actor} disputes the completion report of the task below.${reason}`;
    case 'submitted':
      return vi
        ? `${actor} đã báo cáo hoàn thành nhiệm vụ sau. Đề nghị quý cơ quan xem xét, chấp nhận kết quả hoặc trả lại để hoàn thiện.`
        : `${actor} has reported the task below as done. Please review it: accept the result or return it for rework.`;
    case 'returned':
      return vi
        ? `Kết quả thực hiện nhiệm vụ sau được trả lại để hoàn thiện.${reason} Đề nghị quý cơ quan hoàn thiện và báo cáo lại.`
        : `The result of the task below was returned for rework.${reason} Please rework it and report again.`;
    case 'accepted':
      return vi
        ? `Kết quả thực hiện nhiệm vụ sau đã được ${d.actor?.name ?? 'cơ quan theo dõi'} chấp nhận. Nhiệm vụ đã hoàn thành.${remark}`
        : `The result of the task below was accepted by ${d.actor?.name ?? 'the monitoring agency'}. The task is done.${remark}`;
    case 'extension_requested':
      return vi
        ? `${actor} đề nghị gia hạn nhiệm vụ sau${d.newDue ? ` đến ${formatLongDate(d.newDue, lang)}` : ''}.${reason} Đề nghị quý cơ quan xem xét, quyết định.`
        : `${actor} requests an extension of the task below${d.newDue ? ` to ${formatLongDate(d.newDue, lang)}` : ''}.${reason} Please decide.`;
    case 'extension_decision':
      if (d.approved === true) {
        const newDue = d.newDue ? formatLongDate(d.newDue, lang) : due;
        return vi
          ? `Đề nghị gia hạn nhiệm vụ sau đã được ${decider} chấp thuận. Hạn hoàn thành mới: ${newDue}.${remark}`
          : `The extension of the task below was approved by ${decider}. New deadline: ${newDue}.${remark}`;
      }
      return vi
        ? `Đề nghị gia hạn nhiệm vụ sau không được ${decider} chấp thuận.${reason} Hạn hoàn thành vẫn là ${due}.`
        : `The extension request for the task below was rejected by ${decider}.${reason} The deadline remains ${due}.`;
    case 'delivery_failed':
      return vi
        ? `Hệ thống không gửi được thư đến ${d.actor?.name ?? 'cơ quan nhận'} về nhiệm vụ sau.${reason} Đề nghị quý cơ quan liên hệ trực tiếp và cập nhật địa chỉ thư điện tử trong danh bạ.`
        : `Mail about the task below could not be delivered to ${d.actor?.name ?? 'the recipient'}.${reason} Please contact them directly and update the address in the directory.`;
    case 'declined':
      return vi
        ? `${actor} từ chối chủ trì nhiệm vụ sau, đề nghị giao lại cho cơ quan khác.${reason} Đề nghị quý cơ quan xem xét, giao lại.`
        : `${actor} declines to lead the task below and asks for it to be reassigned.${reason} Please reassign it.`;
    case 'reassigned':
      return vi
        ? `Quý cơ quan được giao chủ trì nhiệm vụ sau${d.actor ? ` (thay ${d.actor.name})` : ''}.${reason} Đề nghị triển khai và báo cáo kết quả đúng hạn.`
        : `Your agency now leads the task below${d.actor ? ` (instead of ${d.actor.name})` : ''}.${reason} Please carry it out and report on time.`;
    case 'postponed':
      return vi
        ? `Nhiệm vụ sau được tạm hoãn; hệ thống tạm dừng nhắc hạn cho đến khi tiếp tục.${reason}`
        : `The task below is postponed; reminders stop until it resumes.${reason}`;
    case 'resumed':
      return vi
        ? `Nhiệm vụ sau được tiếp tục thực hiện (hạn hoàn thành: ${d.newDue ? formatLongDate(d.newDue, lang) : due}).${reason}`
        : `The task below has resumed (deadline: ${d.newDue ? formatLongDate(d.newDue, lang) : due}).${reason}`;
    case 'cancelled': {
      const withdrawn = withdrawalReason(item);
      if (withdrawn !== undefined) {
        const why = asSentence(withdrawn);
        const plan = item.task.planNumber;
        return vi
          ? `Kế hoạch${plan ? ` số ${plan}` : ''} đã được rút, nên nhiệm vụ sau được hủy; quý cơ quan không phải thực hiện và báo cáo nhiệm vụ này.${why ? ` Lý do rút kế hoạch: ${why}` : ''}`
          : `Plan${plan ? ` ${plan}` : ''} was withdrawn, so the task below is cancelled; nothing more is asked of you for it.${why ? ` Reason for the withdrawal: ${why}` : ''}`;
      }
      return vi
        ? `Nhiệm vụ sau đã được hủy theo điều chỉnh kế hoạch; quý cơ quan không phải thực hiện và báo cáo nhiệm vụ này.${reason}`
        : `The task below was cancelled by an amendment of the plan; nothing more is asked of you for it.${reason}`;
    }
    case 'plan_imported':
      return vi
        ? `Kế hoạch${item.task.planNumber ? ` số ${item.task.planNumber}` : ''} giao quý cơ quan chủ trì nhiệm vụ sau.${importedDueNote(item, lang)}`
        : `Plan${item.task.planNumber ? ` ${item.task.planNumber}` : ''} gives your agency the lead of the task below.${importedDueNote(item, lang)}`;
    case 'periodic_report':
      return vi
        ? `Kính gửi quý cơ quan báo cáo định kỳ tình hình thực hiện kế hoạch${item.task.planNumber ? ` số ${item.task.planNumber}` : ''}. Chi tiết tại tệp đính kèm.`
        : `Please find the periodic progress report of plan${item.task.planNumber ? ` ${item.task.planNumber}` : ''} attached.`;
  }
}
