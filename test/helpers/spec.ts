import { VN_CALENDAR_OVERRIDES } from '../../domain/calendar';
import type { IsoDate, Schedule, TaskInstanceSpec } from '../../domain/types';

export const AGENCIES = {
  lead: { id: 'so-tu-phap', name: 'Sở Tư pháp' },
  coord1: { id: 'mttq-tinh', name: 'Ủy ban MTTQ Việt Nam tỉnh' },
  coord2: { id: 'so-noi-vu', name: 'Sở Nội vụ' },
  monitoring: { id: 'phong-pbgdpl', name: 'Phòng Phổ biến, giáo dục pháp luật' },
  authority: { id: 'ubnd-tinh', name: 'UBND tỉnh' },
  other: { id: 'ubnd-xa-khac', name: 'UBND xã khác' },
} as const;

export function deadlineSchedule(due: IsoDate, text = `Hoàn thành trước ngày ${due}`): Schedule {
  return { text, kind: 'deadline', due, dues: [due], recurrence: 'none', confident: true, reason: 'test' };
}

/** A task instance spec with sensible defaults; `overrides` replace whole fields. */
export function makeSpec(workflowId: string, overrides: Partial<TaskInstanceSpec> = {}): TaskInstanceSpec {
  return {
    workflowId,
    planId: 'test-plan',
    planNumber: '99/KH-UBND',
    planTitle: 'Kế hoạch thử nghiệm',
    timeZone: 'Asia/Ho_Chi_Minh',
    taskKey: '1.1',
    taskRef: '1.1',
    title: 'Thành lập đội ngũ báo cáo viên cấp tỉnh',
    lead: AGENCIES.lead,
    coordinators: [AGENCIES.coord1, AGENCIES.coord2],
    requiredSignOff: [AGENCIES.coord1.id],
    monitoring: AGENCIES.monitoring,
    authority: AGENCIES.authority,
    schedule: deadlineSchedule('2030-01-01'),
    reminderOffsets: [30, 7, 3, 1, 0],
    overdueEveryWorkingDays: 5,
    ladder: [
      { level: 1, afterWorkingDays: 3, to: 'lead_head' },
      { level: 2, afterWorkingDays: 7, to: 'monitoring' },
      { level: 3, afterWorkingDays: 14, to: 'authority' },
    ],
    calendar: [...VN_CALENDAR_OVERRIDES],
    specHash: 'test',
    ...overrides,
  };
}
