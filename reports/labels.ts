/**
 * Labels for people: reporting statuses and task states in Vietnamese (and English), and the
 * Vietnamese ways of writing a date. Pure; safe to import from anywhere, the workflow bundle included.
 */
import type { IsoDate, IsoInstant, ReportingStatus, TaskState } from '../domain/types';

export { REPORTING_STATUS_LABELS, TASK_STATE_LABELS, type LabelLanguage } from '../domain/labels';
import { REPORTING_STATUS_LABELS, TASK_STATE_LABELS, type LabelLanguage } from '../domain/labels';
import { localDateOf } from '../domain/calendar/dates';
export { parseIsoDate } from '../domain/calendar/dates';

/**
 * The usual colours of reporting statuses (ARGB hex, as spreadsheets take them): green done on time,
 * orange done late, blue within deadline, amber due soon, red overdue, grey not started.
 */
export const REPORTING_STATUS_COLORS: Record<ReportingStatus, { fill: string; font: string }> = {
  done_on_time: { fill: 'FFC6EFCE', font: 'FF006100' },
  done_late: { fill: 'FFFFD8A8', font: 'FF8A4B00' },
  in_progress_within_deadline: { fill: 'FFDDEBF7', font: 'FF1F4E79' },
  due_soon: { fill: 'FFFFF2CC', font: 'FF7F6000' },
  in_progress_overdue: { fill: 'FFFFC7CE', font: 'FF9C0006' },
  not_started: { fill: 'FFE7E6E6', font: 'FF404040' },
  cancelled: { fill: 'FFF2F2F2', font: 'FF7F7F7F' },
};

/** Returns the label of a reporting status; Vietnamese unless `lang` is `en`. */
export function labelReportingStatus(status: ReportingStatus, lang: LabelLanguage = 'vi'): string {
  return REPORTING_STATUS_LABELS[lang][status];
}

/** Returns the label of a task state; Vietnamese unless `lang` is `en`. */
export function labelTaskState(state: TaskState, lang: LabelLanguage = 'vi'): string {
  return TASK_STATE_LABELS[lang][state];
}

/** Dates of the report: the one formatter and time-zone implementation of domain/ (`15/12/2026`, the NĐ 30 date line). */
export { formatDate as formatDateShortVi, formatDocumentDate as formatDateLongVi } from '../domain/format';

/**
 * The local calendar date of an instant in a time zone (IANA name, default `Asia/Ho_Chi_Minh`):
 * `2026-12-14T17:30:00Z` is `2026-12-15` in Hà Nội.
 */
export function toLocalDate(instant: IsoInstant, timeZone = 'Asia/Ho_Chi_Minh'): IsoDate {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`Thời điểm không hợp lệ: "${instant}".`);
  return localDateOf(ms, timeZone);
}

/**
 * Formats a number the Vietnamese way: `.` between thousands, `,` before decimals, at most
 * `maxDecimals` decimals with trailing zeros dropped (`1234.5` → `1.234,5`, `58.333` → `58,3`).
 */
export function formatNumberVi(value: number, maxDecimals = 1): string {
  if (!Number.isFinite(value)) return String(value);
  const fixed = Math.abs(value).toFixed(maxDecimals);
  const [intPart = '0', fracPart = ''] = fixed.split('.');
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const frac = fracPart.replace(/0+$/, '');
  const sign = value < 0 && Number(fixed) !== 0 ? '-' : '';
  return `${sign}${grouped}${frac ? `,${frac}` : ''}`;
}

/** Formats a share as a Vietnamese percentage with one decimal: `7/12` → `58,3%`; `0/0` → `0%`. */
export function formatPercentVi(part: number, whole: number): string {
  return `${formatNumberVi(whole === 0 ? 0 : (part * 100) / whole, 1)}%`;
}
