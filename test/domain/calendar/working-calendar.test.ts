import fc from 'fast-check';
import { VN_CALENDAR_OVERRIDES, calendarFor, createCalendar } from '../../../domain/calendar';
import { addDays, fromEpochDay, getDayOfWeek, isIsoDate, toEpochDay } from '../../../domain/calendar/dates';
import type { IsoDate } from '../../../domain/types';

const computed = createCalendar([]);
const vn = createCalendar(VN_CALENDAR_OVERRIDES);

function offDays(cal: ReturnType<typeof createCalendar>, from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (!cal.isWorkingDay(d)) out.push(d);
  return out;
}

describe('computed default holidays (Labour Code Art. 112)', () => {
  it('weekends are off, ordinary weekdays work', () => {
    expect(computed.isWorkingDay('2024-03-04')).toBe(true); // Monday
    expect(computed.isWorkingDay('2024-03-09')).toBe(false); // Saturday
    expect(computed.isWorkingDay('2024-03-10')).toBe(false); // Sunday
    expect(computed.holidayName('2024-03-09')).toBeUndefined();
  });

  it('fixed solar holidays carry Vietnamese names', () => {
    expect(computed.holidayName('2027-01-01')).toBe('Tết Dương lịch');
    expect(computed.holidayName('2027-04-30')).toMatch(/Chiến thắng/);
    // 1/5/2027 is a Saturday → nghỉ bù Monday 3/5; Tuesday 4/5 works.
    expect(computed.holidayName('2027-05-03')).toBe('Nghỉ bù Ngày Quốc tế lao động (1/5)');
    expect(computed.isWorkingDay('2027-05-04')).toBe(true);
    expect(computed.holidayName('2027-05-04')).toBeUndefined();
  });

  it('Tết: last day of the lunar year and mùng 1–4', () => {
    // Tết 2027 is Saturday 6/2: 5/2 Fri, 6–9/2; 6/2 and 7/2 on the weekend → nghỉ bù 10/2 and 11/2.
    expect(offDays(computed, '2027-02-01', '2027-02-14')).toEqual([
      '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-13', '2027-02-14',
    ]);
    expect(computed.holidayName('2027-02-06')).toBe('Tết Nguyên đán (mùng 1)');
    expect(computed.holidayName('2027-02-10')).toMatch(/^Nghỉ bù Tết Nguyên đán/);
  });

  it('Giỗ Tổ on a Sunday is compensated on Monday (clause 3)', () => {
    expect(computed.holidayName('2026-04-26')).toMatch(/Giỗ Tổ Hùng Vương/);
    expect(computed.isWorkingDay('2026-04-27')).toBe(false);
    expect(computed.holidayName('2026-04-27')).toMatch(/^Nghỉ bù Giỗ Tổ/);
    expect(computed.isWorkingDay('2026-04-28')).toBe(true);
  });

  it('30/4 and 1/5 on a weekend push compensatory days past each other', () => {
    // 2022: 30/4 Saturday, 1/5 Sunday → nghỉ bù Monday 2/5 and Tuesday 3/5.
    expect(offDays(computed, '2022-04-29', '2022-05-05')).toEqual(['2022-04-30', '2022-05-01', '2022-05-02', '2022-05-03']);
  });

  it.each([
    [2021, ['2021-09-02', '2021-09-03']],
    [2022, ['2022-09-01', '2022-09-02']],
    [2023, ['2023-09-01', '2023-09-02', '2023-09-03', '2023-09-04']],
    [2024, ['2024-08-31', '2024-09-01', '2024-09-02', '2024-09-03']],
    [2025, ['2025-08-30', '2025-08-31', '2025-09-01', '2025-09-02']],
  ])('Quốc khánh %i matches the government schedule', (year, days) => {
    // Every listed day is off; every other weekday around it works.
    for (let d = `${year}-08-29`; d <= `${year}-09-06`; d = addDays(d, 1)) {
      const weekend = getDayOfWeek(d) === 0 || getDayOfWeek(d) === 6;
      expect([d, computed.isWorkingDay(d)]).toEqual([d, !days.includes(d) && !weekend]);
    }
  });
});

describe('shipped government overrides', () => {
  it('2026: Friday 2/1 off, Saturday 10/1 worked', () => {
    expect(computed.isWorkingDay('2026-01-02')).toBe(true);
    expect(vn.isWorkingDay('2026-01-02')).toBe(false);
    expect(vn.isWorkingDay('2026-01-10')).toBe(true);
    expect(vn.holidayName('2026-01-10')).toBeUndefined();
  });

  it('Tết 2026: 14/2 to 22/2 off, back on Monday 23/2', () => {
    const days = offDays(vn, '2026-02-13', '2026-02-23');
    expect(days).toEqual(['2026-02-14', '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22']);
  });

  it('Tết 2025: 25/1 to 2/2 off, 8/2 worked, 3/2 worked', () => {
    expect(offDays(vn, '2025-01-24', '2025-02-08')).toEqual([
      '2025-01-25', '2025-01-26', '2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02',
    ]);
    expect(computed.isWorkingDay('2025-02-03')).toBe(false);
  });

  it('Tết 2024: 8/2 to 14/2 off, 15/2 worked', () => {
    expect(offDays(vn, '2024-02-07', '2024-02-16')).toEqual([
      '2024-02-08', '2024-02-09', '2024-02-10', '2024-02-11', '2024-02-12', '2024-02-13', '2024-02-14',
    ]);
  });

  it('30/4–1/5 2025: 30/4 to 4/5 off, Saturday 26/4 worked', () => {
    expect(offDays(vn, '2025-04-26', '2025-05-05')).toEqual(['2025-04-27', '2025-04-30', '2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04']);
  });

  it('refuses a malformed override date, naming the year and field', () => {
    expect(() => createCalendar([{ year: 2030, daysOff: ['2030-02-30'], workingDays: [] }])).toThrow(/2030.*daysOff.*2030-02-30/);
  });
});

describe('working-day arithmetic', () => {
  it('effectiveDeadline moves a holiday deadline to the next working day (Civil Code Art. 148)', () => {
    expect(vn.effectiveDeadline('2024-06-30')).toBe('2024-07-01'); // Sunday
    expect(vn.effectiveDeadline('2025-12-31')).toBe('2025-12-31'); // Wednesday
    expect(vn.effectiveDeadline('2026-02-14')).toBe('2026-02-23'); // Tết
    expect(vn.effectiveDeadline('2026-12-31')).toBe('2026-12-31');
  });

  it('addWorkingDays counts forward and back, skipping holidays', () => {
    expect(vn.addWorkingDays('2026-02-13', 1)).toBe('2026-02-23');
    expect(vn.addWorkingDays('2026-02-23', -1)).toBe('2026-02-13');
    expect(vn.addWorkingDays('2024-03-08', 3)).toBe('2024-03-13');
    expect(vn.addWorkingDays('2024-03-09', 0)).toBe('2024-03-11');
    expect(vn.addWorkingDays('2024-03-11', 0)).toBe('2024-03-11');
    expect(vn.addWorkingDays('2024-03-09', -1)).toBe('2024-03-08');
    expect(() => vn.addWorkingDays('2024-03-09', 1.5)).toThrow(RangeError);
  });

  it('previous and next working day', () => {
    expect(vn.previousWorkingDay('2026-02-22')).toBe('2026-02-13');
    expect(vn.nextWorkingDay('2026-02-14')).toBe('2026-02-23');
    expect(vn.previousWorkingDay('2026-02-13')).toBe('2026-02-13');
  });

  it('workingDaysBetween counts (a, b]', () => {
    expect(vn.workingDaysBetween('2026-02-13', '2026-02-23')).toBe(1);
    expect(vn.workingDaysBetween('2026-02-23', '2026-02-13')).toBe(-1);
    expect(vn.workingDaysBetween('2024-03-04', '2024-03-11')).toBe(5);
    expect(vn.workingDaysBetween('2024-03-04', '2024-03-04')).toBe(0);
  });

  it('throws on malformed dates', () => {
    expect(() => vn.isWorkingDay('2024-02-30')).toThrow(RangeError);
  });
});

describe('working-day laws (property)', () => {
  const day = fc.integer({ min: toEpochDay('2018-01-01'), max: toEpochDay('2032-12-31') }).map(fromEpochDay);
  const n = fc.integer({ min: -40, max: 40 });

  it('adding n working days lands on a working day', () => {
    fc.assert(fc.property(day, n, (d, k) => {
      const r = vn.addWorkingDays(d, k);
      expect(isIsoDate(r)).toBe(true);
      expect(vn.isWorkingDay(r)).toBe(true);
    }));
  });

  it('addWorkingDays(addWorkingDays(d, n), -n) = d for a working day d', () => {
    fc.assert(fc.property(day, n, (d0, k) => {
      const d = vn.nextWorkingDay(d0);
      expect(vn.addWorkingDays(vn.addWorkingDays(d, k), -k)).toBe(d);
    }));
  });

  it('effectiveDeadline is idempotent, ≥ d and working; previousWorkingDay ≤ d and working', () => {
    fc.assert(fc.property(day, (d) => {
      const e = vn.effectiveDeadline(d);
      expect(e >= d).toBe(true);
      expect(vn.isWorkingDay(e)).toBe(true);
      expect(vn.effectiveDeadline(e)).toBe(e);
      for (let x = d; x < e; x = addDays(x, 1)) expect(vn.isWorkingDay(x)).toBe(false);
      const p = vn.previousWorkingDay(d);
      expect(p <= d).toBe(true);
      expect(vn.isWorkingDay(p)).toBe(true);
    }));
  });

  it('workingDaysBetween agrees with addWorkingDays', () => {
    fc.assert(fc.property(day, day, (a0, b0) => {
      const a = vn.nextWorkingDay(a0);
      const b = vn.nextWorkingDay(b0);
      expect(vn.addWorkingDays(a, vn.workingDaysBetween(a, b))).toBe(b);
    }));
  });

  it('a holiday name is given exactly on non-weekend days off and on weekend holidays', () => {
    fc.assert(fc.property(day, (d) => {
      const weekend = getDayOfWeek(d) === 0 || getDayOfWeek(d) === 6;
      if (!weekend && !vn.isWorkingDay(d)) expect(vn.holidayName(d)).toEqual(expect.any(String));
      if (vn.isWorkingDay(d)) expect(vn.holidayName(d)).toBeUndefined();
    }));
  });
});

describe('calendarFor: one calendar per distinct data, shared', () => {
  const day = fc.integer({ min: toEpochDay('2018-01-01'), max: toEpochDay('2032-12-31') }).map(fromEpochDay);
  const extra = [{ year: 2027, daysOff: ['2027-03-15'], workingDays: ['2027-03-13'] }];

  it('answers as a calendar built from the same data, whatever was asked of it before', () => {
    const fresh = createCalendar([...VN_CALENDAR_OVERRIDES, ...extra]);
    fc.assert(
      fc.property(day, fc.integer({ min: -20, max: 20 }), (d, k) => {
        const shared = calendarFor([...VN_CALENDAR_OVERRIDES, ...extra]);
        expect(shared.isWorkingDay(d)).toBe(fresh.isWorkingDay(d));
        expect(shared.holidayName(d)).toBe(fresh.holidayName(d));
        expect(shared.addWorkingDays(d, k)).toBe(fresh.addWorkingDays(d, k));
      }),
    );
  });

  it('is the same object for equal data and another for other data', () => {
    expect(calendarFor(JSON.parse(JSON.stringify(VN_CALENDAR_OVERRIDES)))).toBe(calendarFor(VN_CALENDAR_OVERRIDES));
    const other = calendarFor(extra);
    expect(other).not.toBe(calendarFor(VN_CALENDAR_OVERRIDES));
    expect(other.isWorkingDay('2027-03-15')).toBe(false); // a Monday made a day off
    expect(calendarFor(VN_CALENDAR_OVERRIDES).isWorkingDay('2027-03-15')).toBe(true);
  });

  it('refuses malformed data as createCalendar does, and caches nothing for it', () => {
    const bad = [{ year: 2027, daysOff: ['2027-02-30x'], workingDays: [] }];
    expect(() => calendarFor(bad)).toThrow(RangeError);
    expect(() => calendarFor(bad)).toThrow(RangeError);
  });
});
