/**
 * The local dates of a plan's periodic reports: each reporting duty (yearly, half-yearly, quarterly, monthly on
 * a day of the month) within the plan's period, and up to a month after it for the report that closes the period.
 */
import { addDays, getDaysInMonth } from './calendar/dates';
import type { IsoDate } from './types';

/** What the reporting dates depend on: the period and the duties (a subset of the plan file). */
export interface ReportingSchedule {
  period: { start: IsoDate; end: IsoDate };
  reportingDuties: readonly { every: 'yearly' | 'half-yearly' | 'quarterly' | 'monthly'; due: string }[];
}

const STEP_MONTHS = { yearly: 12, 'half-yearly': 6, quarterly: 3, monthly: 1 } as const;

/** Every reporting date of the plan, ascending, without repeats. A day past the month's end is its last day. */
export function reportingDatesOf(plan: ReportingSchedule): IsoDate[] {
  const dates = new Set<IsoDate>();
  const { start, end } = plan.period;
  const last = addDays(end, 31);
  for (const duty of plan.reportingDuties) {
    const [mm, dd] = duty.due.split('-').map(Number) as [number, number];
    const step = STEP_MONTHS[duty.every];
    for (let y = Number(start.slice(0, 4)); y <= Number(end.slice(0, 4)); y++) {
      for (let k = 0; k < 12 / step; k++) {
        const m = ((mm - 1 + k * step) % 12) + 1;
        const d = `${y}-${String(m).padStart(2, '0')}-${String(Math.min(dd, getDaysInMonth(y, m))).padStart(2, '0')}`;
        if (d >= start && d <= last) dates.add(d);
      }
    }
  }
  return [...dates].sort();
}
