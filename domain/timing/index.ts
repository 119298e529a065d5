/**
 * Timing rules: Vietnamese timing text → normalised schedule, and the JSON view the CLI prints
 * (`dondoc timing "<text>" --issued --period-end --json`).
 */
import { VN_CALENDAR_OVERRIDES, createCalendar, type WorkingCalendar } from '../calendar';
import { isIsoDate } from '../calendar/dates';
import { parseTiming } from './parse-timing';
import type { CalendarYearOverride, IsoDate, Recurrence, TimingContext, TimingKind } from '../types';

export { OPEN_ENDED_YEARS, parseTiming } from './parse-timing';
export { normaliseTimingText } from './normalise';

/** What `describeTiming` returns: exactly these fields, JSON-safe. */
export interface TimingJson {
  text: string;
  kind: TimingKind;
  due: IsoDate | null;
  dues: IsoDate[];
  recurrence: Recurrence;
  /** `due` after the Civil Code working-day rule (Art. 148), or null. */
  effectiveDue: IsoDate | null;
  confident: boolean;
  reason: string;
}

export interface DescribeTimingOptions {
  issued?: IsoDate;
  periodEnd?: IsoDate;
  /** Calendar data; defaults to the shipped government notices (`VN_CALENDAR_OVERRIDES`). */
  overrides?: CalendarYearOverride[];
}

let shippedCalendar: WorkingCalendar | undefined;

/**
 * Reads a timing text as `parseTiming` does (with `issued` as the period start and `periodEnd`
 * as its end) and adds `effectiveDue`: the due date moved to the next working day when it is a
 * weekend day or holiday. Open-ended recurring forms without `periodEnd` list dues for
 * `OPEN_ENDED_YEARS` calendar years. Never throws for any text; invalid option dates are ignored
 * (as if not given) and malformed override dates make `effectiveDue` fall back to the shipped calendar.
 */
export function describeTiming(text: string, opts: DescribeTimingOptions = {}): TimingJson {
  const ctx: TimingContext = {};
  if (isIsoDate(opts.issued)) ctx.issued = opts.issued;
  if (isIsoDate(opts.periodEnd)) ctx.periodEnd = opts.periodEnd;
  const s = parseTiming(text, ctx);
  let calendar: WorkingCalendar;
  try {
    calendar = opts.overrides
      ? createCalendar(opts.overrides)
      : (shippedCalendar ??= createCalendar(VN_CALENDAR_OVERRIDES));
  } catch {
    calendar = shippedCalendar ??= createCalendar(VN_CALENDAR_OVERRIDES);
  }
  return {
    text: s.text,
    kind: s.kind,
    due: s.due,
    dues: s.dues,
    recurrence: s.recurrence,
    effectiveDue: s.due === null ? null : calendar.effectiveDeadline(s.due),
    confident: s.confident,
    reason: s.reason,
  };
}
