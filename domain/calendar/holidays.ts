/**
 * The computed default public holidays of Vietnam (Bộ luật Lao động 2019, Điều 112), before any
 * per-year government notice is applied.
 *
 * - Tết Dương lịch: 1/1.
 * - Tết Âm lịch: 5 days, the last day of the lunar year and the first 4 days of the new one
 *   (the government's usual pattern; each year's notice may move them: see `vn-overrides.ts`).
 * - Giỗ Tổ Hùng Vương: 10/3 lunar.
 * - Ngày Chiến thắng 30/4 and Quốc tế lao động 1/5.
 * - Quốc khánh 2/9 and one adjacent day: 3/9 when 2/9 is a Monday or a Thursday (the adjacent day
 *   then joins a weekend or makes a four-day break, as in 2021 and 2024), otherwise 1/9 (as in
 *   2022, 2023, 2025). The year's notice fixes it for real.
 * - Clause 3: a holiday falling on a weekend gives a compensatory day off (nghỉ bù) on the next
 *   working day, i.e. the next day that is neither a weekend day, a holiday nor already a
 *   compensatory day.
 */
import { addDays, formatIsoDate, getDayOfWeek } from './dates';
import { convertLunarToSolar } from './lunar';
import type { IsoDate } from '../types';

/** Days off in a year by date, with their Vietnamese name. */
export type HolidayMap = Map<IsoDate, string>;

function isWeekend(date: IsoDate): boolean {
  const dow = getDayOfWeek(date);
  return dow === 0 || dow === 6;
}

/** The solar date of Tết (1/1 lunar) of the lunar year that starts in solar `year`. */
export function getTetDate(year: number): IsoDate | undefined {
  return convertLunarToSolar({ day: 1, month: 1, year, leap: false });
}

/** The solar date of Giỗ Tổ Hùng Vương (10/3 lunar) in solar `year`. */
export function getHungKingsDate(year: number): IsoDate | undefined {
  return convertLunarToSolar({ day: 10, month: 3, year, leap: false });
}

/**
 * The computed default holidays of `year`, compensatory days included. Years outside 1900–2199
 * get no lunar holidays (the lunar algorithm is only trusted in that range).
 */
export function computeDefaultHolidays(year: number): HolidayMap {
  const holidays: HolidayMap = new Map();
  holidays.set(formatIsoDate(year, 1, 1), 'Tết Dương lịch');
  if (year >= 1900 && year <= 2199) {
    const tet = getTetDate(year);
    if (tet) {
      holidays.set(addDays(tet, -1), 'Tết Nguyên đán (ngày cuối năm âm lịch)');
      for (let i = 0; i < 4; i++) holidays.set(addDays(tet, i), `Tết Nguyên đán (mùng ${i + 1})`);
    }
    const hung = getHungKingsDate(year);
    if (hung) holidays.set(hung, 'Giỗ Tổ Hùng Vương (10/3 âm lịch)');
  }
  holidays.set(formatIsoDate(year, 4, 30), 'Ngày Chiến thắng (30/4)');
  holidays.set(formatIsoDate(year, 5, 1), 'Ngày Quốc tế lao động (1/5)');
  const nationalDay = formatIsoDate(year, 9, 2);
  holidays.set(nationalDay, 'Quốc khánh (2/9)');
  const dow = getDayOfWeek(nationalDay);
  const adjacent = dow === 1 || dow === 4 ? formatIsoDate(year, 9, 3) : formatIsoDate(year, 9, 1);
  holidays.set(adjacent, 'Quốc khánh (ngày liền kề)');

  const compensatory: HolidayMap = new Map();
  const sorted = [...holidays.keys()].sort();
  for (const day of sorted) {
    if (!isWeekend(day)) continue;
    let next = addDays(day, 1);
    while (isWeekend(next) || holidays.has(next) || compensatory.has(next)) next = addDays(next, 1);
    compensatory.set(next, `Nghỉ bù ${holidays.get(day) ?? 'ngày lễ'}`);
  }
  for (const [day, name] of compensatory) holidays.set(day, name);
  return holidays;
}

