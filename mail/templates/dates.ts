/**
 * Dates as Vietnamese officials write them: "ngày 30 tháng 9 năm 2019" in running text, "30/9/2019"
 * in subjects and tables. Inputs are `YYYY-MM-DD` plan-local dates.
 */
import type { IsoDate } from '../../domain/types';

const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function parts(iso: IsoDate): { y: number; m: number; d: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new Error(`Ngày không hợp lệ: "${iso}" (cần dạng YYYY-MM-DD).`);
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

/** `2019-09-30` → `30/9/2019` (no leading zeros, as in Vietnamese documents). */
export function formatShortDate(iso: IsoDate): string {
  const { y, m, d } = parts(iso);
  return `${d}/${m}/${y}`;
}

/** `2019-09-30` → `ngày 30 tháng 9 năm 2019` (vi) or `30 September 2019` (en). */
export function formatLongDate(iso: IsoDate, language: 'vi' | 'en'): string {
  const { y, m, d } = parts(iso);
  return language === 'vi' ? `ngày ${d} tháng ${m} năm ${y}` : `${d} ${EN_MONTHS[m - 1] ?? String(m)} ${y}`;
}
