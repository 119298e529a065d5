/**
 * Reads the Vietnamese timing text of a plan task ("Thời gian thực hiện") into a normalised
 * schedule. Pure and total: any string gives a schedule, never an exception and never an invalid
 * date; a text that cannot be read with confidence says so (`confident: false`, with a reason)
 * instead of being guessed.
 *
 * How the forms are read (Civil Code Art. 146–148 where it speaks):
 * - a date ("30/9/2019", "ngày 30 tháng 9 năm 2019"), also after "trước"/"chậm nhất" → that date;
 * - a month "tháng 10/2019" → its last day; "trước tháng 10/2019" → the last day of the month before;
 *   "đầu / giữa / cuối tháng 3/2024" → the 1st / 15th / last day;
 * - a quarter "Quý II/2024" → its last day; several ("quý II và quý III/2024") → occurrences;
 * - "6 tháng đầu / cuối năm 2024" → 30/6 / 31/12; "đầu / giữa / cuối năm 2021" → 1/1, 30/6, 31/12;
 * - a year "Năm 2024", "Cả năm 2026", "trong năm 2025" → 31/12 (deadline);
 * - a span of years "Năm 2020 - 2022" → window, one cycle a year, due 31/12 of each year;
 * - "Từ năm 2021 và các năm tiếp theo" → recurring yearly from that year until the plan period ends;
 * - "Hằng năm", "Định kỳ hằng năm" … → recurring yearly: the due day comes from
 *   `ctx.yearlyDueDay` (confident); without it `due` is null and `dues` are the provisional 31/12 of
 *   each year (confident false, "cần xác nhận ngày đến hạn"); likewise "hằng quý", "hằng tháng",
 *   "định kỳ 6 tháng" (provisional period ends); "quý I hằng năm" → yearly on 31/3;
 * - ranges "quý III - quý IV/2025", "Tháng 11 - 12/2025", "từ ngày 05 đến ngày 07 tháng 12 năm 2025",
 *   "từ … đến …" → window, due at the end of the range; "tuần đầu / thứ N / cuối tháng M" → day 7N / last;
 * - "X và các năm tiếp theo" (X a year, quarter, month or day), "… trở đi" → recurring yearly from X's
 *   year on X's day, open-ended to the plan's end;
 * - an open start "Từ 01/7/2025", "Từ tháng 11/2025 đến khi …", "từ ngày ban hành … đến khi …" →
 *   continuous from that day (a start, never a deadline), the end event kept in `event`;
 * - cycles "3 tháng một lần", "định kỳ 03 tháng", "06 tháng/lần", "02 hội nghị/năm" → the matching
 *   recurrence (1, 3, 6, 12 months; other counts and "hằng tuần" are refused with a reason);
 * - the day of a cycle is kept: "trước ngày 20 hằng tháng", "hằng quý (trước ngày 20 tháng cuối quý)",
 *   "trước ngày 30/11 hằng năm", two days a year ("trước ngày 10/6 và 20/11 hằng năm") → half-yearly;
 *   "Từ tháng 4 đến tháng 10 hằng năm" → yearly, due at the end of the months;
 * - "Thường xuyên" → continuous;
 * - "Theo Kế hoạch …" (the date is set elsewhere) → unscheduled;
 * - event-triggered texts ("Sau khi …", "Khi …", "trong 10 ngày kể từ …", "Theo tiến độ …") →
 *   unscheduled, the event as written in `event`;
 * - a day, month, quarter or half year without a year takes the only year the text names, else the
 *   year of `ctx.issued`, and is confident only when the result is not before the issue date.
 *
 * Open-ended recurring forms list their dues up to `ctx.periodEnd`, or, without it, through 31/12
 * of the fifth calendar year counted from the first (e.g. 2021 → 2025); the reason says so.
 */
import {
  addDays,
  endOfMonth,
  formatIsoDate,
  getDaysInMonth,
  isIsoDate,
  isValidDateParts,
  parseIsoDate,
} from '../calendar/dates';
import { normaliseTimingText } from './normalise';
import type { IsoDate, Recurrence, Schedule, TimingContext, TimingKind } from '../types';

/** How many calendar years an open-ended recurrence lists when the plan period has no end. */
export const OPEN_ENDED_YEARS = 5;
const MAX_DUES = 1000;
const MIN_YEAR = 1900;
const MAX_YEAR = 2199;

type SpanKind = 'day' | 'month' | 'quarter' | 'half' | 'year' | 'year-mark';

/** One time expression found in the text. `year` is null when the text gives none. */
interface Point {
  pos: number;
  end: number;
  kind: SpanKind;
  year: number | null;
  /** month (day, month), quarter 1–4 (quarter), half 1–2 (half), mark (month, year-mark). */
  a: number;
  b: number;
  /** 'dau' | 'giua' | 'cuoi' | '' */
  mark: string;
  before: boolean;
  label: string;
  /** The end of a range whose start is the point before it ("quý III - quý IV/2025", "tháng 11 - 12/2025"). */
  rangeEnd?: boolean;
}

interface YearSpan {
  pos: number;
  from: number;
  to: number | null;
}

interface Resolved {
  start: IsoDate;
  due: IsoDate;
  label: string;
}

interface Found {
  points: Point[];
  spans: YearSpan[];
  errors: string[];
  masked: string;
}

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, '1': 1, '2': 2, '3': 3, '4': 4 };
const ROMAN_OUT = ['', 'I', 'II', 'III', 'IV'];

function isYear(n: number): boolean {
  return Number.isInteger(n) && n >= MIN_YEAR && n <= MAX_YEAR;
}

function showDate(d: IsoDate): string {
  const p = parseIsoDate(d);
  return `${p.day}/${p.month}/${p.year}`;
}

/** Finds every time expression, most specific first; a matched span is masked for later rules. */
function findExpressions(s: string): Found {
  let masked = s;
  const points: Point[] = [];
  const spans: YearSpan[] = [];
  const errors: string[] = [];

  const scan = (re: RegExp, handle: (m: RegExpExecArray) => boolean): void => {
    const hits: RegExpExecArray[] = [];
    for (let m = re.exec(masked); m !== null; m = re.exec(masked)) {
      hits.push(m);
      if (m[0].length === 0) re.lastIndex++;
    }
    for (const m of hits) {
      if (handle(m)) masked = masked.slice(0, m.index) + '#'.repeat(m[0].length) + masked.slice(m.index + m[0].length);
    }
  };
  const isBefore = (pos: number): boolean => /\btruoc\s*(?:ngay\s*)?$/.test(masked.slice(Math.max(0, pos - 16), pos));
  const num = (x: string | undefined): number => (x === undefined ? NaN : Number(x));
  const addPoint = (m: RegExpExecArray, p: Omit<Point, 'pos' | 'end' | 'before'>): boolean => {
    points.push({ ...p, pos: m.index, end: m.index + m[0].length, before: isBefore(m.index) });
    return true;
  };
  const addDay = (m: RegExpExecArray, d: number, mo: number, y: number | null): boolean => {
    const ok = y === null ? isValidDateParts(2000, mo, d) : isYear(y) && isValidDateParts(y, mo, d);
    if (!ok) {
      errors.push(
        `ngày ${d}/${mo}${y === null ? '' : `/${y}`} không tồn tại hoặc ngoài phạm vi ${MIN_YEAR}–${MAX_YEAR}`,
      );
      return true;
    }
    return addPoint(m, {
      kind: 'day',
      year: y,
      a: mo,
      b: d,
      mark: '',
      label: `ngày ${d}/${mo}${y === null ? '' : `/${y}`}`,
    });
  };
  const addMonth = (m: RegExpExecArray, mark: string, mo: number, y: number | null): boolean => {
    if (mo < 1 || mo > 12 || (y !== null && !isYear(y))) {
      errors.push(`tháng ${mo}${y === null ? '' : `/${y}`} không hợp lệ`);
      return true;
    }
    const markText = mark === 'dau' ? 'đầu ' : mark === 'giua' ? 'giữa ' : mark === 'cuoi' ? 'cuối ' : '';
    return addPoint(m, {
      kind: 'month',
      year: y,
      a: mo,
      b: 0,
      mark,
      label: `${markText}tháng ${mo}${y === null ? '' : `/${y}`}`,
    });
  };

  // 0. ranges of days sharing a month: "từ ngày 05 đến ngày 07 tháng 12 năm 2025", "ngày 05 - 07/12/2025"
  scan(
    /\b(?:tu\s+)?ngay\s+(\d{1,2})\s*(?:-|\bden\b)\s*(?:het\s+)?(?:ngay\s+)?(\d{1,2})\s*(?:thang\s+(\d{1,2})\s*,?\s*nam\s*|\/\s*(\d{1,2})\s*\/\s*)(\d{4})\b/g,
    (m) => {
      const mo = num(m[3] ?? m[4]);
      const y = num(m[5]);
      addDay(m, num(m[1]), mo, y);
      addDay(m, num(m[2]), mo, y);
      const last = points[points.length - 1];
      if (points.length >= 2 && last && last.pos === m.index) last.rangeEnd = true;
      return true;
    },
  );
  // 0b. weeks of a month: "tuần đầu tháng 12/2025" (by the 7th), "tuần thứ ba của tháng 3", "tuần cuối tháng 6/2025"
  scan(
    /\btuan\s+(dau(?:\s+tien)?|thu\s+(?:nhat|hai|ba|tu|[1-4])|cuoi(?:\s+cung)?)\s+(?:cua\s+)?thang\s+(\d{1,2})(?:\s*(?:[/.-]\s*|,?\s*nam\s*)(\d{4}))?\b/g,
    (m) => {
      const which = (m[1] ?? '').replace(/^thu\s+/, '');
      const mo = num(m[2]);
      const y = m[3] === undefined ? null : num(m[3]);
      if (which.startsWith('cuoi')) return addMonth(m, 'cuoi', mo, y);
      const n =
        (
          { dau: 1, 'dau tien': 1, nhat: 1, '1': 1, hai: 2, '2': 2, ba: 3, '3': 3, tu: 4, '4': 4 } as Record<
            string,
            number
          >
        )[which] ?? 1;
      return addDay(m, 7 * n, mo, y);
    },
  );
  // 1. "ngày 30 tháng 9 năm 2019"
  scan(/\b(?:ngay\s+)?(\d{1,2})\s+thang\s+(\d{1,2})\s*,?\s*nam\s*(\d{4})\b/g, (m) =>
    addDay(m, num(m[1]), num(m[2]), num(m[3])),
  );
  // 2. "30/9/2019", "30-9-2019", "30.9.2019"
  scan(/\b(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})\b/g, (m) => addDay(m, num(m[1]), num(m[3]), num(m[4])));
  // 3. quarters, one or a list: "quý II và quý III/2024", "quý 2 năm 2024", "quý I"
  scan(
    /\bqu[yi]\s+(iv|i{1,3}|[1-4])\b((?:\s*(?:,|;|va|&|\+|-|den(?:\s+het)?)\s*(?:qu[yi]\s+)?(?:iv|i{1,3}|[1-4])\b)*)(?:\s*(?:[/,-]\s*)?(?:nam\s*)?(\d{4})\b)?/g,
    (m) => {
      const year = m[3] === undefined ? null : num(m[3]);
      if (year !== null && !isYear(year)) {
        errors.push(`năm ${year} ngoài phạm vi ${MIN_YEAR}–${MAX_YEAR}`);
        return true;
      }
      const qs = [
        m[1] ?? '',
        ...(m[2] ?? '')
          .replace(/qu[yi]/g, ' ')
          .split(/[^iv1-4]+/)
          .filter((x) => x in ROMAN),
      ];
      // "quý III - quý IV/2025", "quý III đến quý IV": a range, not two occurrences.
      const range = qs.length === 2 && /^\s*(?:-|den)/.test(m[2] ?? '');
      qs.forEach((q, i) => {
        const n = ROMAN[q] ?? 0;
        addPoint(m, {
          kind: 'quarter',
          year,
          a: n,
          b: 0,
          mark: '',
          label: `quý ${ROMAN_OUT[n] ?? ''}${year === null ? '' : `/${year}`}`,
          ...(range && i === 1 ? { rangeEnd: true } : {}),
        });
      });
      return true;
    },
  );
  // 4. half years: "6 tháng đầu năm 2024", "nửa cuối năm"
  scan(/\b(?:(?:06|6|sau)\s+thang|nua)\s+(dau|cuoi)\s+nam\b(?:\s*(\d{4})\b)?/g, (m) => {
    const year = m[2] === undefined ? null : num(m[2]);
    if (year !== null && !isYear(year)) {
      errors.push(`năm ${year} ngoài phạm vi ${MIN_YEAR}–${MAX_YEAR}`);
      return true;
    }
    const half = m[1] === 'dau' ? 1 : 2;
    return addPoint(m, {
      kind: 'half',
      year,
      a: half,
      b: 0,
      mark: '',
      label: `6 tháng ${half === 1 ? 'đầu' : 'cuối'} năm${year === null ? '' : ` ${year}`}`,
    });
  });
  // 5. a range of months sharing a year: "Tháng 11 - 12/2025", "từ tháng 3 đến tháng 5 năm 2026"
  scan(
    /\b(?:tu\s+)?thang\s+(\d{1,2})\s*(?:-|\bden\b)\s*(?:het\s+)?(?:thang\s+)?(\d{1,2})\s*(?:[/.-]\s*|,?\s*nam\s*)(\d{4})\b/g,
    (m) => {
      const y = num(m[3]);
      addMonth(m, '', num(m[1]), y);
      addMonth(m, '', num(m[2]), y);
      const last = points[points.length - 1];
      if (last && last.pos === m.index) last.rangeEnd = true;
      return true;
    },
  );
  // 5b. months with a year: "cuối tháng 6/2024", "tháng 10 năm 2019", "10/2019"
  scan(/\b(?:(dau|giua|cuoi)\s+)?thang\s+(\d{1,2})\s*(?:[/.-]\s*|,?\s*nam\s*)(\d{4})\b/g, (m) =>
    addMonth(m, m[1] ?? '', num(m[2]), num(m[3])),
  );
  scan(/(?<![\d/.-]\s*)\b(\d{1,2})\s*\/\s*(\d{4})\b/g, (m) => addMonth(m, '', num(m[1]), num(m[2])));
  // 6. day and month without a year: "ngày 30/9", "30/9", "ngày 30 tháng 9"
  scan(/\b(?:ngay\s+)?(\d{1,2})\s+thang\s+(\d{1,2})\b(?!\s*(?:[/.-]|nam)\s*\d)/g, (m) =>
    addDay(m, num(m[1]), num(m[2]), null),
  );
  scan(/\bngay\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\b(?!\s*[/.-]\s*\d)/g, (m) => addDay(m, num(m[1]), num(m[2]), null));
  scan(/(?<![\d/.-])\b(\d{1,2})\s*\/\s*(\d{1,2})\b(?!\s*[/.-]\s*\d)/g, (m) => addDay(m, num(m[1]), num(m[2]), null));
  // 7. months without a year: "đầu tháng 3", "trong tháng 10"
  scan(/\b(?:(dau|giua|cuoi)\s+)?thang\s+(\d{1,2})\b(?!\s*[/.-]\s*\d)/g, (m) =>
    addMonth(m, m[1] ?? '', num(m[2]), null),
  );
  // 8. "đầu / giữa / cuối năm (2021)"
  scan(/\b(dau|giua|cuoi)\s+nam\b(?:\s*(\d{4})\b)?/g, (m) => {
    const year = m[2] === undefined ? null : num(m[2]);
    if (year !== null && !isYear(year)) {
      errors.push(`năm ${year} ngoài phạm vi ${MIN_YEAR}–${MAX_YEAR}`);
      return true;
    }
    const mark = m[1] ?? '';
    const word = mark === 'dau' ? 'đầu' : mark === 'giua' ? 'giữa' : 'cuối';
    return addPoint(m, {
      kind: 'year-mark',
      year,
      a: 0,
      b: 0,
      mark,
      label: `${word} năm${year === null ? '' : ` ${year}`}`,
    });
  });
  // 9. spans of years: "Năm 2020 - 2022", "giai đoạn 2020 – 2022", "từ năm 2020 đến năm 2022"
  scan(/\b(?:tu\s+)?(?:nam\s*)?(\d{4})\s*(?:-|\bden\b|\btoi\b)\s*(?:het\s+)?(?:nam\s*)?(\d{4})\b/g, (m) => {
    const from = num(m[1]);
    const to = num(m[2]);
    if (!isYear(from) || !isYear(to)) {
      errors.push(`năm ${!isYear(from) ? from : to} ngoài phạm vi ${MIN_YEAR}–${MAX_YEAR}`);
    } else if (to < from) {
      errors.push(`giai đoạn ${from} - ${to} có năm kết thúc trước năm bắt đầu`);
    } else {
      spans.push({ pos: m.index, from, to });
    }
    return true;
  });
  // 10. open-ended: "Từ năm 2021 (và các năm tiếp theo)"
  scan(/\btu\s+(?:nam\s*)?(\d{4})\b(?:\s*(?:va\s+cac\s+nam\s+tiep\s+theo|tro\s+di|tro\s+ve\s+sau))?/g, (m) => {
    const from = num(m[1]);
    if (!isYear(from)) {
      errors.push(`năm ${from} ngoài phạm vi ${MIN_YEAR}–${MAX_YEAR}`);
    } else {
      spans.push({ pos: m.index, from, to: null });
    }
    return true;
  });
  // 11. a year: "Năm 2024", "Cả năm 2026", "trong năm 2025", "2024"
  scan(/\b(nam\s*)?(\d{4})\b/g, (m) => {
    const year = num(m[2]);
    if (!isYear(year)) {
      if (m[1] === undefined) return false;
      errors.push(`năm ${year} ngoài phạm vi ${MIN_YEAR}–${MAX_YEAR}`);
      return true;
    }
    return addPoint(m, { kind: 'year', year, a: 0, b: 0, mark: '', label: `năm ${year}` });
  });
  // 12. the year without a number: "trong năm", "cả năm", "năm nay"
  scan(/\b(?:(?:trong|ca|het)\s+nam|nam\s+nay)\b/g, (m) =>
    addPoint(m, { kind: 'year', year: null, a: 0, b: 0, mark: '', label: 'trong năm' }),
  );
  return { points, spans, errors, masked };
}

/** The period a point names in a given year, and its due date (the end, or the day before "trước"). */
function resolvePoint(p: Point, year: number): Resolved | string {
  let start: IsoDate;
  let end: IsoDate;
  switch (p.kind) {
    case 'day':
      if (!isValidDateParts(year, p.a, p.b)) return `ngày ${p.b}/${p.a}/${year} không tồn tại`;
      start = end = formatIsoDate(year, p.a, p.b);
      // "trước ngày D" is read as "by D", as plans and the Civil Code's end-of-day rule intend.
      return { start, due: end, label: `${p.before ? 'trước ' : ''}${p.label}${p.year === null ? `/${year}` : ''}` };
    case 'month':
      start = formatIsoDate(year, p.a, 1);
      end = p.mark === 'dau' ? start : p.mark === 'giua' ? formatIsoDate(year, p.a, 15) : endOfMonth(year, p.a);
      if (p.mark === 'dau' || p.mark === 'giua') start = end;
      break;
    case 'quarter':
      start = formatIsoDate(year, p.a * 3 - 2, 1);
      end = endOfMonth(year, p.a * 3);
      break;
    case 'half':
      start = formatIsoDate(year, p.a === 1 ? 1 : 7, 1);
      end = p.a === 1 ? formatIsoDate(year, 6, 30) : formatIsoDate(year, 12, 31);
      break;
    case 'year-mark':
      end =
        p.mark === 'dau'
          ? formatIsoDate(year, 1, 1)
          : p.mark === 'giua'
            ? formatIsoDate(year, 6, 30)
            : formatIsoDate(year, 12, 31);
      start = end;
      break;
    case 'year':
      start = formatIsoDate(year, 1, 1);
      end = formatIsoDate(year, 12, 31);
      break;
  }
  const yearText = p.kind === 'month' || p.kind === 'quarter' ? `/${year}` : ` ${year}`;
  const label = `${p.before ? 'trước ' : ''}${p.kind === 'year' && p.year === null ? 'năm' : p.label}${p.year === null ? yearText : ''}`;
  if (p.before && start === end && p.kind !== 'year-mark') return { start, due: end, label };
  return p.before ? { start: addDays(start, -1), due: addDays(start, -1), label } : { start, due: end, label };
}

/** Month and day of a yearless point used as the due day of each year, or a reason it cannot be. */
function getAnchor(p: Point): { month: number; day: number } | string {
  const r = resolvePoint(p, 2001); // a common year: 29/2 is refused below
  if (typeof r === 'string') return r;
  if (p.kind === 'day' && !isValidDateParts(2001, p.a, p.b)) return `ngày ${p.b}/${p.a} không có trong mọi năm`;
  if (p.kind === 'year') return 'không có ngày cụ thể';
  const d = parseIsoDate(r.due);
  if (d.year !== 2001) return 'không xác định được ngày trong năm';
  return { month: d.month, day: d.day };
}

function listDues(
  recurrence: Recurrence,
  start: IsoDate,
  end: IsoDate,
  anchors: { month: number; day: number }[],
): IsoDate[] {
  const out: IsoDate[] = [];
  if (start > end) return out;
  const y0 = parseIsoDate(start).year;
  const y1 = parseIsoDate(end).year;
  for (let y = y0; y <= y1 && out.length < MAX_DUES; y++) {
    let days: IsoDate[];
    if (recurrence === 'monthly') {
      days = Array.from({ length: 12 }, (_, i) => endOfMonth(y, i + 1));
    } else if (recurrence === 'quarterly') {
      days = [3, 6, 9, 12].map((mo) => endOfMonth(y, mo));
    } else if (recurrence === 'half-yearly') {
      days = [endOfMonth(y, 6), endOfMonth(y, 12)];
    } else {
      days = (anchors.length ? anchors : [{ month: 12, day: 31 }]).map((a) =>
        formatIsoDate(y, a.month, Math.min(a.day, getDaysInMonth(y, a.month))),
      );
    }
    for (const d of days) if (d >= start && d <= end && out.length < MAX_DUES) out.push(d);
  }
  return [...new Set(out)].sort();
}

const RECURRENCE_WORDS: { recurrence: Recurrence; re: RegExp }[] = [
  {
    recurrence: 'yearly',
    re: /\b(?:hang|moi)\s+nam\b|\bdinh\s+ky\s+(?:hang\s+)?nam\b|\bthuong\s+nien\b|\bnam\s+mot\s+lan\b/,
  },
  { recurrence: 'quarterly', re: /\b(?:hang|moi)\s+qu[yi]\b|\bdinh\s+ky\s+(?:hang\s+)?qu[yi]\b/ },
  { recurrence: 'monthly', re: /\b(?:hang|moi)\s+thang\b|\bdinh\s+ky\s+(?:hang\s+)?thang\b/ },
  {
    recurrence: 'half-yearly',
    re: /\b(?:dinh\s+ky|hang|moi)\s+(?:0?6|sau)\s+thang\b|\b(?:0?6|sau)\s+thang\s*(?:(?:mot|1|01)\s+lan|\/\s*lan)\b|^(?:bao\s+cao\s+)?(?:0?6|sau)\s+thang\.?$|\bhang\s+nua\s+nam\b|\bnua\s+nam\s+mot\s+lan\b/,
  },
];

const RECURRENCE_WORD: Record<Recurrence, string> = {
  none: 'một lần',
  yearly: 'hằng năm',
  'half-yearly': '6 tháng một lần',
  quarterly: 'hằng quý',
  monthly: 'hằng tháng',
  continuous: 'thường xuyên',
  unspecified: 'không rõ',
};

function readContext(ctx: TimingContext | undefined): {
  issued?: IsoDate;
  start?: IsoDate;
  end?: IsoDate;
  yearlyDueDay?: { month: number; day: number };
} {
  const c = ctx && typeof ctx === 'object' ? ctx : {};
  const issued = isIsoDate(c.issued) ? c.issued : undefined;
  const start = isIsoDate(c.periodStart) ? c.periodStart : issued;
  const end = isIsoDate(c.periodEnd) ? c.periodEnd : undefined;
  const y = c.yearlyDueDay;
  const yearlyDueDay =
    y && typeof y === 'object' && isValidDateParts(2000, y.month, y.day) ? { month: y.month, day: y.day } : undefined;
  return { issued, start, end, yearlyDueDay };
}

/**
 * Reads a Vietnamese timing text into a normalised schedule (see the module comment for every
 * form). Total: never throws, every date returned is a valid `YYYY-MM-DD`; what cannot be read with
 * confidence is `unscheduled` or `confident: false`, with the reason in Vietnamese.
 */
export function parseTiming(text: string, ctx: TimingContext = {}): Schedule {
  const verbatim = typeof text === 'string' ? text : '';
  try {
    return readTiming(verbatim, ctx);
  } catch (e) {
    // A bug, not an input the rules refuse: still never guess.
    return unscheduled(
      verbatim,
      'unspecified',
      `Lỗi khi đọc thời hạn (${e instanceof Error ? e.message : String(e)}); cần nhập ngày đến hạn cụ thể.`,
    );
  }
}

function unscheduled(text: string, recurrence: Recurrence, reason: string): Schedule {
  return { text, kind: 'unscheduled', due: null, dues: [], recurrence, confident: false, reason };
}

function make(
  text: string,
  kind: TimingKind,
  recurrence: Recurrence,
  dues: IsoDate[],
  confident: boolean,
  reason: string,
  due: IsoDate | null = dues[0] ?? null,
  window?: { start: IsoDate; end: IsoDate },
): Schedule {
  const s: Schedule = { text, kind, due, dues, recurrence, confident, reason };
  if (window) {
    s.windowStart = window.start;
    s.windowEnd = window.end;
  }
  return s;
}

/** Cycles written as a count of months: "3 tháng một lần", "định kỳ 03 tháng", "06 tháng/lần". */
const MONTH_CYCLE =
  /\b(?:dinh\s+ky\s+)?(\d{1,2}|mot|hai|ba|sau|muoi hai)\s+thang\s*(?:(?:mot|1|01)\s+lan|\/\s*(?:(?:mot|1|01)\s+)?lan)\b|\bdinh\s+ky\s+(\d{1,2}|mot|hai|ba|sau|muoi hai)\s+thang\b(?!\s+(?:dau|cuoi)\b)/;
const NUMBER_WORDS: Record<string, number> = { mot: 1, hai: 2, ba: 3, sau: 6, 'muoi hai': 12 };
const CYCLE_WORDS: Record<number, string> = { 1: 'hang thang', 3: 'hang quy', 6: 'dinh ky 6 thang', 12: 'hang nam' };

/**
 * Rewrites cycle phrasings into the words the rules read ("3 tháng một lần" → "hằng quý",
 * "02 hội nghị/năm" → "hằng năm"); says so when a cycle has no recurrence dondoc tracks.
 */
function rewriteCycles(s: string): { s: string; unsupported?: string } {
  let out = s;
  const m = MONTH_CYCLE.exec(out);
  if (m) {
    const raw = (m[1] ?? m[2] ?? '').trim();
    const n = NUMBER_WORDS[raw] ?? Number(raw);
    const words = CYCLE_WORDS[n];
    if (!words) return { s: out, unsupported: `chu kỳ ${n} tháng một lần` };
    out = out.slice(0, m.index) + words + out.slice(m.index + m[0].length);
  }
  if (/\b(?:hang|moi)\s+tuan\b|\btuan\s+(?:mot|1|01)\s+lan\b|\bdinh\s+ky\s+(?:hang\s+)?tuan\b/.test(out))
    return { s: out, unsupported: 'chu kỳ hằng tuần' };
  // "02 hội nghị/năm", "2 lần/năm", "03 đợt/quý": a count per period is that period's cycle.
  out = out.replace(/\b\d{1,2}\s+(?:[a-z]+\s+){0,2}?[a-z]+\s*\/\s*(nam|qu[yi]|thang)\b/g, (_w, per: string) =>
    per === 'nam' ? 'hang nam' : per === 'thang' ? 'hang thang' : 'hang quy',
  );
  return { s: out };
}

/** Lower case, no marks, one character for each character of the NFC text (positions line up). */
function foldKeepingPositions(nfc: string): string {
  return Array.from(nfc)
    .map((ch) => {
      const f = ch
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/[đĐ]/g, 'd')
        .toLowerCase();
      return f.length === ch.length ? f : ch.length === 1 ? (f[0] ?? ' ') : ch;
    })
    .join('');
}

/** Words that hang a timing on an event rather than a date. */
const EVENT_START =
  /(?:^|[\s(,;:])((?:sau\s+khi|truoc\s+khi|khi|ke\s+tu|tuy\s+theo|theo\s+tien\s+do|theo\s+yeu\s+cau|dot\s+xuat)\b)/;

/**
 * The event phrase as written in the original text, to the end: from the trigger word (group 1 of
 * `from`), or from just after the whole match when `from` has no group.
 */
function eventPhrase(text: string, from: RegExp = EVENT_START): string | undefined {
  const nfc = text.normalize('NFC');
  const folded = foldKeepingPositions(nfc);
  const m = from.exec(folded);
  if (!m) return undefined;
  const start = m[1] === undefined ? m.index + m[0].length : m.index + m[0].length - m[1].length;
  const phrase = nfc
    .slice(start)
    .replace(/\s+/g, ' ')
    .replace(/^[\s(]+|[\s.;,)]+$/g, '')
    .trim();
  return phrase || undefined;
}

function withEvent(schedule: Schedule, event: string | undefined): Schedule {
  if (event) schedule.event = event;
  return schedule;
}

/** "ngày 20" of a month, quarter or half year: the day, and which month of the cycle (1-based, 0 = the last). */
interface CycleDay {
  day: number;
  monthOfCycle: number;
  nextCycle: boolean;
}

const CYCLE_DAY =
  /\bngay\s+(\d{1,2})\b(?!\s*(?:[/.-]\s*\d|thang\s+\d))(?:\s+(?:cua\s+)?thang\s+(dau|cuoi|thu\s+(?:hai|2|ba|3))(?:\s+(?:cua\s+)?(?:moi\s+)?(?:qu[yi]|ky)(?:\s+(sau|tiep\s+theo))?)?)?/;

function readCycleDay(s: string): CycleDay | undefined {
  const m = CYCLE_DAY.exec(s);
  if (!m) return undefined;
  const day = Number(m[1]);
  if (day < 1 || day > 31) return undefined;
  const which = m[2] ?? '';
  const monthOfCycle = which === 'dau' ? 1 : /hai|2/.test(which) ? 2 : /ba|3/.test(which) ? 3 : 0;
  return { day, monthOfCycle, nextCycle: m[3] !== undefined };
}

/** Due dates on a given day of each month, quarter or half year between start and end. */
function listCycleDays(recurrence: Recurrence, start: IsoDate, end: IsoDate, cd: CycleDay): IsoDate[] {
  const length = recurrence === 'monthly' ? 1 : recurrence === 'quarterly' ? 3 : recurrence === 'half-yearly' ? 6 : 12;
  const out: IsoDate[] = [];
  const y0 = parseIsoDate(start).year;
  const y1 = parseIsoDate(end).year + 1;
  for (let y = y0; y <= y1 && out.length < MAX_DUES; y++) {
    for (let first = 1; first <= 12; first += length) {
      const offset = cd.monthOfCycle === 0 ? length : Math.min(cd.monthOfCycle, length);
      let month = first + offset - 1 + (cd.nextCycle ? length : 0);
      let year = y;
      while (month > 12) {
        month -= 12;
        year += 1;
      }
      const d = formatIsoDate(year, month, Math.min(cd.day, getDaysInMonth(year, month)));
      // A cycle's due day belongs to the cycle that starts in the period.
      const cycleStart = formatIsoDate(y, first, 1);
      if (cycleStart <= end && d >= start && out.length < MAX_DUES) out.push(d);
    }
  }
  return [...new Set(out)].filter((d) => d <= addDays(end, cd.nextCycle ? 31 * length : 0)).sort();
}

const NEXT_YEARS = /\s*,?\s*(?:va\s+)?(?:cac|nhung)\s+nam\s+tiep\s+theo\b|\s*\btro\s+(?:di|ve\s+sau)\b/;

/**
 * "Năm 2026 và các năm tiếp theo", "Quý IV năm 2025 và các năm tiếp theo": recurring yearly from
 * that year on the day the point names (31/12 for a year), open-ended to the plan's end.
 */
function readFollowingYears(text: string, s: string, c: ReturnType<typeof readContext>): Schedule | undefined {
  const m = NEXT_YEARS.exec(s);
  if (!m) return undefined;
  const rest = (s.slice(0, m.index) + s.slice(m.index + m[0].length)).trim();
  if (/\btu\s+(?:nam\s*)?\d{4}\b/.test(rest)) return undefined; // "Từ năm 2021 …": the year-span rule reads it.
  const found = findExpressions(rest);
  if (found.errors.length || found.spans.length || found.points.length !== 1) return undefined;
  const p = found.points[0];
  if (!p || p.year === null) return undefined;
  const anchor = p.kind === 'year' ? { month: 12, day: 31 } : getAnchor({ ...p, year: null, before: p.before });
  if (typeof anchor === 'string') return undefined;
  const startYear = p.year;
  const start = formatIsoDate(startYear, 1, 1);
  const defaultEnd = formatIsoDate(startYear + OPEN_ENDED_YEARS - 1, 12, 31);
  const end = c.end && c.end >= start ? c.end : defaultEnd;
  const dues = listDues('yearly', start, end, [anchor]);
  const until =
    c.end && c.end >= start
      ? `đến hết kỳ kế hoạch (${showDate(c.end)})`
      : `kế hoạch không nêu ngày kết thúc, liệt kê ${OPEN_ENDED_YEARS} năm đến ${showDate(defaultEnd)}`;
  return make(
    text,
    'recurring',
    'yearly',
    dues,
    true,
    `Hằng năm từ năm ${startYear} (${p.label} và các năm tiếp theo), ${until}; hạn mỗi năm: ${anchor.day}/${anchor.month}.`,
    undefined,
    { start, end },
  );
}

/**
 * An open start: "Từ 01/7/2025", "Từ tháng 11/2025 đến khi kết thúc …", "từ ngày ban hành Kế hoạch
 * đến khi …". The work runs from that day with no deadline of its own (continuous), to the plan's
 * end or to the event named after "đến khi".
 */
function readOpenStart(text: string, s: string, c: ReturnType<typeof readContext>): Schedule | undefined {
  const lead = /^(?:[a-z ]{0,40}:\s*)?(?:(?:thuc\s+hien|trien\s+khai|ap\s+dung|bat\s+dau)\s+)?(?:ke\s+)?tu\s+/.exec(s);
  if (!lead) return undefined;
  const after = s.slice(lead[0].length);
  const untilEvent = /\b(?:cho\s+)?den\s+(?:khi|luc)\b/.exec(after);
  let startDay: IsoDate | undefined;
  let label: string;
  let restAfterStart: string;
  if (/^(?:ngay|khi|thoi\s+diem)\s+(?:ky\s+)?ban\s+hanh\b/.test(after)) {
    if (!c.issued) return undefined;
    startDay = c.issued;
    label = `ngày ban hành ${showDate(c.issued)}`;
    restAfterStart = untilEvent ? after.slice(untilEvent.index) : '';
  } else {
    const head = untilEvent ? after.slice(0, untilEvent.index) : after;
    const found = findExpressions(head);
    if (found.errors.length || found.spans.length || found.points.length !== 1) return undefined;
    const p = found.points[0];
    if (!p || p.kind === 'year' || p.pos > 8) return undefined;
    if (found.masked.slice(p.end).replace(/[#\s.,;()]/g, '') !== '') return undefined;
    const year = p.year ?? (c.issued ? parseIsoDate(c.issued).year : null);
    if (year === null) return undefined;
    const r = resolvePoint({ ...p, before: false }, year);
    if (typeof r === 'string') return undefined;
    startDay = r.start;
    label = r.label;
    restAfterStart = untilEvent ? after.slice(untilEvent.index) : '';
  }
  if (restAfterStart && !untilEvent) return undefined;
  const event = untilEvent ? eventPhrase(text, /\b(?:cho\s+)?den\s+(?:khi|luc)\s+/) : undefined;
  const end = c.end && c.end >= startDay ? c.end : undefined;
  const s2 = make(
    text,
    'continuous',
    'continuous',
    [],
    true,
    `Thực hiện liên tục từ ${showDate(startDay)} (${label})${event ? ` cho đến khi ${event}` : end ? ` đến hết kỳ kế hoạch (${showDate(end)})` : ''}: đây là ngày bắt đầu, không phải hạn hoàn thành.`,
    null,
    end ? { start: startDay, end } : undefined,
  );
  if (!end) s2.windowStart = startDay;
  return withEvent(s2, event);
}

function readTiming(text: string, ctx: TimingContext): Schedule {
  const c = readContext(ctx);
  const cycles = rewriteCycles(normaliseTimingText(text));
  const s = cycles.s;
  if (s === '' || !/[a-z0-9]/.test(s))
    return unscheduled(text, 'unspecified', 'Không có thời gian thực hiện; cần nhập ngày đến hạn.');
  if (cycles.unsupported) {
    return unscheduled(
      text,
      'unspecified',
      `Văn bản nêu ${cycles.unsupported}, dondoc chưa theo dõi tự động chu kỳ này; cần nhập các ngày đến hạn hoặc ghi là thường xuyên.`,
    );
  }

  if (/^(?:thoi\s+gian[^:]*:\s*)?theo\s+/.test(s)) {
    const yearly = RECURRENCE_WORDS[0]?.re.test(s) ?? false;
    if (/^theo\s+(?:tien\s+do|yeu\s+cau|chi\s+dao)\b/.test(s)) {
      return withEvent(
        unscheduled(
          text,
          'unspecified',
          'Thời gian theo tiến độ hoặc yêu cầu của việc khác, không có ngày cụ thể; cần nhập ngày đến hạn khi biết.',
        ),
        text.normalize('NFC').replace(/\s+/g, ' ').trim(),
      );
    }
    return unscheduled(
      text,
      yearly ? 'yearly' : 'unspecified',
      'Thời hạn do văn bản khác quy định ("theo …"); cần nhập ngày đến hạn cụ thể khi văn bản đó ban hành.',
    );
  }
  if (
    /\b(?:trong(?:\s+vong|\s+thoi\s+han)?|sau|chi\s+sau)\s+(?:\d+|mot|hai|ba|bon|sau|muoi)\s+(?:ngay|tuan|thang|nam)\b(?!\s+(?:dau|cuoi)\b)|\bke\s+tu\b/.test(
      s,
    )
  ) {
    return withEvent(
      unscheduled(
        text,
        'unspecified',
        'Thời hạn tính theo khoảng thời gian từ một mốc (ví dụ "trong 30 ngày kể từ …"); cần nhập ngày đến hạn cụ thể khi biết ngày của mốc đó.',
      ),
      text.normalize('NFC').replace(/\s+/g, ' ').trim(),
    );
  }
  const following = readFollowingYears(text, s, c);
  if (following) return following;
  const openStart = readOpenStart(text, s, c);
  if (openStart) return openStart;

  const found = findExpressions(s);
  if (found.errors.length) {
    return unscheduled(
      text,
      'unspecified',
      `Thời hạn không hợp lệ: ${found.errors.join('; ')}. Cần sửa lại hoặc nhập ngày đến hạn cụ thể.`,
    );
  }
  const recs = RECURRENCE_WORDS.filter((r) => r.re.test(found.masked)).map((r) => r.recurrence);
  const continuous = /\bthuong\s+xuyen\b|\blien\s+tuc\b/.test(s);
  const { points, spans } = found;
  const yearless = points.filter((p) => p.year === null);
  const dated = points.filter((p) => p.year !== null);

  if (continuous) {
    const year = dated.length === 1 && dated[0]?.kind === 'year' ? dated[0].year : null;
    const span = spans.length === 1 ? spans[0] : undefined;
    const window =
      year !== null
        ? { start: formatIsoDate(year, 1, 1), end: formatIsoDate(year, 12, 31) }
        : span && span.to !== null
          ? { start: formatIsoDate(span.from, 1, 1), end: formatIsoDate(span.to, 12, 31) }
          : c.start && c.end && c.start <= c.end
            ? { start: c.start, end: c.end }
            : undefined;
    return make(
      text,
      'continuous',
      'continuous',
      [],
      true,
      'Thực hiện thường xuyên: không có hạn riêng, tiến độ báo cáo theo kỳ báo cáo của kế hoạch.',
      null,
      window,
    );
  }
  if (recs.length > 1) {
    return unscheduled(
      text,
      recs[0] ?? 'unspecified',
      `Văn bản nêu nhiều chu kỳ khác nhau (${recs.map((r) => RECURRENCE_WORD[r]).join(', ')}); cần xác nhận chu kỳ và ngày đến hạn.`,
    );
  }
  const rec = recs[0];

  // Spans of years: a window, or an open-ended recurrence.
  if (spans.length > 0) {
    const span = spans[0];
    if (spans.length > 1 || !span || dated.length > 0) {
      return unscheduled(
        text,
        'unspecified',
        'Văn bản nêu nhiều giai đoạn hoặc mốc thời gian chồng nhau; cần xác nhận thời hạn.',
      );
    }
    const recurrence = rec ?? 'yearly';
    const anchors = [];
    for (const p of yearless) {
      const a = getAnchor(p);
      if (typeof a === 'string' || recurrence !== 'yearly') {
        return unscheduled(text, recurrence, `Không đọc được ngày đến hạn trong năm (${p.label}); cần xác nhận.`);
      }
      anchors.push(a);
    }
    const dayWord = anchors.length
      ? anchors.map((a) => `${a.day}/${a.month}`).join(', ')
      : recurrence === 'yearly'
        ? '31/12'
        : 'cuối mỗi kỳ';
    if (span.to !== null) {
      const window = { start: formatIsoDate(span.from, 1, 1), end: formatIsoDate(span.to, 12, 31) };
      const dues = listDues(recurrence, window.start, window.end, anchors);
      return make(
        text,
        'window',
        recurrence,
        dues,
        true,
        `Giai đoạn ${span.from}–${span.to}, ${RECURRENCE_WORD[recurrence]}; hạn mỗi kỳ: ${dayWord}.`,
        undefined,
        window,
      );
    }
    const start = formatIsoDate(span.from, 1, 1);
    const defaultEnd = formatIsoDate(span.from + OPEN_ENDED_YEARS - 1, 12, 31);
    const end = c.end ?? defaultEnd;
    const dues = listDues(recurrence, start, end, anchors);
    const until = c.end
      ? `đến hết kỳ kế hoạch (${showDate(c.end)})`
      : `kế hoạch không nêu ngày kết thúc, liệt kê ${OPEN_ENDED_YEARS} năm đến ${showDate(defaultEnd)}`;
    return make(
      text,
      'recurring',
      recurrence,
      dues,
      true,
      `${capitalise(RECURRENCE_WORD[recurrence])} từ năm ${span.from}, ${until}; hạn mỗi kỳ: ${dayWord}.`,
      undefined,
      { start, end },
    );
  }

  // A recurrence word.
  if (rec) {
    const period = recurrencePeriod(c);
    const cycleDay = rec !== 'yearly' && dated.length === 0 && yearless.length === 0 ? readCycleDay(s) : undefined;
    if (cycleDay) {
      // "trước ngày 20 hằng tháng", "hằng quý (trước ngày 20 tháng cuối quý)": the day is kept.
      const where =
        rec === 'monthly'
          ? `ngày ${cycleDay.day} mỗi tháng`
          : `ngày ${cycleDay.day} ${cycleDay.monthOfCycle === 1 ? 'tháng đầu' : cycleDay.monthOfCycle === 0 ? 'tháng cuối' : `tháng thứ ${cycleDay.monthOfCycle}`} ${cycleDay.nextCycle ? 'của kỳ sau' : 'mỗi kỳ'}`;
      if (!period) {
        return make(
          text,
          'recurring',
          rec,
          [],
          false,
          `Thực hiện ${RECURRENCE_WORD[rec]}, hạn ${where}; cần ngày bắt đầu kỳ kế hoạch để liệt kê các hạn.`,
          null,
        );
      }
      const dues = listCycleDays(rec, period.start, period.end, cycleDay);
      return make(
        text,
        'recurring',
        rec,
        dues,
        dues.length > 0,
        `Thực hiện ${RECURRENCE_WORD[rec]}, hạn ${where}; ${period.note}.`,
        undefined,
        { start: period.start, end: period.end },
      );
    }
    if (dated.length === 1 && dated[0]?.kind === 'year' && yearless.length === 0 && dated[0].year !== null) {
      const y = dated[0].year;
      const window = { start: formatIsoDate(y, 1, 1), end: formatIsoDate(y, 12, 31) };
      const dues = listDues(rec, window.start, window.end, rec === 'yearly' && c.yearlyDueDay ? [c.yearlyDueDay] : []);
      return make(
        text,
        'window',
        rec,
        dues,
        true,
        `${capitalise(RECURRENCE_WORD[rec])} trong năm ${y}; hạn cuối mỗi kỳ.`,
        undefined,
        window,
      );
    }
    if (dated.length > 0) {
      return unscheduled(
        text,
        rec,
        `Văn bản vừa nêu chu kỳ ${RECURRENCE_WORD[rec]} vừa nêu mốc thời gian cụ thể; cần xác nhận ngày đến hạn.`,
      );
    }
    if (yearless.length > 0) {
      let anchors: { month: number; day: number }[] = [];
      for (const p of yearless) {
        const a = getAnchor(p);
        if (typeof a === 'string' || rec === 'monthly') {
          return unscheduled(text, rec, `Không đọc được ngày đến hạn trong kỳ (${p.label}); cần xác nhận.`);
        }
        anchors.push(a);
      }
      const sorted = [...yearless].sort((a, b) => a.pos - b.pos);
      const [p1, p2] = sorted;
      let within = '';
      if (
        p1 &&
        p2 &&
        sorted.length === 2 &&
        (p2.rangeEnd || /^\s*(?:-|den|toi)\s*(?:het\s*)?$/.test(s.slice(p1.end, p2.pos)))
      ) {
        // "Từ tháng 4 đến tháng 10 hằng năm": the work runs inside each year, due at the end of the range.
        const endAnchor = getAnchor(p2);
        if (typeof endAnchor !== 'string') anchors = [endAnchor];
        within = ` (thực hiện ${p1.label} đến ${p2.label} mỗi năm)`;
      }
      // The days written are the days of the year the work falls due, whatever cycle word goes with them.
      const recurrence: Recurrence =
        rec !== 'yearly' ? rec : anchors.length === 2 && !within ? 'half-yearly' : 'yearly';
      const dues = period ? listDues('yearly', period.start, period.end, anchors) : [];
      const dayWord = anchors.map((a) => `${a.day}/${a.month}`).join(' và ');
      return make(
        text,
        'recurring',
        recurrence,
        dues,
        dues.length > 0,
        `${capitalise(RECURRENCE_WORD[recurrence])}, hạn ${dayWord} mỗi năm${within}${period ? `; ${period.note}` : '; cần ngày bắt đầu kỳ kế hoạch để liệt kê các hạn'}.`,
        undefined,
        period ? { start: period.start, end: period.end } : undefined,
      );
    }
    if (!period) {
      return make(
        text,
        'recurring',
        rec,
        [],
        false,
        `Thực hiện ${RECURRENCE_WORD[rec]}; cần ngày bắt đầu kỳ kế hoạch và xác nhận ngày đến hạn.`,
        null,
      );
    }
    const window = { start: period.start, end: period.end };
    if (rec === 'yearly' && c.yearlyDueDay) {
      const dues = listDues('yearly', period.start, period.end, [c.yearlyDueDay]);
      return make(
        text,
        'recurring',
        rec,
        dues,
        dues.length > 0,
        `Hằng năm, hạn ${c.yearlyDueDay.day}/${c.yearlyDueDay.month} theo kỳ báo cáo của kế hoạch; ${period.note}.`,
        undefined,
        window,
      );
    }
    const dues = listDues(rec, period.start, period.end, []);
    return make(
      text,
      'recurring',
      rec,
      dues,
      false,
      `Thực hiện ${RECURRENCE_WORD[rec]} nhưng văn bản không nêu ngày đến hạn: cần xác nhận ngày đến hạn (tạm tính ngày cuối mỗi kỳ; ${period.note}).`,
      null,
      window,
    );
  }

  if (points.length === 0) {
    const event = eventPhrase(text);
    if (event) {
      return withEvent(
        unscheduled(
          text,
          'unspecified',
          `Thời gian theo một sự kiện ("${event}"), không có ngày cụ thể; cần nhập ngày đến hạn khi sự kiện xảy ra.`,
        ),
        event,
      );
    }
    return unscheduled(
      text,
      'unspecified',
      `Không đọc được thời hạn từ "${text.normalize('NFC').trim().slice(0, 80)}"; cần nhập ngày đến hạn cụ thể.`,
    );
  }

  // Dated points only: a deadline, occurrences, or a window "từ … đến …".
  const years = new Set(dated.map((p) => p.year));
  let fillYear: number | null = null;
  let fillNote = '';
  if (yearless.length > 0) {
    if (years.size === 1) {
      fillYear = [...years][0] ?? null;
    } else if (years.size === 0 && c.issued) {
      fillYear = parseIsoDate(c.issued).year;
      fillNote = ` Văn bản không nêu năm: lấy năm ban hành ${fillYear}.`;
    } else {
      return unscheduled(
        text,
        'unspecified',
        'Văn bản không nêu năm của thời hạn và không rõ năm ban hành; cần nhập ngày đến hạn cụ thể.',
      );
    }
  }
  const resolved: (Resolved & { p: Point })[] = [];
  for (const p of [...points].sort((a, b) => a.pos - b.pos)) {
    const r = resolvePoint(p, p.year ?? fillYear ?? 0);
    if (typeof r === 'string')
      return unscheduled(text, 'unspecified', `Thời hạn không hợp lệ: ${r}. Cần nhập ngày đến hạn cụ thể.`);
    resolved.push({ ...r, p });
  }
  const first = resolved[0];
  const second = resolved[1];
  let isWindow = false;
  if (first && second && resolved.length === 2) {
    const between = s.slice(first.p.end, second.p.pos);
    const head = s.slice(Math.max(0, first.p.pos - 12), first.p.pos);
    const fromTo = /\btu\s*(?:ngay\s*)?$/.test(head) && /^\s*(?:-|den|toi)\s*(?:het\s*)?(?:ngay\s*)?$/.test(between);
    // "quý III - quý IV/2025", "tháng 11 - 12/2025", "tháng 11/2025 - tháng 02/2026": a range of periods.
    const dashRange =
      second.p.rangeEnd === true ||
      (first.p.kind === second.p.kind && first.p.kind !== 'year' && /^\s*(?:-|den(?:\s+het)?)\s*$/.test(between));
    isWindow = fromTo || dashRange;
  }

  let confident = true;
  if (fillNote && c.issued) {
    // A window may have begun before the plan was issued; only its end must not lie before.
    const early = resolved.filter((r, i) => r.p.year === null && r.due < (c.issued ?? '') && (!isWindow || i === 1));
    if (early.length) {
      confident = false;
      fillNote += ` Ngày ${early.map((r) => showDate(r.due)).join(', ')} trước ngày ban hành ${showDate(c.issued)}: có thể là năm sau, cần xác nhận.`;
    } else {
      fillNote += ' Ngày đến hạn không trước ngày ban hành nên cách đọc này không mơ hồ.';
    }
  }

  if (first && second && isWindow) {
    if (first.start > second.due)
      return unscheduled(text, 'unspecified', `Thời hạn mâu thuẫn: từ ${first.label} đến ${second.label}.`);
    const window = { start: first.start, end: second.due };
    return make(
      text,
      'window',
      'none',
      [second.due],
      confident,
      `Thực hiện từ ${showDate(window.start)} đến ${showDate(window.end)}; hạn ${showDate(second.due)}.${fillNote}`,
      undefined,
      window,
    );
  }
  const dues = [...new Set(resolved.map((r) => r.due))].sort();
  if (dues.length === 1) {
    const due = dues[0] as IsoDate;
    return make(
      text,
      'deadline',
      'none',
      dues,
      confident,
      `Hạn ${showDate(due)} (${resolved.map((r) => r.label).join(', ')}).${fillNote}`,
    );
  }
  if (/\bhoac\b/.test(s)) {
    return unscheduled(
      text,
      'unspecified',
      `Văn bản nêu các thời hạn thay thế nhau (${resolved.map((r) => r.label).join(' hoặc ')}); cần xác nhận một ngày đến hạn.`,
    );
  }
  if (resolved.some((r) => r.p.before) || /\b(?:hoan\s+thanh|cham\s+nhat|han\s+chot)\b/.test(s)) {
    return unscheduled(
      text,
      'unspecified',
      `Thời hạn mâu thuẫn: nhiều hạn hoàn thành (${resolved.map((r) => r.label).join(', ')}); cần xác nhận một ngày đến hạn.`,
    );
  }
  for (const a of resolved) {
    for (const b of resolved) {
      if (a !== b && a.start <= b.start && b.due <= a.due && (a.start !== b.start || a.due !== b.due)) {
        return unscheduled(
          text,
          'unspecified',
          `Các mốc thời gian chồng nhau (${a.label} và ${b.label}); cần xác nhận ngày đến hạn.`,
        );
      }
    }
  }
  return make(
    text,
    'occurrences',
    'none',
    dues,
    confident,
    `Thực hiện ${dues.length} lần: ${resolved.map((r) => `${r.label} (hạn ${showDate(r.due)})`).join(', ')}.${fillNote}`,
  );
}

function recurrencePeriod(
  c: ReturnType<typeof readContext>,
): { start: IsoDate; end: IsoDate; note: string } | undefined {
  if (!c.start) return undefined;
  const startYear = parseIsoDate(c.start).year;
  const defaultEnd = formatIsoDate(Math.min(startYear + OPEN_ENDED_YEARS - 1, MAX_YEAR), 12, 31);
  const end = c.end ?? defaultEnd;
  if (end < c.start) return undefined;
  const note = c.end
    ? `trong kỳ kế hoạch ${showDate(c.start)}–${showDate(c.end)}`
    : `kế hoạch không nêu ngày kết thúc, liệt kê ${OPEN_ENDED_YEARS} năm đến ${showDate(defaultEnd)}`;
  return { start: c.start, end, note };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
