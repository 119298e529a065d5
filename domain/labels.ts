/**
 * The words people read for reporting statuses and task states, Vietnamese and English. Pure data, shared by the
 * workflows (refusal messages), the reports, the web and the CLI.
 */
import type { ReportingStatus, TaskState } from './types';

export type LabelLanguage = 'vi' | 'en';

/**
 * How a withdrawal's reason begins when `dondoc plan withdraw` cancels a task ("Kế hoạch bị rút: <lý do>"): the
 * cancellation email reads it to say that the plan was withdrawn, not amended.
 */
export const PLAN_WITHDRAWN_REASON_PREFIX = 'Kế hoạch bị rút: ';

/** Reporting statuses as the Government Office and provinces publish them. */
export const REPORTING_STATUS_LABELS: Record<LabelLanguage, Record<ReportingStatus, string>> = {
  vi: {
    done_on_time: 'Hoàn thành đúng hạn',
    done_late: 'Hoàn thành quá hạn',
    in_progress_within_deadline: 'Đang thực hiện, trong hạn',
    due_soon: 'Sắp đến hạn',
    in_progress_overdue: 'Chưa hoàn thành, quá hạn',
    not_started: 'Chưa triển khai',
    cancelled: 'Đã hủy',
  },
  en: {
    done_on_time: 'Done on time',
    done_late: 'Done late',
    in_progress_within_deadline: 'In progress, within deadline',
    due_soon: 'Due soon',
    in_progress_overdue: 'In progress, overdue',
    not_started: 'Not started',
    cancelled: 'Cancelled',
  },
};

/** Task lifecycle states in words. */
export const TASK_STATE_LABELS: Record<LabelLanguage, Record<TaskState, string>> = {
  vi: {
    scheduled: 'Chưa đến kỳ thực hiện',
    in_progress: 'Đang thực hiện',
    submitted: 'Đã báo cáo kết quả',
    confirmed: 'Cơ quan phối hợp đã xác nhận',
    accepted: 'Đã được chấp nhận kết quả',
    returned: 'Bị trả lại, cần bổ sung',
    extension_requested: 'Đang đề nghị gia hạn',
    disputed: 'Cơ quan phối hợp có ý kiến khác',
    postponed: 'Tạm hoãn',
    declined: 'Từ chối nhiệm vụ',
    cancelled: 'Đã hủy',
  },
  en: {
    scheduled: 'Scheduled',
    in_progress: 'In progress',
    submitted: 'Submitted',
    confirmed: 'Confirmed by coordinators',
    accepted: 'Accepted',
    returned: 'Returned for rework',
    extension_requested: 'Extension requested',
    disputed: 'Disputed by a coordinator',
    postponed: 'Postponed',
    declined: 'Declined',
    cancelled: 'Cancelled',
  },
};
