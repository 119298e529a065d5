/**
 * Plain calendar-date helpers on `YYYY-MM-DD` strings. All arithmetic is done on day numbers
 * (days since 1970-01-01, proleptic Gregorian, UTC), so no time zone ever leaks into a date.
 * Only `localDateOf` and `instantOfLocal` deal with instants, through `Intl.DateTimeFormat`,
 * which the Temporal workflow sandbox provides.
 */
import type { IsoDate } from '../types';

/** The parts of a calendar date. `month` is 1–12. */
export interface DateParts {
  year: number;
  month: number;
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** True for a leap year of the Gregorian calendar. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in `month` (1–12) of `year`. */
export function getDaysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True when the parts name a real day (year 1–9999). */
export function isValidDateParts(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= getDaysInMonth(year, month)
  );
}

/** True when `value` is a string `YYYY-MM-DD` naming a real day. Never throws. */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  return m !== null && isValidDateParts(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * Reads a `YYYY-MM-DD` string.
 * @throws RangeError naming the value when it is not a real date in that exact form.
 */
export function parseIsoDate(value: IsoDate): DateParts {
  const m = ISO_DATE.exec(value);
  const parts = m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : undefined;
  if (!parts || !isValidDateParts(parts.year, parts.month, parts.day)) {
    throw new RangeError(`Ngày không hợp lệ: "${String(value)}" (cần dạng YYYY-MM-DD, ví dụ 2026-12-31).`);
  }
  return parts;
}

/**
 * Writes a date as `YYYY-MM-DD`.
 * @throws RangeError when the parts do not name a real day.
 */
export function formatIsoDate(year: number, month: number, day: number): IsoDate {
  if (!isValidDateParts(year, month, day)) {
    throw new RangeError(`Ngày không tồn tại: ${day}/${month}/${year}.`);
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Day number of a date: days since 1970-01-01 (negative before). */
export function toEpochDay(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date);
  return Math.round(utcMs(year, month, day) / DAY_MS);
}

/** The date of a day number (inverse of `toEpochDay`). */
export function fromEpochDay(epochDay: number): IsoDate {
  const d = new Date(epochDay * DAY_MS);
  return formatIsoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** `date` plus `days` calendar days (`days` may be negative). */
export function addDays(date: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new RangeError(`Số ngày phải là số nguyên, nhận ${days}.`);
  return fromEpochDay(toEpochDay(date) + days);
}

/** Last day of `month` (1–12) of `year`. */
export function endOfMonth(year: number, month: number): IsoDate {
  return formatIsoDate(year, month, getDaysInMonth(year, month));
}

/** Negative, zero or positive as `a` is before, equal to or after `b`. */
export function compareIsoDates(a: IsoDate, b: IsoDate): number {
  const da = toEpochDay(a);
  const db = toEpochDay(b);
  return da < db ? -1 : da > db ? 1 : 0;
}

/** Day of the week of a date: 0 = Sunday (Chủ nhật), 1 = Monday (thứ Hai) … 6 = Saturday (thứ Bảy). */
export function getDayOfWeek(date: IsoDate): number {
  // 1970-01-01 was a Thursday (4).
  return (((toEpochDay(date) + 4) % 7) + 7) % 7;
}

/** Number of calendar days from `a` to `b` (`b - a`). */
export function diffDays(a: IsoDate, b: IsoDate): number {
  return toEpochDay(b) - toEpochDay(a);
}

function utcMs(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(0, 0, 0, 0);
  return d.getTime();
}

// ---------------------------------------------------------------------------------------------
// Instants and local dates
// ---------------------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

function getFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Throws RangeError for an unknown zone: that is the caller's error to see.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallClock extends DateParts {
  hour: number;
  minute: number;
  second: number;
}

function readWallClock(instantMs: number, timeZone: string): WallClock {
  const parts = getFormatter(timeZone).formatToParts(new Date(instantMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number => {
    const p = parts.find((x) => x.type === type);
    return p ? Number(p.value) : 0;
  };
  const era = parts.find((x) => x.type === 'era')?.value ?? 'AD';
  const rawYear = get('year');
  const year = era.startsWith('B') ? 1 - rawYear : rawYear;
  return { year, month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
}

/** Offset of the zone from UTC at an instant, in ms (positive east of Greenwich). */
function getOffsetMs(instantMs: number, timeZone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  const w = readWallClock(whole, timeZone);
  const asUtc = utcMs(w.year, w.month, w.day) + ((w.hour * 60 + w.minute) * 60 + w.second) * 1000;
  return asUtc - whole;
}

/**
 * The calendar date, in `timeZone` (an IANA name such as `Asia/Ho_Chi_Minh`), of an instant.
 * @throws RangeError for an unknown time zone or an instant outside the `Date` range.
 */
export function localDateOf(instantMs: number, timeZone: string): IsoDate {
  if (!Number.isFinite(instantMs)) throw new RangeError(`Thời điểm không hợp lệ: ${instantMs}.`);
  const w = readWallClock(instantMs, timeZone);
  return formatIsoDate(w.year, w.month, w.day);
}

/**
 * The instant (epoch ms) at which the wall clock in `timeZone` shows `date` at `hh:mm`.
 * Daylight-saving edges are resolved like Temporal's `compatible` rule: a time repeated by a
 * fall-back transition gives the earlier instant; a time skipped by a spring-forward gap is moved
 * forward by the length of the gap. `hh` may be 24 with `mm` 0 (the end of the day).
 * @throws RangeError for an invalid date, hour, minute or time zone.
 */
export function instantOfLocal(date: IsoDate, hh: number, mm: number, timeZone: string): number {
  const { year, month, day } = parseIsoDate(date);
  if (!Number.isInteger(hh) || !Number.isInteger(mm) || hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh === 24 && mm !== 0)) {
    throw new RangeError(`Giờ không hợp lệ: ${hh}:${mm}.`);
  }
  const wall = utcMs(year, month, day) + (hh * 60 + mm) * 60_000;
  const before = getOffsetMs(wall - DAY_MS, timeZone);
  const after = getOffsetMs(wall + DAY_MS, timeZone);
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((instant) => instant + getOffsetMs(instant, timeZone) === wall)
    .sort((a, b) => a - b);
  const first = candidates[0];
  if (first !== undefined) return first;
  // In a gap: read the wall time with the offset in force before the transition (moves it forward).
  return wall - before;
}
