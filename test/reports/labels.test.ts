import fc from 'fast-check';
import { REPORTING_STATUSES, TASK_STATES } from '../../domain/types';
import {
  REPORTING_STATUS_LABELS,
  TASK_STATE_LABELS,
  formatDateLongVi,
  formatDateShortVi,
  formatNumberVi,
  formatPercentVi,
  labelReportingStatus,
  labelTaskState,
  toLocalDate,
} from '../../reports/labels';

test('every status and state has a distinct Vietnamese and English label, in NFC', () => {
  for (const lang of ['vi', 'en'] as const) {
    const statuses = REPORTING_STATUSES.map((s) => labelReportingStatus(s, lang));
    const states = TASK_STATES.map((s) => labelTaskState(s, lang));
    expect(new Set(statuses).size).toBe(REPORTING_STATUSES.length);
    expect(new Set(states).size).toBe(TASK_STATES.length);
    for (const l of [...statuses, ...states]) expect(l).toBe(l.normalize('NFC'));
  }
  expect(Object.keys(REPORTING_STATUS_LABELS.vi).sort()).toEqual([...REPORTING_STATUSES].sort());
  expect(Object.keys(TASK_STATE_LABELS.en).sort()).toEqual([...TASK_STATES].sort());
  expect(labelReportingStatus('done_late')).toBe('Hoàn thành quá hạn');
  expect(labelReportingStatus('done_late', 'en')).toBe('Done late');
});

test('formats dates the Vietnamese way', () => {
  expect(formatDateShortVi('2026-12-15')).toBe('15/12/2026');
  expect(formatDateShortVi('2026-01-05')).toBe('05/01/2026');
  expect(formatDateLongVi('2026-12-15')).toBe('ngày 15 tháng 12 năm 2026');
  expect(formatDateLongVi('2026-01-05')).toBe('ngày 05 tháng 01 năm 2026');
  expect(formatDateLongVi('2026-03-05')).toBe('ngày 05 tháng 3 năm 2026');
  expect(() => formatDateShortVi('2026-1-5')).toThrow(/2026-1-5/);
});

test('reads instants as local days in the plan time zone', () => {
  expect(toLocalDate('2026-12-14T17:30:00Z')).toBe('2026-12-15');
  expect(toLocalDate('2026-12-14T16:59:59Z')).toBe('2026-12-14');
  expect(toLocalDate('2026-12-14T17:30:00Z', 'UTC')).toBe('2026-12-14');
});

test('formats numbers with a decimal comma and dotted thousands', () => {
  expect(formatPercentVi(7, 12)).toBe('58,3%');
  expect(formatPercentVi(3, 12)).toBe('25%');
  expect(formatPercentVi(0, 0)).toBe('0%');
  expect(formatNumberVi(1234567.25, 2)).toBe('1.234.567,25');
  expect(formatNumberVi(-0.04)).toBe('0');
  expect(formatNumberVi(-12.5)).toBe('-12,5');
  fc.assert(
    fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 99 }), (i, c) => {
      const v = i + c / 100;
      const back = Number(formatNumberVi(v, 2).replace(/\./g, '').replace(',', '.'));
      expect(back).toBeCloseTo(v, 2);
    }),
  );
});
