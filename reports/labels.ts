/**
 * Labels for people: reporting statuses and task states in Vietnamese (and English), and the
 * Vietnamese ways of writing a date. Pure; safe to import from anywhere, the workflow bundle included.
 */
import type { IsoDate, IsoInstant, ReportingStatus, TaskState } from '../domain/types';

export { REPORTING_STATUS_LABELS, TASK_STATE_LABELS, type LabelLanguage } from '../domain/labels';
import { REPORTING_STATUS_LABELS, TASK_STATE_LABELS, type LabelLanguage } from '../domain/labels';

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

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Splits a `YYYY-MM-DD` date into numbers. Throws a `RangeError` naming the value when it is not one,
 * so a bad date in a snapshot is found where it enters a report, not as "NaN" on paper.
 */
export function parseIsoDate(date: IsoDate): { year: number; month: number; day: number } {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`Ngày không hợp lệ: "${date}" (cần dạng YYYY-MM-DD).`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Formats `2026-12-15` as `15/12/2026` (day and month on two digits). */
export function formatDateShortVi(date: IsoDate): string {
  const { year, month, day } = parseIsoDate(date);
  return `${pad2(day)}/${pad2(month)}/${year}`;
}

/**
 * Formats `2026-12-15` as `ngày 15 tháng 12 năm 2026`, writing a leading zero on days below 10 and on
 * months 1 and 2 as Decree 30/2020 asks for the date line of an administrative document
 * (`ngày 05 tháng 01 năm 2026`, `ngày 05 tháng 3 năm 2026`).
 */
export function formatDateLongVi(date: IsoDate): string {
  const { year, month, day } = parseIsoDate(date);
  const d = day < 10 ? pad2(day) : String(day);
  const m = month < 3 ? pad2(month) : String(month);
  return `ngày ${d} tháng ${m} năm ${year}`;
}

/**
 * The local calendar date of an instant in a time zone (IANA name, default `Asia/Ho_Chi_Minh`):
 * `2026-12-14T17:30:00Z` is `2026-12-15` in Hà Nội.
 */
export function toLocalDate(instant: IsoInstant, timeZone = 'Asia/Ho_Chi_Minh'): IsoDate {
  const t = new Date(instant);
  if (Number.isNaN(t.getTime())) throw new RangeError(`Thời điểm không hợp lệ: "${instant}".`);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(t);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
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
