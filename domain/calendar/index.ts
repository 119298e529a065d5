/**
 * The working-day calendar: Vietnamese public holidays computed by default (lunar dates
 * included), weekends, and per-year government overrides supplied as data.
 */
import { addDays, getDayOfWeek, isIsoDate, parseIsoDate, toEpochDay } from './dates';
import { computeDefaultHolidays } from './holidays';
import type { CalendarYearOverride, IsoDate } from '../types';

export * from './dates';
export { convertLunarToSolar, convertSolarToLunar, type LunarDate } from './lunar';
export { computeDefaultHolidays, getHungKingsDate, getTetDate } from './holidays';
export { VN_CALENDAR_OVERRIDES } from './vn-overrides';

/** Working days of one country/province. Every method throws RangeError on a malformed date. */
export interface WorkingCalendar {
  /** True on a day civil servants work: not a weekend (unless swapped), not a day off. */
  isWorkingDay(date: IsoDate): boolean;
  /**
   * Vietnamese name of the holiday, compensatory day or notified day off on `date`; undefined on
   * a working day and on an ordinary weekend.
   */
  holidayName(date: IsoDate): string | undefined;
  /**
   * Moves `n` working days from `date`: for n > 0 the n-th working day after `date`, for n < 0
   * the |n|-th working day before it (`date` itself never counts), for n = 0 `nextWorkingDay(date)`.
   * For a working day d, `addWorkingDays(addWorkingDays(d, n), -n) === d`.
   */
  addWorkingDays(date: IsoDate, n: number): IsoDate;
  /** The latest working day on or before `date`. */
  previousWorkingDay(date: IsoDate): IsoDate;
  /** The earliest working day on or after `date`. */
  nextWorkingDay(date: IsoDate): IsoDate;
  /**
   * Civil Code Art. 148 cl. 5: a period whose last day is a weekend day or holiday ends at the end
   * of the next working day. Returns `date` when it is a working day. Idempotent.
   */
  effectiveDeadline(date: IsoDate): IsoDate;
  /**
   * Number of working days d with a < d ≤ b; negative (minus the count of b < d ≤ a) when b < a.
   * For working days a and b: `addWorkingDays(a, workingDaysBetween(a, b)) === b`.
   */
  workingDaysBetween(a: IsoDate, b: IsoDate): number;
}

interface YearDays {
  off: Map<IsoDate, string>;
  working: Set<IsoDate>;
}

/** Longest run of consecutive non-working days we accept before deciding the data is wrong. */
const MAX_DAYS_OFF_RUN = 366;

/**
 * Builds a calendar from per-year overrides (several entries for one year are merged). Overrides
 * add to the computed default: `daysOff` are extra days off, `workingDays` are weekend or holiday
 * days worked (they win over everything), `notOff` cancels a computed holiday or compensatory day.
 * Pass `VN_CALENDAR_OVERRIDES` (plus a province's own data) for the shipped government notices.
 * @throws RangeError naming the entry when an override holds a malformed date.
 */
export function createCalendar(overrides: readonly CalendarYearOverride[]): WorkingCalendar {
  for (const [i, o] of overrides.entries()) {
    for (const field of ['daysOff', 'workingDays', 'notOff'] as const) {
      for (const d of o[field] ?? []) {
        if (!isIsoDate(d)) {
          throw new RangeError(`Lịch năm ${o.year} (mục ${i + 1}), trường ${field}: ngày "${String(d)}" không hợp lệ; cần dạng YYYY-MM-DD.`);
        }
      }
    }
  }
  const cache = new Map<number, YearDays>();

  function getYear(year: number): YearDays {
    let y = cache.get(year);
    if (y) return y;
    const off = computeDefaultHolidays(year);
    const working = new Set<IsoDate>();
    for (const o of overrides) {
      for (const d of o.notOff ?? []) if (parseIsoDate(d).year === year) off.delete(d);
    }
    for (const o of overrides) {
      for (const d of o.daysOff) {
        if (parseIsoDate(d).year === year && !off.has(d)) off.set(d, `Ngày nghỉ theo thông báo năm ${year}`);
      }
      for (const d of o.workingDays) if (parseIsoDate(d).year === year) working.add(d);
    }
    y = { off, working };
    cache.set(year, y);
    return y;
  }

  function isWorkingDay(date: IsoDate): boolean {
    const y = getYear(parseIsoDate(date).year);
    if (y.working.has(date)) return true;
    if (y.off.has(date)) return false;
    const dow = getDayOfWeek(date);
    return dow !== 0 && dow !== 6;
  }

  function holidayName(date: IsoDate): string | undefined {
    const y = getYear(parseIsoDate(date).year);
    return y.working.has(date) ? undefined : y.off.get(date);
  }

  function step(date: IsoDate, direction: 1 | -1): IsoDate {
    let d = addDays(date, direction);
    for (let i = 0; !isWorkingDay(d); i++) {
      if (i > MAX_DAYS_OFF_RUN) throw new RangeError(`Không tìm thấy ngày làm việc gần ${date}: dữ liệu lịch nghỉ sai.`);
      d = addDays(d, direction);
    }
    return d;
  }

  function nextWorkingDay(date: IsoDate): IsoDate {
    return isWorkingDay(date) ? date : step(date, 1);
  }

  function previousWorkingDay(date: IsoDate): IsoDate {
    return isWorkingDay(date) ? date : step(date, -1);
  }

  function addWorkingDays(date: IsoDate, n: number): IsoDate {
    if (!Number.isInteger(n)) throw new RangeError(`Số ngày làm việc phải là số nguyên, nhận ${n}.`);
    if (n === 0) return nextWorkingDay(date);
    let d = date;
    const direction = n > 0 ? 1 : -1;
    for (let i = 0; i < Math.abs(n); i++) d = step(d, direction);
    return d;
  }

  function workingDaysBetween(a: IsoDate, b: IsoDate): number {
    const da = toEpochDay(a);
    const db = toEpochDay(b);
    if (da === db) return 0;
    const [from, to, sign] = da < db ? [a, b, 1] : [b, a, -1];
    let count = 0;
    for (let d = addDays(from, 1); toEpochDay(d) <= toEpochDay(to); d = addDays(d, 1)) {
      if (isWorkingDay(d)) count++;
    }
    return sign * count;
  }

  return {
    isWorkingDay,
    holidayName,
    addWorkingDays,
    previousWorkingDay,
    nextWorkingDay,
    effectiveDeadline: nextWorkingDay,
    workingDaysBetween,
  };
}

const calendars = new Map<string, WorkingCalendar>();
/** Distinct calendar data kept at once; past it the cache starts again (a plan carries one calendar). */
const MAX_SHARED_CALENDARS = 64;

/**
 * `createCalendar(overrides)`, built once per distinct data and then shared. A calendar answers from its data
 * alone, so a caller cannot tell a shared one from its own: the workflows of a worker (one module instance under
 * the SDK's reusable V8 context, see workers/bundle-options.ts) share one calendar and its computed years instead
 * of each holding a copy.
 */
export function calendarFor(overrides: readonly CalendarYearOverride[]): WorkingCalendar {
  const key = JSON.stringify(overrides);
  let calendar = calendars.get(key);
  if (!calendar) {
    calendar = createCalendar(overrides);
    if (calendars.size >= MAX_SHARED_CALENDARS) calendars.clear();
    calendars.set(key, calendar);
  }
  return calendar;
}
