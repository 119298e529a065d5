/**
 * The action registry: every action people take on a task instance, declared once. The Temporal updates
 * (`workflows/actions.ts`), the state machine's checks (`./machine.ts`), the web forms, the CLI commands and the
 * buttons in emails are all generated from this table, so the mail and the web use the same word for the same
 * action and a new action cannot exist on one door only. Pure data; safe in the workflow bundle.
 */
import type { LabelLanguage } from '../labels';
import { TASK_STATES, type TaskState } from '../types';

export const ACTION_NAMES = [
  'submit',
  'confirm',
  'dispute',
  'accept',
  'return',
  'request_extension',
  'approve_extension',
  'reject_extension',
  'postpone',
  'resume',
  'decline',
  'reassign',
  'report_target',
] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

/**
 * Who may take an action: the lead agency of the instance, a coordinator whose confirmation is required, the
 * monitoring agency, or any party of the task (lead or coordinator).
 */
export type ActorRole = 'lead' | 'coordinator' | 'monitoring' | 'party';

export type FieldKind = 'text' | 'textarea' | 'date' | 'url' | 'number' | 'agency' | 'target' | 'evidence';

type Words = Record<LabelLanguage, string>;

export interface FieldDef {
  /** Property of the update's input, form field name and (kebab-cased) CLI flag. */
  name: string;
  kind: FieldKind;
  required: boolean;
  /** Maximum length of a text value, in characters. */
  max?: number;
  label: Words;
  /** CLI flag, when not the kebab-case of `name`. */
  flag?: string;
}

export interface ActionDef {
  name: ActionName;
  /** Name of the Temporal update (public API: running workflows and clients depend on it; never rename). */
  update: string;
  /** Fixed input the door adds (the two extension decisions share one update). */
  fixed?: Record<string, boolean>;
  role: ActorRole;
  /** States in which the action may be taken. */
  states: readonly TaskState[];
  fields: readonly FieldDef[];
  /** The action's name on buttons, in emails and on the web. */
  label: Words;
  /** Heading of the action's form. */
  title: Words;
  /** The form's submit button. */
  submit: Words;
  /** The timeline's word for the action once done. */
  done: Words;
  /** CLI sub-command. */
  command: string;
}

const TEXT_MAX = 4000;
const SHORT_MAX = 200;

/** The fields actions use, each declared once. */
export const FIELDS = {
  summary: {
    name: 'summary',
    kind: 'textarea',
    required: true,
    max: TEXT_MAX,
    label: { vi: 'Tóm tắt kết quả thực hiện', en: 'Summary of the result' },
  },
  documentNumber: {
    name: 'documentNumber',
    kind: 'text',
    required: false,
    max: SHORT_MAX,
    label: { vi: 'Số văn bản báo cáo', en: 'Report document number' },
  },
  documentDate: {
    name: 'documentDate',
    kind: 'date',
    required: false,
    label: { vi: 'Ngày văn bản', en: 'Document date' },
  },
  evidenceUrl: {
    name: 'evidenceUrl',
    kind: 'url',
    required: false,
    max: 2000,
    label: { vi: 'Đường dẫn tài liệu kèm theo', en: 'Evidence link' },
  },
  evidenceFiles: {
    name: 'evidenceFiles',
    kind: 'evidence',
    required: false,
    label: { vi: 'Tệp minh chứng (PDF, DOCX, ảnh)', en: 'Evidence files (PDF, DOCX, image)' },
  },
  newDue: {
    name: 'newDue',
    kind: 'date',
    required: true,
    label: { vi: 'Thời hạn mới đề nghị', en: 'Requested new due date' },
  },
  approvedDue: {
    name: 'newDue',
    kind: 'date',
    required: false,
    label: { vi: 'Thời hạn mới (để trống: theo đề nghị)', en: 'New due date (empty: as requested)' },
  },
  resumeDue: {
    name: 'newDue',
    kind: 'date',
    required: false,
    label: { vi: 'Thời hạn mới (nếu có)', en: 'New due date (if any)' },
  },
  reason: { name: 'reason', kind: 'textarea', required: true, max: TEXT_MAX, label: { vi: 'Lý do', en: 'Reason' } },
  reasonOptional: {
    name: 'reason',
    kind: 'textarea',
    required: false,
    max: TEXT_MAX,
    label: { vi: 'Ý kiến (nếu có)', en: 'Comment (optional)' },
  },
  note: {
    name: 'note',
    kind: 'textarea',
    required: false,
    max: TEXT_MAX,
    label: { vi: 'Ghi chú (nếu có)', en: 'Note (optional)' },
  },
  newLead: {
    name: 'newLead',
    kind: 'agency',
    required: true,
    flag: 'to',
    label: { vi: 'Cơ quan được giao chủ trì', en: 'New lead agency' },
  },
  targetId: { name: 'targetId', kind: 'target', required: true, label: { vi: 'Chỉ tiêu', en: 'Target' } },
  value: { name: 'value', kind: 'number', required: true, label: { vi: 'Giá trị đạt được', en: 'Value reached' } },
} as const satisfies Record<string, FieldDef>;

const OPEN_FOR_LEAD: readonly TaskState[] = ['in_progress', 'returned', 'disputed', 'declined'];

/** Every action, in the order forms and menus show them. */
export const ACTIONS: Readonly<Record<ActionName, ActionDef>> = {
  submit: {
    name: 'submit',
    update: 'submitReport',
    role: 'lead',
    states: OPEN_FOR_LEAD,
    fields: [FIELDS.summary, FIELDS.documentNumber, FIELDS.documentDate, FIELDS.evidenceUrl, FIELDS.evidenceFiles],
    label: { vi: 'Báo cáo hoàn thành', en: 'Report completion' },
    title: { vi: 'Báo cáo kết quả thực hiện nhiệm vụ', en: 'Report the result of the task' },
    submit: { vi: 'Gửi báo cáo', en: 'Submit report' },
    done: { vi: 'Báo cáo kết quả', en: 'Result submitted' },
    command: 'submit',
  },
  confirm: {
    name: 'confirm',
    update: 'confirmPart',
    role: 'coordinator',
    states: ['submitted', 'disputed'],
    fields: [FIELDS.note],
    label: { vi: 'Xác nhận', en: 'Confirm' },
    title: { vi: 'Xác nhận kết quả phối hợp', en: 'Confirm the result' },
    submit: { vi: 'Xác nhận', en: 'Confirm' },
    done: { vi: 'Xác nhận', en: 'Confirmed' },
    command: 'confirm',
  },
  dispute: {
    name: 'dispute',
    update: 'disputePart',
    role: 'coordinator',
    states: ['submitted', 'disputed', 'confirmed'],
    fields: [FIELDS.reason],
    label: { vi: 'Không thống nhất', en: 'Dispute' },
    title: { vi: 'Phản hồi: kết quả chưa thống nhất', en: 'Dispute the result' },
    submit: { vi: 'Gửi ý kiến', en: 'Send dispute' },
    done: { vi: 'Có ý kiến không thống nhất', en: 'Disputed' },
    command: 'dispute',
  },
  accept: {
    name: 'accept',
    update: 'acceptResult',
    role: 'monitoring',
    states: ['confirmed', 'submitted', 'disputed'],
    fields: [FIELDS.note],
    label: { vi: 'Chấp nhận kết quả', en: 'Accept the result' },
    title: { vi: 'Nghiệm thu, chấp nhận kết quả', en: 'Accept the result' },
    submit: { vi: 'Chấp nhận kết quả', en: 'Accept' },
    done: { vi: 'Chấp nhận kết quả', en: 'Accepted' },
    command: 'accept',
  },
  return: {
    name: 'return',
    update: 'returnResult',
    role: 'monitoring',
    states: ['submitted', 'confirmed', 'disputed'],
    fields: [FIELDS.reason],
    label: { vi: 'Trả lại để hoàn thiện', en: 'Return for rework' },
    title: { vi: 'Trả lại kết quả để hoàn thiện', en: 'Return the result for rework' },
    submit: { vi: 'Trả lại', en: 'Return' },
    done: { vi: 'Trả lại, yêu cầu hoàn thiện', en: 'Returned for rework' },
    command: 'return',
  },
  request_extension: {
    name: 'request_extension',
    update: 'requestExtension',
    role: 'lead',
    states: ['in_progress', 'returned'],
    fields: [FIELDS.newDue, FIELDS.reason],
    label: { vi: 'Đề nghị gia hạn', en: 'Request an extension' },
    title: { vi: 'Đề nghị gia hạn thời hạn thực hiện', en: 'Request a deadline extension' },
    submit: { vi: 'Gửi đề nghị gia hạn', en: 'Request extension' },
    done: { vi: 'Đề nghị gia hạn', en: 'Extension requested' },
    command: 'extend',
  },
  approve_extension: {
    name: 'approve_extension',
    update: 'decideExtension',
    fixed: { approve: true },
    role: 'monitoring',
    states: ['extension_requested'],
    fields: [FIELDS.approvedDue, FIELDS.reasonOptional],
    label: { vi: 'Đồng ý gia hạn', en: 'Approve the extension' },
    title: { vi: 'Đồng ý gia hạn', en: 'Approve the extension' },
    submit: { vi: 'Đồng ý gia hạn', en: 'Approve' },
    done: { vi: 'Đồng ý gia hạn', en: 'Extension approved' },
    command: 'approve-extension',
  },
  reject_extension: {
    name: 'reject_extension',
    update: 'decideExtension',
    fixed: { approve: false },
    role: 'monitoring',
    states: ['extension_requested'],
    fields: [FIELDS.reason],
    label: { vi: 'Không đồng ý gia hạn', en: 'Reject the extension' },
    title: { vi: 'Không đồng ý gia hạn', en: 'Reject the extension' },
    submit: { vi: 'Không đồng ý', en: 'Reject' },
    done: { vi: 'Không đồng ý gia hạn', en: 'Extension rejected' },
    command: 'reject-extension',
  },
  postpone: {
    name: 'postpone',
    update: 'postponeTask',
    role: 'monitoring',
    states: ['scheduled', 'in_progress', 'returned', 'declined'],
    fields: [FIELDS.reason],
    label: { vi: 'Tạm hoãn', en: 'Postpone' },
    title: { vi: 'Tạm hoãn nhiệm vụ', en: 'Postpone the task' },
    submit: { vi: 'Tạm hoãn', en: 'Postpone' },
    done: { vi: 'Tạm hoãn', en: 'Postponed' },
    command: 'postpone',
  },
  resume: {
    name: 'resume',
    update: 'resumeTask',
    role: 'monitoring',
    states: ['postponed'],
    fields: [FIELDS.resumeDue, FIELDS.reasonOptional],
    label: { vi: 'Tiếp tục thực hiện', en: 'Resume' },
    title: { vi: 'Tiếp tục thực hiện nhiệm vụ', en: 'Resume the task' },
    submit: { vi: 'Tiếp tục', en: 'Resume' },
    done: { vi: 'Tiếp tục thực hiện', en: 'Resumed' },
    command: 'resume',
  },
  decline: {
    name: 'decline',
    update: 'declineTask',
    role: 'lead',
    states: ['scheduled', 'in_progress', 'returned'],
    fields: [FIELDS.reason],
    label: { vi: 'Từ chối nhiệm vụ', en: 'Decline the task' },
    title: { vi: 'Từ chối nhiệm vụ (không thuộc thẩm quyền)', en: 'Decline the task (not ours)' },
    submit: { vi: 'Gửi ý kiến từ chối', en: 'Decline' },
    done: { vi: 'Từ chối nhiệm vụ', en: 'Declined' },
    command: 'decline',
  },
  reassign: {
    name: 'reassign',
    update: 'reassignTask',
    role: 'monitoring',
    states: ['declined', 'in_progress', 'returned', 'scheduled'],
    fields: [FIELDS.newLead, FIELDS.reason],
    label: { vi: 'Giao lại nhiệm vụ', en: 'Reassign' },
    title: { vi: 'Giao lại cơ quan chủ trì', en: 'Reassign the lead agency' },
    submit: { vi: 'Giao lại', en: 'Reassign' },
    done: { vi: 'Giao lại cơ quan chủ trì', en: 'Reassigned' },
    command: 'reassign',
  },
  report_target: {
    name: 'report_target',
    update: 'reportTarget',
    role: 'party',
    // Any state but cancelled: a figure may be reported before, during and after the task's own work.
    states: TASK_STATES.filter((st) => st !== 'cancelled'),
    fields: [FIELDS.targetId, FIELDS.value, FIELDS.note],
    label: { vi: 'Báo cáo chỉ tiêu', en: 'Report a target value' },
    title: { vi: 'Báo cáo số liệu chỉ tiêu', en: 'Report a target value' },
    submit: { vi: 'Gửi số liệu', en: 'Send' },
    done: { vi: 'Báo cáo chỉ tiêu', en: 'Target value reported' },
    command: 'report-target',
  },
};

/** The action definitions in registry order. */
export const ACTION_LIST: readonly ActionDef[] = ACTION_NAMES.map((n) => ACTIONS[n]);

export function isActionName(value: unknown): value is ActionName {
  return typeof value === 'string' && (ACTION_NAMES as readonly string[]).includes(value);
}
