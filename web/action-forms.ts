/**
 * The fields of each action a signed link may open, their validation (zod, at the HTTP edge) and their
 * words. The actor never comes from here: the caller adds it from the verified link.
 */
import { z } from 'zod';
import type { ActionKind } from '../domain/types';
import type { LabelLanguage } from '../reports/labels';
import type { ActionName } from '../services/tasks';

export type FieldKind = 'text' | 'textarea' | 'date' | 'url';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  required: boolean;
  label: Record<LabelLanguage, string>;
}

const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'phải là ngày dạng YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'ngày không tồn tại');

const F = {
  summary: { name: 'summary', kind: 'textarea', required: true, label: { vi: 'Tóm tắt kết quả thực hiện', en: 'Summary of the result' } },
  documentNumber: { name: 'documentNumber', kind: 'text', required: false, label: { vi: 'Số văn bản báo cáo', en: 'Report document number' } },
  documentDate: { name: 'documentDate', kind: 'date', required: false, label: { vi: 'Ngày văn bản', en: 'Document date' } },
  evidenceUrl: { name: 'evidenceUrl', kind: 'url', required: false, label: { vi: 'Đường dẫn tài liệu kèm theo', en: 'Evidence link' } },
  newDue: { name: 'newDue', kind: 'date', required: true, label: { vi: 'Thời hạn mới đề nghị', en: 'Requested new due date' } },
  newDueOptional: { name: 'newDue', kind: 'date', required: false, label: { vi: 'Thời hạn mới (nếu có)', en: 'New due date (if any)' } },
  reason: { name: 'reason', kind: 'textarea', required: true, label: { vi: 'Lý do', en: 'Reason' } },
  reasonOptional: { name: 'reason', kind: 'textarea', required: false, label: { vi: 'Ý kiến (nếu có)', en: 'Comment (optional)' } },
  note: { name: 'note', kind: 'textarea', required: false, label: { vi: 'Ghi chú (nếu có)', en: 'Note (optional)' } },
} satisfies Record<string, FieldSpec>;

export interface ActionFormSpec {
  action: ActionName;
  title: Record<LabelLanguage, string>;
  button: Record<LabelLanguage, string>;
  fields: FieldSpec[];
}

/** The actions the web can carry out from a link, with their forms. */
export const ACTION_FORMS: Partial<Record<ActionKind, ActionFormSpec>> = {
  submit: {
    action: 'submit',
    title: { vi: 'Báo cáo kết quả thực hiện nhiệm vụ', en: 'Report the result of the task' },
    button: { vi: 'Gửi báo cáo', en: 'Submit report' },
    fields: [F.summary, F.documentNumber, F.documentDate, F.evidenceUrl],
  },
  request_extension: {
    action: 'request_extension',
    title: { vi: 'Đề nghị gia hạn thời hạn thực hiện', en: 'Request a deadline extension' },
    button: { vi: 'Gửi đề nghị gia hạn', en: 'Request extension' },
    fields: [F.newDue, F.reason],
  },
  confirm: {
    action: 'confirm',
    title: { vi: 'Xác nhận kết quả phối hợp', en: 'Confirm the result' },
    button: { vi: 'Xác nhận', en: 'Confirm' },
    fields: [F.note],
  },
  dispute: {
    action: 'dispute',
    title: { vi: 'Phản hồi: kết quả chưa thống nhất', en: 'Dispute the result' },
    button: { vi: 'Gửi ý kiến', en: 'Send dispute' },
    fields: [F.reason],
  },
  accept: {
    action: 'accept',
    title: { vi: 'Nghiệm thu, chấp nhận kết quả', en: 'Accept the result' },
    button: { vi: 'Chấp nhận kết quả', en: 'Accept' },
    fields: [F.note],
  },
  return: {
    action: 'return',
    title: { vi: 'Trả lại, yêu cầu bổ sung', en: 'Return for rework' },
    button: { vi: 'Trả lại', en: 'Return' },
    fields: [F.reason],
  },
  approve_extension: {
    action: 'approve_extension',
    title: { vi: 'Đồng ý gia hạn', en: 'Approve the extension' },
    button: { vi: 'Đồng ý gia hạn', en: 'Approve' },
    fields: [F.reasonOptional],
  },
  reject_extension: {
    action: 'reject_extension',
    title: { vi: 'Không đồng ý gia hạn', en: 'Refuse the extension' },
    button: { vi: 'Không đồng ý', en: 'Refuse' },
    fields: [F.reason],
  },
  postpone: {
    action: 'postpone',
    title: { vi: 'Tạm hoãn nhiệm vụ', en: 'Postpone the task' },
    button: { vi: 'Tạm hoãn', en: 'Postpone' },
    fields: [F.reason],
  },
  resume: {
    action: 'resume',
    title: { vi: 'Tiếp tục thực hiện nhiệm vụ', en: 'Resume the task' },
    button: { vi: 'Tiếp tục', en: 'Resume' },
    fields: [F.newDueOptional, F.reasonOptional],
  },
  decline: {
    action: 'decline',
    title: { vi: 'Từ chối nhiệm vụ', en: 'Decline the task' },
    button: { vi: 'Từ chối', en: 'Decline' },
    fields: [F.reason],
  },
};

/** A field problem in the words of the form. */
export class FormInputError extends Error {
  override readonly name = 'FormInputError';
  constructor(readonly problems: string[]) {
    super(`Thông tin chưa hợp lệ: ${problems.join('; ')}. Sửa lại rồi gửi lại.`);
  }
}

function schemaOf(spec: ActionFormSpec): z.ZodType<Record<string, string | undefined>> {
  const shape: Record<string, z.ZodType<string | undefined>> = {};
  for (const f of spec.fields) {
    let base: z.ZodType<string>;
    if (f.kind === 'date') base = isoDate;
    else if (f.kind === 'url') base = z.string().trim().max(2000).regex(/^https?:\/\/\S+$/i, 'phải là đường dẫn http(s)');
    else base = z.string().trim().min(1, 'không được để trống').max(f.kind === 'textarea' ? 4000 : 200);
    // An empty optional field is absent.
    shape[f.name] = f.required ? base : z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), base.optional());
  }
  return z.object(shape);
}

/**
 * Validates the submitted fields of an action (form or JSON body; unknown fields, `actor` included, are
 * dropped). Throws {@link FormInputError} naming each bad field in Vietnamese.
 */
export function parseActionFields(spec: ActionFormSpec, body: unknown): Record<string, string> {
  const parsed = schemaOf(spec).safeParse(typeof body === 'object' && body !== null ? body : {});
  if (!parsed.success) {
    throw new FormInputError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0] ?? '');
        const field = spec.fields.find((f) => f.name === name);
        const message = i.code === 'invalid_type' ? 'chưa nhập' : i.message;
        return `"${field?.label.vi ?? name}" ${message}`;
      }),
    );
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed.data)) if (v !== undefined) out[k] = v;
  return out;
}
