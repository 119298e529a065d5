/** Notification items for mail tests. Not a test file itself. */
import type { ActionKind, NotificationKind, NotificationRequest } from '../../domain/types';

export const ALL_KINDS: NotificationKind[] = [
  'reminder',
  'due_today',
  'overdue',
  'escalation',
  'confirm_request',
  'coordinator_reminder',
  'confirmation_received',
  'disputed',
  'submitted',
  'returned',
  'accepted',
  'extension_requested',
  'extension_decision',
  'delivery_failed',
  'periodic_report',
];

/** Actions a recipient typically has for each kind. */
export const ACTIONS_BY_KIND: Record<NotificationKind, ActionKind[]> = {
  reminder: ['submit', 'request_extension'],
  due_today: ['submit', 'request_extension'],
  overdue: ['submit', 'request_extension'],
  escalation: [],
  confirm_request: ['confirm', 'dispute'],
  coordinator_reminder: ['confirm', 'dispute'],
  confirmation_received: [],
  disputed: [],
  submitted: ['accept', 'return'],
  returned: ['submit'],
  accepted: [],
  extension_requested: ['approve_extension', 'reject_extension'],
  extension_decision: ['submit'],
  delivery_failed: [],
  periodic_report: [],
  declined: ['reassign'],
  reassigned: ['submit', 'request_extension', 'decline'],
  postponed: [],
  resumed: ['submit', 'request_extension'],
  cancelled: [],
  plan_imported: ['submit', 'request_extension', 'decline'],
};

export function makeItem(
  kind: NotificationKind,
  overrides: Partial<NotificationRequest> & { n?: number } = {},
): NotificationRequest {
  const n = overrides.n ?? 1;
  const workflowId = `dondoc:dak-lak-2019:1.${n}:so-tu-phap`;
  const details: NotificationRequest['details'] = { actions: ACTIONS_BY_KIND[kind] };
  if (kind === 'reminder') details.workingDaysBefore = 7;
  if (kind === 'overdue' || kind === 'escalation') details.daysOverdue = 5 + n;
  if (kind === 'escalation') details.level = 2;
  if (kind === 'returned' || kind === 'disputed' || kind === 'delivery_failed')
    details.reason = 'Thiếu văn bản chứng minh; cần bổ sung Quyết định số 12/QĐ-STP';
  if (kind === 'extension_requested') {
    details.newDue = '2019-10-31';
    details.reason = 'Chờ ý kiến của Bộ Tư pháp';
  }
  if (kind === 'extension_decision') {
    details.approved = true;
    details.newDue = '2019-10-31';
    details.actor = { id: 'phong-pbgdpl', name: 'Phòng Phổ biến, giáo dục pháp luật' };
  }
  if (
    kind === 'confirm_request' ||
    kind === 'confirmation_received' ||
    kind === 'disputed' ||
    kind === 'submitted' ||
    kind === 'accepted' ||
    kind === 'extension_requested'
  ) {
    details.actor = { id: 'mttq-tinh', name: 'Ủy ban MTTQ Việt Nam tỉnh Đắk Lắk' };
  }
  if (kind === 'delivery_failed') details.actor = { id: 'ubnd-huyen-krong-bong', name: 'UBND huyện Krông Bông' };
  return {
    key: `${workflowId}|1|${kind}|so-tu-phap|${n}`,
    kind,
    // An escalation at level 2 goes to the monitoring agency (level 1 would go to the lead's own head).
    recipient:
      kind === 'escalation'
        ? { agencyId: 'van-phong-ubnd-tinh', role: 'focal' }
        : { agencyId: 'so-tu-phap', role: 'focal' },
    localDate: '2019-09-23',
    task: {
      workflowId,
      planId: 'dak-lak-2019',
      planNumber: '123/KH-UBND',
      planTitle: 'Kế hoạch thực hiện Đề án “Nâng cao năng lực đội ngũ hòa giải viên ở cơ sở” giai đoạn 2019 - 2022',
      taskRef: `1.${n}`,
      title:
        'Tổ chức hội nghị quán triệt, triển khai Đề án và Kế hoạch đến cán bộ, công chức, hòa giải viên ở cơ sở trên địa bàn tỉnh',
      lead: { id: 'so-tu-phap', name: 'Sở Tư pháp tỉnh Đắk Lắk' },
      cycle: 1,
      due: '2019-09-30',
      timeZone: 'Asia/Ho_Chi_Minh',
    },
    details,
    ...overrides,
  };
}
