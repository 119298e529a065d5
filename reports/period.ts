/**
 * Reporting periods: the part of the year a periodic report covers, as people name it. Pure.
 */
import type { IsoDate } from '../domain/types';
import type { ReportPeriod } from './compile';
import { formatDateShortVi, parseIsoDate } from './labels';

/** How often a reporting duty falls due (`reportingDuties[].every` in the plan file). */
export type ReportEvery = 'yearly' | 'half-yearly' | 'quarterly' | 'monthly';

const ROMAN = ['I', 'II', 'III', 'IV'] as const;
const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * The period a report as of `asOf` covers: from the first day of the year, half-year, quarter or month that
 * contains `asOf`, up to `asOf`. Labels as people write them: "Năm 2026", "6 tháng đầu năm 2026",
 * "6 tháng cuối năm 2026", "Quý IV/2026", "Tháng 12/2026".
 */
export function periodToDate(asOf: IsoDate, every: ReportEvery = 'yearly'): ReportPeriod {
  const { year, month } = parseIsoDate(asOf);
  switch (every) {
    case 'yearly':
      return { kind: 'year', from: `${year}-01-01`, to: asOf, label: `Năm ${year}` };
    case 'half-yearly': {
      const first = month <= 6;
      return {
        kind: 'half',
        from: `${year}-${first ? '01' : '07'}-01`,
        to: asOf,
        label: `6 tháng ${first ? 'đầu' : 'cuối'} năm ${year}`,
      };
    }
    case 'quarterly': {
      const q = Math.floor((month - 1) / 3);
      return { kind: 'quarter', from: `${year}-${pad2(q * 3 + 1)}-01`, to: asOf, label: `Quý ${ROMAN[q]}/${year}` };
    }
    case 'monthly':
      return { kind: 'month', from: `${year}-${pad2(month)}-01`, to: asOf, label: `Tháng ${month}/${year}` };
  }
}

/**
 * The period narrowed to the plan: it starts at the later of its own start and the plan's start (a plan that
 * starts on 20/10 reports from 20/10, not from 01/01). Throws `RangeError` when the plan starts after the period
 * ends: there is nothing of the plan to report yet.
 */
export function clipPeriodToPlan(period: ReportPeriod, planStart: IsoDate | undefined): ReportPeriod {
  if (planStart === undefined || planStart <= period.from) return period;
  if (planStart > period.to) {
    throw new RangeError(
      `Kế hoạch bắt đầu từ ngày ${formatDateShortVi(planStart)}, sau ngày kết thúc kỳ báo cáo "${period.label}" (${formatDateShortVi(period.to)}): chưa có gì để báo cáo.`,
    );
  }
  return { ...period, from: planStart };
}
