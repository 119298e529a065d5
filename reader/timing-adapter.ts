/**
 * The one place the reader gets normalised schedules from. `domain/timing` (parseTiming) is written
 * by another engineer; until it lands, a small reader-local fallback below reads the common forms.
 * Switching is one line: replace the body of `readTiming` with `return parseTiming(text, ctx);`.
 */
import type { IsoDate, Recurrence, Schedule, TimingContext } from '../domain/types';

const ROMAN_QUARTERS: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, '1': 1, '2': 2, '3': 3, '4': 4 };

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function lastDayOfMonth(year: number, month: number): IsoDate {
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${pad(month)}-${pad(day)}`;
}

function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function schedule(text: string, partial: Omit<Schedule, 'text'>): Schedule {
  return { text, ...partial };
}

function yearsBetween(start: number, end: number): IsoDate[] {
  const dues: IsoDate[] = [];
  for (let y = start; y <= end; y += 1) dues.push(`${y}-12-31`);
  return dues;
}

/** Reader-local fallback for the common timing forms (used only while domain/timing is missing). */
function readTimingFallback(text: string, ctx: TimingContext): Schedule {
  const t = text.normalize('NFC').toLowerCase();
  const endYear = ctx.periodEnd ? Number(ctx.periodEnd.slice(0, 4)) : undefined;

  const beforeDay = /trước\s+ngày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})/.exec(t);
  if (beforeDay) {
    const [d, m, y] = [Number(beforeDay[1]), Number(beforeDay[2]), Number(beforeDay[3])];
    if (isValidDate(y, m, d)) {
      const due = `${y}-${pad(m)}-${pad(d)}`;
      return schedule(text, { kind: 'deadline', due, dues: [due], recurrence: 'none', confident: true, reason: `Hạn chót ngày ${d}/${m}/${y}.` });
    }
  }
  const beforeMonth = /trước\s+tháng\s+(\d{1,2})\s*[/.-]\s*(\d{4})/.exec(t);
  if (beforeMonth) {
    const [m, y] = [Number(beforeMonth[1]), Number(beforeMonth[2])];
    if (m >= 1 && m <= 12) {
      const due = m === 1 ? `${y - 1}-12-31` : lastDayOfMonth(y, m - 1);
      return schedule(text, { kind: 'deadline', due, dues: [due], recurrence: 'none', confident: true, reason: `Hoàn thành trước tháng ${m}/${y}: hạn là ngày cuối tháng trước.` });
    }
  }
  const quarters = [...t.matchAll(/quý\s+(iv|iii|ii|i|[1-4])\b/g)].map((m) => ROMAN_QUARTERS[m[1] ?? ''] ?? 0);
  const quarterYear = /quý[^]*?[/\s](\d{4})/.exec(t);
  if (quarters.length > 0 && quarterYear && quarters.every((q) => q > 0)) {
    const y = Number(quarterYear[1]);
    const dues = [...new Set(quarters)].sort().map((q) => lastDayOfMonth(y, q * 3));
    const first = dues[0] ?? null;
    return schedule(text, {
      kind: dues.length > 1 ? 'occurrences' : 'deadline',
      due: first,
      dues,
      recurrence: 'none',
      confident: true,
      reason: dues.length > 1 ? `Nhiều đợt: ${dues.join(', ')}.` : `Hạn là ngày cuối quý: ${first}.`,
    });
  }
  const fromYear = /từ\s+năm\s+(\d{4})\s+(?:và|đến)\s+các\s+năm\s+tiếp\s+theo/.exec(t);
  if (fromYear) {
    const start = Number(fromYear[1]);
    const dues = endYear ? yearsBetween(start, endYear) : [`${start}-12-31`];
    return schedule(text, { kind: 'recurring', due: dues[0] ?? null, dues, recurrence: 'yearly', windowStart: `${start}-01-01`, windowEnd: ctx.periodEnd, confident: true, reason: `Hằng năm từ năm ${start}.` });
  }
  const window = /năm\s+(\d{4})\s*[-–—]\s*(?:năm\s+)?(\d{4})/.exec(t) ?? /giai\s+đoạn\s+(\d{4})\s*[-–—]\s*(\d{4})/.exec(t);
  if (window) {
    const [a, b] = [Number(window[1]), Number(window[2])];
    if (b >= a) {
      const dues = yearsBetween(a, b);
      return schedule(text, { kind: 'window', due: dues[0] ?? null, dues, recurrence: 'yearly', windowStart: `${a}-01-01`, windowEnd: `${b}-12-31`, confident: true, reason: `Giai đoạn ${a}–${b}, mỗi năm một chu kỳ.` });
    }
  }
  const recurrence: Recurrence | undefined = /thường\s+xuyên/.test(t)
    ? 'continuous'
    : /(hằng|hàng)\s+quý/.test(t)
      ? 'quarterly'
      : /6\s+tháng|sáu\s+tháng/.test(t)
        ? 'half-yearly'
        : /(hằng|hàng)\s+tháng/.test(t)
          ? 'monthly'
          : /(hằng|hàng)\s+năm|định\s+kỳ/.test(t)
            ? 'yearly'
            : undefined;
  if (recurrence === 'continuous') {
    return schedule(text, { kind: 'continuous', due: null, dues: [], recurrence, confident: true, reason: 'Thực hiện thường xuyên.' });
  }
  if (recurrence && /^\s*theo\s+/.test(t)) {
    return schedule(text, { kind: 'unscheduled', due: null, dues: [], recurrence, confident: false, reason: 'Thời hạn do văn bản khác quy định: cần nhập ngày cụ thể.' });
  }
  if (recurrence) {
    return schedule(text, { kind: 'recurring', due: null, dues: [], recurrence, confident: false, reason: 'Định kỳ nhưng chưa có ngày hạn: cần xác nhận ngày.' });
  }
  const year = /năm\s+(\d{4})/.exec(t);
  if (year) {
    const due = `${year[1]}-12-31`;
    return schedule(text, { kind: 'deadline', due, dues: [due], recurrence: 'none', confident: true, reason: `Hạn là ngày cuối năm ${year[1]}.` });
  }
  return schedule(text, { kind: 'unscheduled', due: null, dues: [], recurrence: 'unspecified', confident: false, reason: 'Không đọc được thời hạn: cần nhập ngày cụ thể.' });
}

/**
 * Reads a verbatim timing text into a normalised schedule. Never throws; a text it cannot read comes
 * back with `confident: false` and a Vietnamese reason.
 */
export function readTiming(text: string, ctx: TimingContext): Schedule {
  return readTimingFallback(text, ctx);
}
