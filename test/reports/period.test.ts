import { clipPeriodToPlan, periodToDate } from '../../reports/period';

describe('periodToDate', () => {
  test.each([
    ['2026-12-15', 'yearly', '2026-01-01', 'year', 'Năm 2026'],
    ['2026-06-30', 'half-yearly', '2026-01-01', 'half', '6 tháng đầu năm 2026'],
    ['2026-12-15', 'half-yearly', '2026-07-01', 'half', '6 tháng cuối năm 2026'],
    ['2026-02-10', 'quarterly', '2026-01-01', 'quarter', 'Quý I/2026'],
    ['2026-12-15', 'quarterly', '2026-10-01', 'quarter', 'Quý IV/2026'],
    ['2026-09-30', 'monthly', '2026-09-01', 'month', 'Tháng 9/2026'],
  ] as const)('%s, %s → from %s (%s, "%s") up to the as-of day', (asOf, every, from, kind, label) => {
    expect(periodToDate(asOf, every)).toEqual({ kind, from, to: asOf, label });
  });
});

describe('clipPeriodToPlan', () => {
  const year = periodToDate('2026-12-15');

  test('starts at the later of the period start and the plan start', () => {
    expect(clipPeriodToPlan(year, '2026-10-20').from).toBe('2026-10-20');
    expect(clipPeriodToPlan(year, '2025-01-01')).toEqual(year);
    expect(clipPeriodToPlan(year, undefined)).toEqual(year);
    expect(clipPeriodToPlan(year, '2026-12-15')).toEqual({ ...year, from: '2026-12-15' });
  });

  test('refuses a plan that starts after the period ends', () => {
    expect(() => clipPeriodToPlan(year, '2026-12-16')).toThrow(/16\/12\/2026.*Năm 2026.*15\/12\/2026/);
  });
});
