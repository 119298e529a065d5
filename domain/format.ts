/**
 * Dates and times as people read them, in one place: every page, email, report, CLI line and refusal writes a
 * date with these functions. Short form `30/09/2019` (two-digit day and month, as tables and date inputs show it),
 * long forms for running text, and instants in the plan's own time zone.
 */
import { localDateOf, parseIsoDate } from './calendar/dates';
import type { IsoDate } from './types';

const pad2 = (n: number): string => String(n).padStart(2, '0');
const EN_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `2019-09-30` → `30/09/2019`. */
export function formatDate(date: IsoDate): string {
  const { year, month, day } = parseIsoDate(date);
  return `${pad2(day)}/${pad2(month)}/${year}`;
}

/** `2019-09-30` → `ngày 30 tháng 9 năm 2019` (vi) or `30 September 2019` (en), for running text. */
export function formatDateLong(date: IsoDate, language: 'vi' | 'en'): string {
  const { year, month, day } = parseIsoDate(date);
  return language === 'vi'
    ? `ngày ${day} tháng ${month} năm ${year}`
    : `${day} ${EN_MONTHS[month - 1] ?? String(month)} ${year}`;
}

/**
 * The date line of an administrative document (Nghị định 30/2020): a leading zero on days below 10 and on months
 * 1 and 2 — `ngày 05 tháng 01 năm 2026`, `ngày 05 tháng 3 năm 2026`.
 */
export function formatDocumentDate(date: IsoDate): string {
  const { year, month, day } = parseIsoDate(date);
  return `ngày ${day < 10 ? pad2(day) : String(day)} tháng ${month < 3 ? pad2(month) : String(month)} năm ${year}`;
}

/** Wall-clock hour and minute of an instant in a time zone. */
function wallTime(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('hour')}:${get('minute')}`;
}

/** An instant (ISO string or epoch ms) as `30/09/2019 08:00` in `timeZone`; the input unchanged if unreadable. */
export function formatInstant(instant: string | number, timeZone: string): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) return String(instant);
  return `${formatDate(localDateOf(ms, timeZone))} ${wallTime(ms, timeZone)}`;
}
